import { describe, expect, it } from 'vitest';
import { percentile, summariseReplay, type AttendeeOutcome, type ReplayTotals } from './stats';

const totals: ReplayTotals = { attendees: 5, checkins: 4, checkouts: 1, suggestionsReceived: 9, answersYes: 3, answersNo: 2, mutual: 1, errors: 0, knowsWritten: 0, knowsSkipped: 2 };

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const xs = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(xs, 0.5)).toBe(5);
    expect(percentile(xs, 0.95)).toBe(10);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe('summariseReplay', () => {
  const outcomes: AttendeeOutcome[] = [
    { id: 'a', firstTime: true, checkedInAt: 1000, firstSuggestionAt: 1100 },
    { id: 'b', firstTime: true, checkedInAt: 2000, firstSuggestionAt: 2500 },
    { id: 'c', firstTime: true, checkedInAt: 3000, firstSuggestionAt: null },
    { id: 'd', firstTime: false, checkedInAt: 4000, firstSuggestionAt: 4050 },
    { id: 'e', firstTime: true, checkedInAt: null, firstSuggestionAt: null },
  ];

  it('counts only people who arrived, and waits only of those who got a suggestion', () => {
    const sut = summariseReplay(outcomes, totals, 60);
    expect(sut).toMatchObject({
      sim: 'replay',
      attendees: 5,
      first_timers: 3,
      first_timer_coverage: 0.667,
      first_timers_without_suggestion: 1,
      coverage: 0.75,
      time_to_first_suggestion_p50_ms: 100,
      time_to_first_suggestion_p95_ms: 500,
      mutual: 1,
      errors: 0,
    });
  });

  it('turns wall time into simulated seconds by the speed', () => {
    // 100 ms and 500 ms of wall clock at speed 60 are 6 s and 30 s of the evening.
    expect(summariseReplay(outcomes, totals, 60)).toMatchObject({ first_timer_wait_p50_s: 6, first_timer_wait_p95_s: 30 });
    expect(summariseReplay(outcomes, totals, 1)).toMatchObject({ first_timer_wait_p50_s: 0.1, first_timer_wait_p95_s: 0.5 });
  });

  it('has no coverage figure when nobody came', () => {
    const sut = summariseReplay([{ id: 'x', firstTime: true, checkedInAt: null, firstSuggestionAt: null }], totals, 60);
    expect(sut.first_timer_coverage).toBeNull();
    expect(sut.first_timer_wait_p95_s).toBeNull();
  });
});
