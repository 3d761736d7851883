import { describe, expect, it } from 'vitest';
import { groupCommit } from './group-commit';

/** A batch writer that records what it was given and answers after `ms`. */
function writer(ms = 5, failWhen: (items: readonly number[]) => boolean = () => false) {
  const batches: number[][] = [];
  const singles: number[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const work = async <T>(fn: () => T): Promise<T> => {
    running++;
    mostAtOnce = Math.max(mostAtOnce, running);
    await new Promise((r) => setTimeout(r, ms));
    running--;
    return fn();
  };
  return {
    batches,
    singles,
    mostAtOnce: () => mostAtOnce,
    runBatch: (items: readonly number[]) =>
      work(() => {
        batches.push([...items]);
        if (failWhen(items)) throw new Error('batch failed');
        return items.map((i) => i * 10);
      }),
    runOne: (item: number) =>
      work(() => {
        singles.push(item);
        if (item === 13) throw new Error('thirteen');
        return item * 10;
      }),
  };
}

describe('group commit', () => {
  it('writes items that arrive together in one batch and answers each its own result', async () => {
    const w = writer();
    const write = groupCommit(w.runBatch, w.runOne, { gatherMs: 2 });
    const results = await Promise.all([1, 2, 3, 4].map(write));
    expect(results).toEqual([10, 20, 30, 40]);
    expect(w.batches).toEqual([[1, 2, 3, 4]]);
    expect(w.singles).toEqual([]);
  });

  it('with no gathering, writes an item that finds a slot free at once and batches what arrives meanwhile', async () => {
    const w = writer(20);
    const write = groupCommit(w.runBatch, w.runOne, { gatherMs: 0, inFlight: 1 });
    const started = performance.now();
    const first = write(1);
    // Already on its way before the event loop turns: no timer stands in front of it.
    expect(w.mostAtOnce()).toBe(1);
    const rest = [2, 3, 4].map(write);
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40]);
    expect(w.singles).toEqual([1]);
    expect(w.batches).toEqual([[2, 3, 4]]);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('writes a lone item on its own', async () => {
    const w = writer();
    const write = groupCommit(w.runBatch, w.runOne);
    expect(await write(7)).toBe(70);
    expect(w.batches).toEqual([]);
    expect(w.singles).toEqual([7]);
  });

  it('gathers what arrives while a batch runs into the next, at most maxBatch at a time', async () => {
    const w = writer(20);
    const write = groupCommit(w.runBatch, w.runOne, { maxBatch: 3, gatherMs: 1 });
    const first = [write(1), write(2)];
    await new Promise((r) => setTimeout(r, 5));
    const later = [3, 4, 5, 6, 7].map(write);
    expect(await Promise.all([...first, ...later])).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(w.batches).toEqual([
      [1, 2],
      [3, 4, 5],
      [6, 7],
    ]);
  });

  it('runs up to inFlight batches side by side, and never more', async () => {
    const w = writer(20);
    const write = groupCommit(w.runBatch, w.runOne, { maxBatch: 2, inFlight: 2 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => write(i)));
    expect(w.mostAtOnce()).toBe(2);
    expect(w.batches.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it('runs a failed batch again item by item, so that a bad item fails only itself', async () => {
    const w = writer(1, (items) => items.includes(13));
    const write = groupCommit(w.runBatch, w.runOne, { gatherMs: 2 });
    const results = await Promise.allSettled([12, 13, 14].map(write));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([120, 'thirteen', 140]);
    expect(w.singles).toEqual([12, 13, 14]);
  });
});
