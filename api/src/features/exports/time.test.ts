import { describe, expect, it } from 'vitest';
import { zonedToUtc } from '@edgewise/shared';
import { isoInZone } from './time';

describe('isoInZone', () => {
  it('writes the wall-clock time with its offset', () => {
    expect(isoInZone(Date.parse('2026-11-25T18:04:05Z'), 'Europe/Lisbon')).toBe('2026-11-25T18:04:05+00:00');
    expect(isoInZone(Date.parse('2026-07-01T18:04:05Z'), 'Europe/Lisbon')).toBe('2026-07-01T19:04:05+01:00');
    expect(isoInZone(Date.parse('2026-11-25T18:04:05Z'), 'America/St_Johns')).toBe('2026-11-25T14:34:05-03:30');
    expect(isoInZone(Date.parse('2026-11-25T18:04:05Z'), 'Asia/Kolkata')).toBe('2026-11-25T23:34:05+05:30');
  });

  it('says nothing for no time', () => {
    expect(isoInZone(null, 'UTC')).toBe('');
  });

  it('reads back as the same instant', () => {
    const at = Date.parse('2026-03-29T00:59:59Z');
    expect(Date.parse(isoInZone(at, 'Europe/Berlin'))).toBe(at);
  });
});

describe('zonedToUtc', () => {
  it('finds the instant a local time names, on either side of a clock change', () => {
    expect(new Date(zonedToUtc({ year: 2026, month: 11, day: 26, hour: 10, minute: 0 }, 'Europe/Berlin')).toISOString()).toBe('2026-11-26T09:00:00.000Z');
    expect(new Date(zonedToUtc({ year: 2026, month: 7, day: 1, hour: 10, minute: 0 }, 'Europe/Berlin')).toISOString()).toBe('2026-07-01T08:00:00.000Z');
    expect(new Date(zonedToUtc({ year: 2026, month: 3, day: 29, hour: 10, minute: 0 }, 'Europe/Berlin')).toISOString()).toBe('2026-03-29T08:00:00.000Z');
  });
});
