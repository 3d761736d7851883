import type { AppDeps, Mailer } from '../../deps';
import { previewMailer } from '../../deps';
import { AppError } from '../../http/errors';
import { forEachLimited } from '../../lib/limit';
import { getEvent } from '../events/service';
import { defaultFrom } from './mailer';
import { claimDue, dueEventIds, ensureRows, finishClaim, reopenSkipped, type Claim } from './repo';
import { buildPreview, defaultFollowupConfig, requireCheckedIn, retryDelay, skipMessages } from './service';

export interface FollowupRuntime {
  readonly mailer: Mailer;
  /** Sends whatever is due now: what the timer runs. Resolves when those sends are done. */
  tick(): Promise<void>;
  /**
   * The organiser's "send now" for an event (or one attendee): claims what can go now,
   * including failed ones, and sends in the background. Resolves with how many it claimed.
   */
  sendNow(eventId: string, attendeeId?: string): Promise<number>;
  /** Resolves when every send started so far has finished. */
  settled(): Promise<void>;
  /** Stops the timer and waits for sends on their way. */
  close(): Promise<void>;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim().slice(0, 500) || 'unknown error';

/**
 * The follow-up for one process. A timer (on `deps.now`, so tests move it with their
 * clock) sends every event's follow-ups once its end plus `followUpHours` has passed; the
 * organiser can send at any time. Each mail is claimed through its `followups` row before
 * it is sent, so several nodes, restarts and a racing "send now" still send it once.
 */
export function createFollowupRuntime(deps: AppDeps): FollowupRuntime {
  const config = { ...defaultFollowupConfig, ...deps.followup };
  const mailer = deps.mailer ?? previewMailer(defaultFrom(deps.publicUrl));
  const db = () => deps.database.db;
  const inflight = new Set<Promise<void>>();
  let closed = false;
  let ticking: Promise<void> | null = null;

  const track = (p: Promise<void>) => {
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
    return p;
  };

  async function sendOne(claim: Claim) {
    const at = () => new Date(deps.now());
    try {
      const { preview, message } = await buildPreview(deps, claim.eventId, claim.attendeeId);
      if (!message) {
        // Checked again at send time: an email removed or an opt-out made since counts.
        const reason = skipMessages[preview.skipReason ?? 'no_email'];
        // No send was tried: the attempt the claim counted is given back.
        await finishClaim(db(), claim, { status: 'skipped', attempts: claim.attempts - 1, lastError: reason, nextAttemptAt: null, updatedAt: at() });
        return;
      }
      const { messageId } = await mailer.send(message);
      await finishClaim(db(), claim, { status: 'sent', sentAt: at(), messageId, lastError: null, nextAttemptAt: null, updatedAt: at() });
    } catch (err) {
      const retry = claim.attempts < config.maxAttempts;
      deps.log({ level: 'warn', msg: 'follow-up send failed', attendeeId: claim.attendeeId, attempt: claim.attempts, retry, err: errorText(err) });
      await finishClaim(db(), claim, {
        status: 'failed',
        lastError: errorText(err),
        nextAttemptAt: retry ? new Date(deps.now() + retryDelay(config, claim.attempts)) : null,
        updatedAt: at(),
      }).catch((e: unknown) => deps.log({ level: 'error', msg: 'could not record a failed follow-up', err: String(e) }));
    }
  }

  const sendAll = (claims: Claim[]) => forEachLimited(claims, config.concurrency, sendOne);

  const claimOptions = (now: number) => ({ at: new Date(now), leaseUntil: new Date(now + config.sendingTimeoutMs), maxAttempts: config.maxAttempts });

  async function runDue() {
    const now = deps.now();
    for (const eventId of await dueEventIds(db(), new Date(now), config.lateWindowMs)) {
      if (closed) return;
      await ensureRows(db(), eventId, new Date(now));
      await sendAll(await claimDue(db(), eventId, { ...claimOptions(now), force: false }));
    }
  }

  function tick(): Promise<void> {
    if (closed || mailer.kind !== 'smtp') return Promise.resolve();
    ticking ??= track(
      runDue()
        .catch((err: unknown) => deps.log({ level: 'error', msg: 'follow-up scheduler failed', err: String((err as Error)?.stack ?? err) }))
        .finally(() => {
          ticking = null;
        }),
    );
    return ticking;
  }

  const timer = setInterval(() => void tick(), config.tickMs);
  timer.unref();

  return {
    mailer,
    tick,
    async sendNow(eventId, attendeeId) {
      if (mailer.kind !== 'smtp') {
        throw new AppError('conflict', 'No SMTP_URL is set on the server, so follow-ups can be previewed but not sent.');
      }
      if (closed) throw new AppError('conflict', 'The server is shutting down: try again in a moment.');
      const database = db();
      await getEvent(database, eventId);
      const now = deps.now();
      if (attendeeId) {
        await requireCheckedIn(database, eventId, attendeeId);
        await reopenSkipped(database, attendeeId, new Date(now));
      }
      await ensureRows(database, eventId, new Date(now), attendeeId);
      const claims = await claimDue(database, eventId, { ...claimOptions(now), force: true, ...(attendeeId ? { attendeeId } : {}) });
      track(sendAll(claims));
      return claims.length;
    },
    async settled() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
    async close() {
      closed = true;
      clearInterval(timer);
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
  };
}
