import { and, eq, sql } from 'drizzle-orm';
import { followups, invitations, rowsOf, type Db } from '@edgewise/db';
import type { AppDeps, Mailer, MailMessage } from '../../deps';
import { forEachLimited } from '../../lib/limit';

/**
 * Mails that must go out once: follow-ups and ticket mails. Each has a row that is its
 * claim (same columns in both tables: status, attempts, last_error, next_attempt_at,
 * sent_at, message_id). A sender turns the row `sending` with a lease before it sends;
 * whoever's update did that sends, so several nodes, restarts and racing clicks send once.
 * A failure records the SMTP server's reason and a next attempt with backoff (1, 4, 16…
 * times `retryBaseMs`) until `maxAttempts`; a node that died mid-send leaves a lease that
 * runs out, and the row is claimed again.
 */

/** The tables whose rows are mail claims; they share the claim columns. */
export type OutboxTable = typeof followups | typeof invitations;

export interface Claim {
  id: string;
  attendeeId: string;
  eventId: string;
  attempts: number;
}

export interface ClaimOptions {
  at: Date;
  /** The claim's lease: past it, another run may take the row over. */
  leaseUntil: Date;
  maxAttempts: number;
  /** One event's rows, or (unset) every event's. */
  eventId?: string;
  attendeeId?: string;
  /** The organiser's "send now": failed rows go again at once, whatever their count. */
  force: boolean;
  /** Claim at most this many (unset: all that are due). */
  limit?: number;
}

export interface OutboxConfig {
  /** First pause after a failed send; each later one is four times longer. */
  retryBaseMs: number;
  /** Sends tried before a row stays failed until the organiser sends it again. */
  maxAttempts: number;
  /** A claim older than this (a node died mid-send) is taken over and tried again. */
  sendingTimeoutMs: number;
  /** Mails on their way at once. */
  concurrency: number;
}

export const retryDelay = (config: Pick<OutboxConfig, 'retryBaseMs'>, attempts: number) => config.retryBaseMs * 4 ** Math.max(0, attempts - 1);

export const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim().slice(0, 500) || 'unknown error';

/**
 * Claims the rows to send now in one statement: whoever's update turns a row into
 * `sending` sends it. A concurrent claimer skips the rows this one has locked, and once it
 * commits sees them `sending` with a lease in the future, so a mail goes out once however
 * many schedulers and organisers ask at the same moment. `waiting` names the table's statuses
 * that wait to be sent (`pending` or `queued`, and `failed`).
 */
export async function claimDue(db: Db, table: OutboxTable, waiting: readonly string[], o: ClaimOptions): Promise<Claim[]> {
  const at = sql`${o.at.toISOString()}::timestamptz`;
  const statuses = sql.join(
    waiting.map((s) => sql`${s}`),
    sql`, `,
  );
  const retryable = o.force
    ? sql`f.status in (${statuses})`
    : sql`(f.status in (${statuses}) and f.next_attempt_at <= ${at} and f.attempts < ${o.maxAttempts})`;
  // Rows another claimer holds locked are skipped, not waited for: they are being claimed.
  const result = await db.execute(sql`
    update ${table} f
    set status = 'sending', attempts = f.attempts + 1, next_attempt_at = ${o.leaseUntil.toISOString()}::timestamptz, updated_at = ${at}
    where f.id in (
      select f.id from ${table} f
      where true
        ${o.eventId ? sql`and f.event_id = ${o.eventId}` : sql``}
        ${o.attendeeId ? sql`and f.attendee_id = ${o.attendeeId}` : sql``}
        and (${retryable} or (f.status = 'sending' and f.next_attempt_at <= ${at}))
      order by f.next_attempt_at
      ${o.limit ? sql`limit ${o.limit}` : sql``}
      for update skip locked
    )
    returning f.id, f.attendee_id, f.event_id, f.attempts
  `);
  return rowsOf<{ id: string; attendee_id: string; event_id: string; attempts: number }>(result).map((r) => ({
    id: r.id,
    attendeeId: r.attendee_id,
    eventId: r.event_id,
    attempts: Number(r.attempts),
  }));
}

