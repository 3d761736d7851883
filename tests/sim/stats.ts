/** Nearest-rank percentile (q in 0..1) of a sample; null for an empty one. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export const round = (x: number | null, digits = 1): number | null => (x === null || !Number.isFinite(x) ? null : Number(x.toFixed(digits)));

/** What the replay learned about one attendee. Times are wall-clock milliseconds (performance.now()). */
export interface AttendeeOutcome {
  id: string;
  firstTime: boolean;
  /** When the accepted entry scan was sent; null if it never was accepted. */
  checkedInAt: number | null;
  /** When a non-empty list was first seen (session snapshot, sync or push). */
  firstSuggestionAt: number | null;
}

export interface ReplayTotals {
  attendees: number;
  checkins: number;
  checkouts: number;
  suggestionsReceived: number;
  answersYes: number;
  answersNo: number;
  mutual: number;
  errors: number;
  knowsWritten: number;
  knowsSkipped: number;
}

export interface ReplaySummary {
  sim: 'replay';
  attendees: number;
  checkins: number;
  checkouts: number;
  suggestions_received: number;
  answers_yes: number;
  answers_no: number;
  mutual: number;
  first_timers: number;
  first_timer_coverage: number | null;
  first_timers_without_suggestion: number;
  first_timer_wait_p50_s: number | null;
  first_timer_wait_p95_s: number | null;
  coverage: number | null;
  time_to_first_suggestion_p50_ms: number | null;
  time_to_first_suggestion_p95_ms: number | null;
  knows_written: number;
  knows_skipped: number;
  errors: number;
}

/**
 * The replay's closing figures. Waits count only people who got a suggestion while there;
 * the coverage figures say how many did not. `speed` turns wall milliseconds into simulated
 * seconds (at speed 60 one wall second is one simulated minute).
 */
export function summariseReplay(outcomes: readonly AttendeeOutcome[], totals: ReplayTotals, speed: number): ReplaySummary {
  const arrived = outcomes.filter((o) => o.checkedInAt !== null);
  const waitMs = (o: AttendeeOutcome) => (o.firstSuggestionAt === null || o.checkedInAt === null ? null : Math.max(0, o.firstSuggestionAt - o.checkedInAt));
  const covered = arrived.filter((o) => waitMs(o) !== null);
  const firstTimers = arrived.filter((o) => o.firstTime);
  const coveredFirst = firstTimers.filter((o) => waitMs(o) !== null);
  const firstWaitsS = coveredFirst.map((o) => (waitMs(o)! * speed) / 1000);
  const allWaitsMs = covered.map((o) => waitMs(o)!);
  return {
    sim: 'replay',
    attendees: totals.attendees,
    checkins: totals.checkins,
    checkouts: totals.checkouts,
    suggestions_received: totals.suggestionsReceived,
    answers_yes: totals.answersYes,
    answers_no: totals.answersNo,
    mutual: totals.mutual,
    first_timers: firstTimers.length,
    first_timer_coverage: firstTimers.length === 0 ? null : round(coveredFirst.length / firstTimers.length, 3),
    first_timers_without_suggestion: firstTimers.length - coveredFirst.length,
    first_timer_wait_p50_s: round(percentile(firstWaitsS, 0.5)),
    first_timer_wait_p95_s: round(percentile(firstWaitsS, 0.95)),
    coverage: arrived.length === 0 ? null : round(covered.length / arrived.length, 3),
    time_to_first_suggestion_p50_ms: round(percentile(allWaitsMs, 0.5)),
    time_to_first_suggestion_p95_ms: round(percentile(allWaitsMs, 0.95)),
    knows_written: totals.knowsWritten,
    knows_skipped: totals.knowsSkipped,
    errors: totals.errors,
  };
}
