import { describe, expect, it } from 'vitest';
import { formatOffset, offsetMinutesAt, toZonedIso, toZonedLocal, zonedLocalToInstant, zonedLocalToIso } from './zonedTime';

describe('zonedTime', () => {
  it('reads a wall time in the event zone, not the browser zone', () => {
    expect(zonedLocalToIso('2026-11-25T18:00', 'Europe/Lisbon')).toBe('2026-11-25T18:00:00+00:00');
    expect(zonedLocalToIso('2026-07-01T18:00', 'Europe/Lisbon')).toBe('2026-07-01T18:00:00+01:00');
    expect(zonedLocalToIso('2026-07-01T18:00', 'America/New_York')).toBe('2026-07-01T18:00:00-04:00');
    expect(zonedLocalToIso('2026-01-10T09:30', 'Asia/Kolkata')).toBe('2026-01-10T09:30:00+05:30');
    expect(Date.parse(zonedLocalToIso('2026-07-01T18:00', 'America/New_York') ?? '')).toBe(Date.parse('2026-07-01T22:00:00Z'));
  });

  it('moves a time skipped by a spring-forward change forward by the gap', () => {
    // Lisbon skips 01:00-02:00 on 29 March 2026.
    expect(zonedLocalToIso('2026-03-29T01:30', 'Europe/Lisbon')).toBe('2026-03-29T02:30:00+01:00');
  });

  it('resolves a time that happens twice to a real instant in that hour', () => {
    const ms = zonedLocalToInstant('2026-10-25T01:30', 'Europe/Lisbon');
    expect(ms === Date.parse('2026-10-25T00:30:00Z') || ms === Date.parse('2026-10-25T01:30:00Z')).toBe(true);
  });

  it('round-trips an instant through the datetime-local value of its zone', () => {
    const iso = '2026-11-25T17:00:00Z';
    expect(toZonedLocal(iso, 'Europe/Berlin')).toBe('2026-11-25T18:00');
    expect(zonedLocalToInstant(toZonedLocal(iso, 'Europe/Berlin'), 'Europe/Berlin')).toBe(Date.parse(iso));
    expect(toZonedIso(Date.parse(iso), 'UTC')).toBe('2026-11-25T17:00:00+00:00');
  });

  it('refuses incomplete input', () => {
    expect(zonedLocalToIso('', 'UTC')).toBeNull();
    expect(zonedLocalToIso('2026-11-25', 'UTC')).toBeNull();
  });

  it('names offsets the way ISO does', () => {
    expect(formatOffset(0)).toBe('+00:00');
    expect(formatOffset(-210)).toBe('-03:30');
    expect(offsetMinutesAt(Date.parse('2026-01-10T00:00:00Z'), 'Asia/Kathmandu')).toBe(345);
  });
});