/** How a claim ends: the claim columns both tables share. */
export interface ClaimEnd {
  status: string;
  attempts?: number;
  lastError?: string | null;
  nextAttemptAt?: Date | null;
  sentAt?: Date;
  messageId?: string;
  updatedAt: Date;
}

/** Ends a claim, only if it is still this claim (same attempt, still sending). */
export async function finishClaim(db: Db, table: OutboxTable, claim: Claim, set: ClaimEnd & Record<string, unknown>): Promise<boolean> {
  // Both tables have these columns under the same names; drizzle types one of them.
  const t = table as typeof followups;
  const rows = await db
    .update(t)
    .set(set)
    .where(and(eq(t.id, claim.id), eq(t.status, 'sending'), eq(t.attempts, claim.attempts)))
    .returning({ id: t.id });
  return rows.length > 0;
}

/** What a sender makes of one claim: a mail (and columns to store once sent), or a reason not to send. */
export type Composed = { message: MailMessage; onSent?: Record<string, unknown> } | { skip: ClaimEnd & Record<string, unknown> };

export interface OutboxSender {
  /** Sends these claims in the background (at most `concurrency` at once); resolves when they are done. */
  send(claims: Claim[]): Promise<void>;
  claimOptions(now: number): Pick<ClaimOptions, 'at' | 'leaseUntil' | 'maxAttempts'>;
  /** Runs `fn` unless closing, tracked so `settled` and `close` wait for it. */
  track(p: Promise<void>): Promise<void>;
  readonly closed: boolean;
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The sending half shared by follow-ups and ticket mails: compose, send, record the outcome
 * on the claim (sent, or failed with the server's reason and when to try again).
 */
export function createOutboxSender(
  deps: AppDeps,
  options: {
    table: OutboxTable;
    mailer: Mailer;
    config: OutboxConfig;
    /** For log lines: "follow-up", "ticket mail". */
    what: string;
    compose(claim: Claim): Promise<Composed>;
    /** Told after each claim ends (sent, failed or skipped). */
    onFinished?(claim: Claim): void;
  },
): OutboxSender {
  const { table, mailer, config } = options;
  const db = () => deps.database.db;
  const inflight = new Set<Promise<void>>();
  let closed = false;

  const track = (p: Promise<void>) => {
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
    return p;
  };

  async function sendOne(claim: Claim) {
    const at = () => new Date(deps.now());
    try {
      const composed = await options.compose(claim);
      if ('skip' in composed) {
        await finishClaim(db(), table, claim, composed.skip);
        return;
      }
      const { messageId } = await mailer.send(composed.message);
      await finishClaim(db(), table, claim, { ...composed.onSent, status: 'sent', sentAt: at(), messageId, lastError: null, nextAttemptAt: null, updatedAt: at() });
    } catch (err) {
      const retry = claim.attempts < config.maxAttempts;
      deps.log({ level: 'warn', msg: `${options.what} send failed`, attendeeId: claim.attendeeId, attempt: claim.attempts, retry, err: errorText(err) });
      await finishClaim(db(), table, claim, {
        status: 'failed',
        lastError: errorText(err),
        nextAttemptAt: retry ? new Date(deps.now() + retryDelay(config, claim.attempts)) : null,
        updatedAt: at(),
      }).catch((e: unknown) => deps.log({ level: 'error', msg: `could not record a failed ${options.what}`, err: String(e) }));
    } finally {
      options.onFinished?.(claim);
    }
  }

  return {
    send: (claims) => track(forEachLimited(claims, config.concurrency, sendOne)),
    claimOptions: (now) => ({ at: new Date(now), leaseUntil: new Date(now + config.sendingTimeoutMs), maxAttempts: config.maxAttempts }),
    track,
    get closed() {
      return closed;
    },
    async settled() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
    async close() {
      closed = true;
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
  };
}
