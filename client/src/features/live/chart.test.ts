import { describe, expect, it } from 'vitest';
import { countTicks, timeTicks } from './chart';

describe('countTicks', () => {
  it('runs from zero past the largest value in round steps', () => {
    expect(countTicks(0)).toEqual([0, 1]);
    expect(countTicks(6)).toEqual([0, 2, 4, 6]);
    expect(countTicks(143)).toEqual([0, 50, 100, 150]);
  });
});

describe('timeTicks', () => {
  const utc = (hhmm: string) => Date.parse(`2026-11-25T${hhmm}:00Z`);
  const local = (ticks: number[], timeZone: string) =>
    ticks.map((t) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' }).format(t));

  it("falls on round wall-clock times of the event's zone", () => {
    expect(local(timeTicks(utc('18:00'), utc('18:22'), 'Europe/Lisbon'), 'Europe/Lisbon')).toEqual(['18:00', '18:05', '18:10', '18:15', '18:20']);
    // Kolkata is UTC+05:30: 12:00 to 17:00 UTC is 17:30 to 22:30 there, ticked on its own hours.
    expect(local(timeTicks(utc('12:00'), utc('17:00'), 'Asia/Kolkata'), 'Asia/Kolkata')).toEqual(['18:00', '19:00', '20:00', '21:00', '22:00']);
  });
});
