import { invitations } from '@edgewise/db';
import { ticketUrl } from '@edgewise/shared';
import type { FeatureContext, Io } from '../../context';
import { previewMailer, type InvitationConfig, type Mailer } from '../../deps';
import { organiserRoom } from '../realtime/socket';
import { defaultFrom } from '../followup/mailer';
import { claimDue, createOutboxSender } from '../mail/outbox';
import { issueSignInLink } from '../me/credentials';
import { qrPng } from '../tickets/qr';
import { hostOf } from '../followup/service';
import { eventLanguagesOf, personLanguage } from '../../i18n';
import { signInTtl, ticketMail } from './mail';
import { invitationProgress, invitationWaiting, mailContext } from './repo';

export const defaultInvitationConfig: InvitationConfig = {
  tickMs: 5_000,
  retryBaseMs: 60_000,
  maxAttempts: 5,
  sendingTimeoutMs: 15 * 60_000,
  concurrency: 4,
  batch: 16,
};

/** Progress reaches the organiser room at most this often per event while mails go out. */
const PROGRESS_MS = 200;

export interface InvitationRuntime {
  readonly mailer: Mailer;
  /** Claims and sends what is due (every event's), a batch at a time, until nothing is left. */
  kick(): Promise<void>;
  /** Tells the event's organisers where its ticket mails stand (throttled). */
  notify(eventId: string): void;
  settled(): Promise<void>;
  close(): Promise<void>;
}


/**
 * Sends queued ticket mails on this node. Each is claimed through its `invitations` row
 * before it is sent (../mail/outbox), a batch at a time, so a restart leaves at most one
 * batch to its lease and several nodes, or a double click, send each mail once. A timer
 * picks up what another node queued and failures whose retry is due.
 */
export function createInvitationRuntime(ctx: FeatureContext, io: Io): InvitationRuntime {
  const { deps } = ctx;
  const config = { ...defaultInvitationConfig, ...deps.invitations };
  const mailer = deps.mailer ?? previewMailer(defaultFrom(deps.publicUrl));
  const db = () => deps.database.db;
  const pendingNotices = new Map<string, ReturnType<typeof setTimeout>>();

  function notify(eventId: string) {
    if (pendingNotices.has(eventId)) return;
    const timer = setTimeout(() => {
      pendingNotices.delete(eventId);
      invitationProgress(db(), eventId).then(
        (progress) => io.to(organiserRoom(eventId)).emit('invitations:changed', { eventId, version: deps.now(), ...progress }),
        (err: unknown) => deps.log({ level: 'warn', msg: 'ticket-mail progress failed', err: String(err) }),
      );
    }, PROGRESS_MS);
    timer.unref?.();
    pendingNotices.set(eventId, timer);
  }

  const sender = createOutboxSender(deps, {
    table: invitations,
    mailer,
    config,
    what: 'ticket mail',
    onFinished: (claim) => notify(claim.eventId),
    async compose(claim) {
      const at = new Date(deps.now());
      const row = await mailContext(db(), claim.attendeeId);
      // Checked again at send time: an email removed or a ticket revoked since queueing counts.
      const reason = !row || row.event.erasedAt ? 'The event was erased.' : !row.email ? 'The guest has no email address.' : !row.secret ? "The guest's ticket was revoked." : null;
      if (reason || !row?.email || !row.secret) {
        return { skip: { status: 'failed', attempts: claim.attempts - 1, lastError: reason ?? 'Nothing to send.', nextAttemptAt: null, updatedAt: at } };
      }
      const url = ticketUrl(deps.publicUrl, row.secret);
      const signIn = await issueSignInLink(ctx, claim.attendeeId, signInTtl(row.event.endsAt, deps.now()));
      const message = ticketMail({
        to: row.email,
        name: row.name,
        event: row.event,
        ticketUrl: url,
        signIn,
        qrPng: await qrPng(url),
        now: deps.now(),
        host: hostOf(deps.publicUrl),
        // The guest's own language if the event offers it, else the event's default.
        language: personLanguage(row.language, eventLanguagesOf(row.event)),
      });
      return { message, onSent: { ticketId: row.ticketId } };
    },
  });

  let running: Promise<void> | null = null;
  let again = false;

  function kick(): Promise<void> {
    if (sender.closed || mailer.kind !== 'smtp') return Promise.resolve();
    again = true;
    running ??= sender.track(
      (async () => {
        while (again && !sender.closed) {
          again = false;
          for (;;) {
            if (sender.closed) return;
            const claims = await claimDue(db(), invitations, invitationWaiting, { ...sender.claimOptions(deps.now()), force: false, limit: config.batch });
            if (claims.length === 0) break;
            for (const eventId of new Set(claims.map((c) => c.eventId))) notify(eventId);
            await sender.send(claims);
          }
        }
      })()
        .catch((err: unknown) => deps.log({ level: 'error', msg: 'ticket-mail sender failed', err: String((err as Error)?.stack ?? err) }))
        .finally(() => {
          running = null;
        }),
    );
    return running;
  }

  const timer = setInterval(() => void kick(), config.tickMs);
  timer.unref();

  return {
    mailer,
    kick,
    notify,
    settled: () => sender.settled(),
    async close() {
      clearInterval(timer);
      await sender.close();
      for (const t of pendingNotices.values()) clearTimeout(t);
      pendingNotices.clear();
    },
  };
}
