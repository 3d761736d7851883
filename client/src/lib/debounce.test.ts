import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounce } from './debounce';

describe('debounce', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs once with the last arguments after calls stop', () => {
    const seen: string[] = [];
    const sut = debounce((s: string) => seen.push(s), 500);
    sut.call('a');
    vi.advanceTimersByTime(300);
    sut.call('ab');
    vi.advanceTimersByTime(300);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(seen).toEqual(['ab']);
  });

  it('flushes a pending call at once and then has nothing left to run', () => {
    const seen: string[] = [];
    const sut = debounce((s: string) => seen.push(s), 500);
    sut.call('typed');
    expect(sut.pending).toBe(true);
    sut.flush();
    expect(seen).toEqual(['typed']);
    expect(sut.pending).toBe(false);
    vi.advanceTimersByTime(1000);
    sut.flush();
    expect(seen).toEqual(['typed']);
  });

  it('drops a cancelled call', () => {
    const seen: string[] = [];
    const sut = debounce((s: string) => seen.push(s), 500);
    sut.call('gone');
    sut.cancel();
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual([]);
  });
});
