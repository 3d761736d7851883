/**
 * How many socket commands one attendee may send, per node: a bucket of `burst` commands
 * that refills at `perSecond`, shared by all of their sockets. A page's own use (answers,
 * notes saved as they are typed, a sync after each reconnect) stays well below it; a script
 * flooding "where I am" updates, each of which rebuilds and pushes the lists of the writer's
 * matches, is refused with `rate_limited` until the bucket refills.
 *
 * Kept in memory: a command is a socket's own round trip, and a database write per command
 * to count it across nodes would double what it costs. An attendee's sockets are also
 * bounded per node (`SOCKETS_PER_CREDENTIAL`).
 */
export const COMMAND_BURST = 30;
export const COMMANDS_PER_SECOND = 5;

/** Buckets full again are dropped at most this often. */
const SWEEP_EVERY_MS = 60_000;

export class CommandBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private nextSweepAt = 0;

  constructor(
    private readonly burst = COMMAND_BURST,
    private readonly perSecond = COMMANDS_PER_SECOND,
    /** Monotonic milliseconds: the app's clock is moved by tests, a budget must not be. */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one command from `key`'s bucket; false when it is empty. */
  take(key: string): boolean {
    const t = this.now();
    this.sweep(t);
    const bucket = this.buckets.get(key);
    const tokens = bucket ? Math.min(this.burst, bucket.tokens + ((t - bucket.at) / 1000) * this.perSecond) : this.burst;
    const allowed = tokens >= 1;
    this.buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, at: t });
    return allowed;
  }

  /** Forgets the buckets that have refilled: a full bucket is the same as none. */
  private sweep(t: number) {
    if (t < this.nextSweepAt) return;
    this.nextSweepAt = t + SWEEP_EVERY_MS;
    const fullAfterMs = (this.burst / this.perSecond) * 1000;
    for (const [key, bucket] of this.buckets) if (t - bucket.at >= fullAfterMs) this.buckets.delete(key);
  }
}
