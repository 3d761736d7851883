import { followups, type Db } from '@edgewise/db';
import type { AppDeps, Mailer } from '../../deps';
import { previewMailer } from '../../deps';
import { AppError } from '../../http/errors';
import { getEvent } from '../events/service';
import { claimDue, createOutboxSender } from '../mail/outbox';
import { defaultFrom } from './mailer';
import { dueEventIds, ensureRows, followupWaiting, reopenSkipped } from './repo';
import { buildPreview, defaultFollowupConfig, requireCheckedIn, skipMessages } from './service';

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

/**
 * The follow-up for one process. A timer (on `deps.now`, so tests move it with their
 * clock) sends every event's follow-ups once its end plus `followUpHours` has passed; the
 * organiser can send at any time. Each mail is claimed through its `followups` row before
 * it is sent (../mail/outbox), so several nodes, restarts and a racing "send now" still send it once.
 */
export function createFollowupRuntime(deps: AppDeps): FollowupRuntime {
  const config = { ...defaultFollowupConfig, ...deps.followup };
  const mailer = deps.mailer ?? previewMailer(defaultFrom(deps.publicUrl));
  const db = () => deps.database.db;
  let ticking: Promise<void> | null = null;

  const sender = createOutboxSender(deps, {
    table: followups,
    mailer,
    config,
    what: 'follow-up',
    async compose(claim) {
      const { preview, message } = await buildPreview(deps, claim.eventId, claim.attendeeId);
      if (message) return { message };
      // Checked again at send time: an email removed or an opt-out made since counts. No
      // send was tried: the attempt the claim counted is given back.
      const reason = skipMessages[preview.skipReason ?? 'no_email'];
      return { skip: { status: 'skipped', attempts: claim.attempts - 1, lastError: reason, nextAttemptAt: null, updatedAt: new Date(deps.now()) } };
    },
  });
  const claim = (database: Db, eventId: string, now: number, force: boolean, attendeeId?: string) =>
    claimDue(database, followups, followupWaiting, { ...sender.claimOptions(now), eventId, force, ...(attendeeId ? { attendeeId } : {}) });

  async function runDue() {
    const now = deps.now();
    for (const eventId of await dueEventIds(db(), new Date(now), config.lateWindowMs)) {
      if (sender.closed) return;
      await ensureRows(db(), eventId, new Date(now));
      await sender.send(await claim(db(), eventId, now, false));
    }
  }

  function tick(): Promise<void> {
    if (sender.closed || mailer.kind !== 'smtp') return Promise.resolve();
    ticking ??= sender.track(
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
      if (sender.closed) throw new AppError('conflict', 'The server is shutting down: try again in a moment.');
      const database = db();
      await getEvent(database, eventId);
      const now = deps.now();
      if (attendeeId) {
        await requireCheckedIn(database, eventId, attendeeId);
        await reopenSkipped(database, attendeeId, new Date(now));
      }
      await ensureRows(database, eventId, new Date(now), attendeeId);
      const claims = await claim(database, eventId, now, true, attendeeId);
      void sender.send(claims);
      return claims.length;
    },
    settled: () => sender.settled(),
    async close() {
      clearInterval(timer);
      await sender.close();
    },
  };
}
