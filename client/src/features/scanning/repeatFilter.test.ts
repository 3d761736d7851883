import { describe, expect, it } from 'vitest';
import { createRepeatFilter } from './repeatFilter';

function aClock() {
  let t = 1_000_000;
  const clock = () => t;
  clock.advance = (ms: number) => {
    t += ms;
  };
  return clock;
}

describe('createRepeatFilter', () => {
  it('lets the first sighting of a text through and ignores it again within the window', () => {
    const clock = aClock();
    const sut = createRepeatFilter(3000, clock);
    expect(sut('ticket-a')).toBe(true);
    clock.advance(500);
    expect(sut('ticket-a')).toBe(false);
  });

  it('treats surrounding whitespace from a handheld scanner as the same text', () => {
    const sut = createRepeatFilter(3000, aClock());
    expect(sut('ticket-a\n')).toBe(true);
    expect(sut('  ticket-a')).toBe(false);
  });

  it('keeps ignoring a code that stays in view, and accepts it once it was gone for the whole window', () => {
    const clock = aClock();
    const sut = createRepeatFilter(3000, clock);
    sut('ticket-a');
    for (let i = 0; i < 10; i++) {
      clock.advance(1000);
      expect(sut('ticket-a')).toBe(false);
    }
    clock.advance(3000);
    expect(sut('ticket-a')).toBe(true);
  });

  it('does not hold back a different code', () => {
    const sut = createRepeatFilter(3000, aClock());
    expect(sut('ticket-a')).toBe(true);
    expect(sut('ticket-b')).toBe(true);
  });
});
