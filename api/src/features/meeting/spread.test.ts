import { describe, expect, it } from 'vitest';
import { assignSpots, FAR_COST } from './spread';

const spots = (...zones: (string | null)[]) => zones.map((zone, i) => ({ id: String.fromCharCode(97 + i), zone }));

describe('assignSpots', () => {
  it('spreads pairs evenly, the least busy spot first', () => {
    const sut = assignSpots(spots(null, null, null), new Map([['a', 2]]), [[], [], [], []]);
    expect(sut).toEqual(['b', 'c', 'b', 'c']);
  });

  it('proposes nothing without spots', () => {
    expect(assignSpots([], new Map(), [[], [], []])).toEqual([]);
  });

  it('sends a pair to a spot in its zone, spreading them there, until that zone is much busier than another', () => {
    const venue = spots('Hall A', 'Hall B', 'Hall B');
    // Four pairs last seen in Hall B share its two spots; Hall A is empty but further away.
    expect(assignSpots(venue, new Map(), [['Hall B'], ['Hall B'], ['Hall B'], ['Hall B']])).toEqual(['b', 'c', 'b', 'c']);
    // Hall B's spots are FAR_COST pairs busier than Hall A's: the next pair walks a little further.
    const busy = new Map([
      ['b', FAR_COST],
      ['c', FAR_COST],
    ]);
    expect(assignSpots(venue, busy, [['Hall B']])).toEqual(['a']);
    expect(assignSpots(venue, busy, [['Hall A']])).toEqual(['a']);
  });

  it('treats a pair seen in two zones as near both, and a zone with no spot as no preference at all', () => {
    const venue = spots('Hall A', 'Hall B', null);
    expect(assignSpots(venue, new Map([['a', 1]]), [['Hall A', 'Hall B']])).toEqual(['b']);
    expect(assignSpots(venue, new Map([['a', 1]]), [['Terrace']])).toEqual(['b']);
  });
});
