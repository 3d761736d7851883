import { describe, expect, it } from 'vitest';
import { CommandBudget } from './command-budget';

describe('CommandBudget', () => {
  it('lets a burst through, refuses the next, and refills with time, each attendee on their own', () => {
    let t = 1000;
    const sut = new CommandBudget(3, 2, () => t);
    expect([sut.take('ana'), sut.take('ana'), sut.take('ana'), sut.take('ana')]).toEqual([true, true, true, false]);
    // Ben's bucket is his own.
    expect(sut.take('ben')).toBe(true);
    // Two a second: half a second gives Ana one command back, not more.
    t += 500;
    expect([sut.take('ana'), sut.take('ana')]).toEqual([true, false]);
    // A long pause refills to the burst, never past it.
    t += 60_000;
    expect([sut.take('ana'), sut.take('ana'), sut.take('ana'), sut.take('ana')]).toEqual([true, true, true, false]);
  });

  it('keeps refusing while a flood goes on: a refused command earns nothing back', () => {
    let t = 0;
    const sut = new CommandBudget(2, 1, () => t);
    sut.take('ana');
    sut.take('ana');
    let allowed = 0;
    for (let i = 0; i < 100; i++) {
      t += 100; // ten a second, against one a second
      if (sut.take('ana')) allowed++;
    }
    // Ten seconds at one a second (give or take the rounding of tenths).
    expect(allowed).toBeGreaterThanOrEqual(9);
    expect(allowed).toBeLessThanOrEqual(10);
  });
});
