import { describe, expect, it } from 'vitest';
import { assignSpots } from './spread';

describe('assignSpots', () => {
  it('spreads pairs evenly, the least busy spot first', () => {
    const sut = assignSpots(['a', 'b', 'c'], new Map([['a', 2]]), 4);
    expect(sut).toEqual(['b', 'c', 'b', 'c']);
  });

  it('proposes nothing without spots', () => {
    expect(assignSpots([], new Map(), 3)).toEqual([]);
  });
});
