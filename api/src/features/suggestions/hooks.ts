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

/** The hooks plus what the app itself drives: passes, the away sweep and shutdown. */
export interface MatchingRuntime extends MatchingHooks {
  /** Queues a global pass for the event and resolves once it is written and broadcast. */
  runGlobalPass(eventId: string): Promise<void>;
  /**
   * Looks for people gone away (no sign for the event's "away after" minutes) or back, takes
   * them out of (or back into) every list, and resolves once that is written and pushed.
   * The periodic timer runs it for every event with a live engine.
   */
  sweepAway(eventId: string): Promise<void>;
  /** Stops the timers, lets queued work finish, stops the worker. */
  close(): Promise<void>;
}
