import { describe, expect, it } from 'vitest';
import { assignSpots, FAR_COST, NEAR_SLACK, type Spot } from './spread';

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

  describe('with pins on the floor plan', () => {
    // A row of tables along the plan: a and b side by side on the left, c on the right, d unpinned in Hall A.
    const venue: Spot[] = [
      { id: 'a', zone: null, pin: { x: 0.1, y: 0.5 } },
      { id: 'b', zone: null, pin: { x: 0.1 + NEAR_SLACK / 2, y: 0.5 } },
      { id: 'c', zone: null, pin: { x: 0.9, y: 0.5 } },
      { id: 'd', zone: 'Hall A', pin: null },
    ];
    const leftKiosk = [{ x: 0, y: 0.5 }];
    const rightKiosk = [{ x: 1, y: 0.5 }];

    it('sends pairs from a kiosk to the spots nearest it, spread over them', () => {
      expect(assignSpots(venue, new Map(), [[], [], [], []], [leftKiosk, leftKiosk, leftKiosk, leftKiosk])).toEqual(['a', 'b', 'a', 'b']);
      expect(assignSpots(venue, new Map(), [[], []], [rightKiosk, rightKiosk])).toEqual(['c', 'c']);
    });

    it('walks a pair further once the nearest spots are more than FAR_COST pairs busier', () => {
      const busy = new Map([
        ['a', FAR_COST + 1],
        ['b', FAR_COST + 1],
      ]);
      expect(assignSpots(venue, busy, [[]], [leftKiosk])).toEqual(['c']);
      expect(assignSpots(venue, new Map([['a', FAR_COST]]), [[]], [leftKiosk])).toEqual(['b']);
    });

    it('counts an unpinned spot in the pair\'s zone as near, and uses zones alone for a pair whose kiosk has no pin', () => {
      const busy = new Map([
        ['a', 1],
        ['b', 1],
      ]);
      expect(assignSpots(venue, busy, [['Hall A']], [leftKiosk])).toEqual(['d']);
      expect(assignSpots(venue, new Map(), [['Hall A']], [[]])).toEqual(['d']);
      expect(assignSpots(venue, new Map(), [['Hall A']])).toEqual(['d']);
    });

    it('spreads over every spot when no spot has a pin, whatever the kiosk\'s pin', () => {
      expect(assignSpots(spots(null, null), new Map([['a', 1]]), [[]], [leftKiosk])).toEqual(['b']);
    });
  });
});
