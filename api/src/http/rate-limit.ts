/**
 * Fixed-window rate limits kept in the database, so every node behind the balancer counts
 * the same attempts: one upsert on `rate_limits` per attempt, whichever node takes it.
 * Keys are stored as sha256(limiter name, key): no address or email sits in the table.
 * Times come from the app's clock, not the database's, so tests move the window.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Request } from 'express';
import { rowsOf, type Db } from '@edgewise/db';

/** Expired windows are deleted at most this often per node (one statement, on the next attempt). */
const SWEEP_EVERY_MS = 10 * 60_000;

export class RateLimitStore {
  private nextSweepAt = 0;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly log: (line: Record<string, unknown>) => void,
  ) {}

  /** A limiter of `limit` attempts per `windowMs` for each key, under its own name. */
  limiter(name: string, limit: number, windowMs: number): RateLimiter {
    return new RateLimiter(this, name, limit, windowMs);
  }

  /** Counts one attempt on a hashed key; answers the window's count and the milliseconds left in it. */
  async hit(hashedKey: string, limit: number, windowMs: number): Promise<{ count: number; msLeft: number }> {
    const t = this.now();
    this.maybeSweep(t);
    const now = new Date(t).toISOString();
    const resetAt = new Date(t + windowMs).toISOString();
    // A window that has ended starts again at 1; the count stops one past the limit, so a
    // flood cannot run it into integer overflow.
    const result = await this.db.execute(sql`
      insert into rate_limits (key, count, reset_at) values (${hashedKey}, 1, ${resetAt}::timestamptz)
      on conflict (key) do update set
        count = case when rate_limits.reset_at <= ${now}::timestamptz then 1 else least(rate_limits.count + 1, ${limit + 1}) end,
        reset_at = case when rate_limits.reset_at <= ${now}::timestamptz then excluded.reset_at else rate_limits.reset_at end
      returning count, (extract(epoch from reset_at) * 1000)::float8 as reset_at_ms`);
    const [row] = rowsOf<{ count: number | string; reset_at_ms: number | string }>(result);
    if (!row) throw new Error('rate limit upsert returned nothing');
    return { count: Number(row.count), msLeft: Number(row.reset_at_ms) - t };
  }

  async forget(hashedKey: string): Promise<void> {
    await this.db.execute(sql`delete from rate_limits where key = ${hashedKey}`);
  }

  async giveBack(hashedKey: string): Promise<void> {
    await this.db.execute(sql`update rate_limits set count = greatest(count - 1, 0) where key = ${hashedKey}`);
  }

  private maybeSweep(t: number) {
    if (t < this.nextSweepAt) return;
    this.nextSweepAt = t + SWEEP_EVERY_MS;
    // Not awaited: the attempt that triggers it does not wait for the housekeeping.
    this.db.execute(sql`delete from rate_limits where reset_at <= ${new Date(t).toISOString()}::timestamptz`).catch((err: unknown) => {
      this.log({ level: 'warn', msg: 'sweeping expired rate limits failed', err: String(err) });
    });
  }
}

export class RateLimiter {
  constructor(
    private readonly store: RateLimitStore,
    private readonly name: string,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one attempt; resolves to the seconds to wait when over the limit, else 0. */
  async take(key: string): Promise<number> {
    const { count, msLeft } = await this.store.hit(this.hash(key), this.limit, this.windowMs);
    return count > this.limit ? Math.max(1, Math.ceil(msLeft / 1000)) : 0;
  }

  /** Forgets the key's window (e.g. after a successful login on the account). */
  reset(key: string): Promise<void> {
    return this.store.forget(this.hash(key));
  }

  /** Takes back one counted attempt that turned out legitimate, without opening the window for others. */
  giveBack(key: string): Promise<void> {
    return this.store.giveBack(this.hash(key));
  }

  private hash(key: string): string {
    return createHash('sha256').update(this.name).update('\0').update(key).digest('hex');
  }
}

/** The address a limit counts: the connection's own, or the balancer's word when TRUST_PROXY names it. */
export const clientIp = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';
