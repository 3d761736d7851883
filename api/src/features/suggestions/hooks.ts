/**
 * What the rest of the API tells live matching. Calls return at once: the work happens
 * after the caller's transaction committed, off the request path.
 */
export interface MatchingHooks {
  /** An effective entry or exit was recorded. */
  presenceChanged(eventId: string, attendeeId: string): void;
  /** An attendee's intent, profile, host flag or opt-out changed, or they were removed. */
  attendeeChanged(eventId: string, attendeeId: string): void;
  /** A pair's state changed: an answer, a "we met", a decline. */
  pairChanged(eventId: string, a: string, b: string): void;
  /** The event's settings changed (tag lists, suggestions per person, edge minutes). */
  eventChanged(eventId: string): void;
  /**
   * Resolves once everything queued so far has been applied and broadcast (for one event
   * only, when given: the kiosk waits for its own event, not for every other).
   */
  settled(eventId?: string): Promise<void>;
}
