import { ticketUrl, type InvitationEntry, type InvitationList, type InvitationPreview, type InvitationsBody, type InvitationsQueued } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import type { OrganiserAuth } from '../../http/auth';
import { AppError } from '../../http/errors';
import { compareNames, requireGuestListOpen } from '../attendees/service';
import { actorOf, recordAudit } from '../audit/record';
import { BOM, csvRow } from '../exports/csv';
import { issueSignInLink } from '../me/credentials';
import { qrPng } from '../tickets/qr';
import { hostOf } from '../followup/service';
import { eventLanguagesOf, personLanguage } from '../../i18n';
import { signInTtl, ticketMail } from './mail';
import { invitationProgress, invitationRows, queueInvitations, type InvitationGuestRow } from './repo';
import type { InvitationRuntime } from './runtime';

/**
 * A ticket mail sent this recently, with the same ticket, is not sent again by a second
 * "send" (a double click, two organisers at once, a script retrying its request).
 */
export const RESEND_AFTER_MINUTES = 10;

/** Tickets are for guests still to come; a sign-in link for a past event is "Email me my link"'s job. */
function requireNotEnded(event: { endsAt: Date }, now: number) {
  if (event.endsAt.getTime() <= now) {
    throw new AppError('event_closed', 'This event has ended: ticket mails and sign-in links are for guests still to come.');
  }
}

function entryOf(row: InvitationGuestRow): InvitationEntry {
  const inv = row.invitation;
  const unsendableReason = !row.email ? 'no_email' : !row.ticketId ? 'no_ticket' : null;
  const state = unsendableReason ? 'unsendable' : inv ? (inv.status as InvitationEntry['state']) : 'not_sent';
  const at = !inv ? null : inv.status === 'sent' ? inv.sentAt : inv.status === 'queued' ? inv.queuedAt : inv.updatedAt;
  return {
    attendeeId: row.attendeeId,
    name: row.name,
    email: row.email,
    state,
    unsendableReason,
    attempts: inv?.attempts ?? 0,
    lastError: inv?.lastError ?? null,
    at: at?.toISOString() ?? null,
    sentAt: inv?.sentAt?.toISOString() ?? null,
    // A sending row's next_attempt_at is its lease, not a retry.
    nextAttemptAt: inv && (inv.status === 'failed' || inv.status === 'queued') ? (inv.nextAttemptAt?.toISOString() ?? null) : null,
    ticketChanged: !!inv?.sentAt && !!row.ticketId && inv.ticketId !== row.ticketId,
  };
}

export async function listInvitations(ctx: FeatureContext, runtime: InvitationRuntime, eventId: string): Promise<InvitationList> {
  const db = ctx.deps.database.db;
  await requireGuestListOpen(db, eventId);
  const [rows, progress] = await Promise.all([invitationRows(db, eventId), invitationProgress(db, eventId)]);
  const entries = rows.map((r) => ({ ...entryOf(r), id: r.attendeeId })).sort(compareNames).map(({ id: _id, ...e }) => e);
  return { mail: runtime.mailer.kind === 'smtp', ...progress, entries };
}

/**
 * Queues ticket mails (everyone, the not yet sent, or a selection), audited, and starts
 * sending. Only guests with an email and a live ticket are queued; the answer counts
 * the mails queued by this request.
 */
export async function sendInvitations(
  ctx: FeatureContext,
  runtime: InvitationRuntime,
  auth: OrganiserAuth,
  eventId: string,
  body: InvitationsBody,
): Promise<InvitationsQueued> {
  const { deps } = ctx;
  if (runtime.mailer.kind !== 'smtp') {
    throw new AppError(
      'mail_not_configured',
      'No SMTP_URL is set on the server, so ticket mails cannot be sent: preview them here, or download the mail-merge file for your own mailer.',
    );
  }
  const now = deps.now();
  const queued = await deps.database.db.transaction(async (tx) => {
    requireNotEnded(await requireGuestListOpen(tx, eventId), now);
    const ids = await queueInvitations(tx, {
      eventId,
      ...(body.attendeeIds ? { attendeeIds: [...new Set(body.attendeeIds)] } : {}),
      onlyUnsent: body.onlyUnsent ?? false,
      at: new Date(now),
      recentAfter: new Date(now - RESEND_AFTER_MINUTES * 60_000),
      organiserId: auth.organiser.id,
    });
    await recordAudit(tx, now, actorOf(auth), {
      action: 'invitations.send',
      eventId,
      ...(ids.length === 1 && body.attendeeIds?.length === 1 ? { target: { kind: 'attendee', id: ids[0] ?? '' } } : {}),
      details: { queued: ids.length, selected: body.attendeeIds?.length ?? 'everyone', onlyUnsent: body.onlyUnsent ?? false },
    });
    return ids.length;
  });
  runtime.notify(eventId);
  void runtime.kick();
  return { queued };
}


/** One guest's ticket mail as it would be sent, without minting a sign-in link. */
export async function previewInvitation(ctx: FeatureContext, eventId: string, attendeeId: string): Promise<InvitationPreview> {
  const { deps } = ctx;
  const db = deps.database.db;
  const event = await requireGuestListOpen(db, eventId);
  const [row] = await invitationRows(db, eventId, attendeeId);
  if (!row) throw new AppError('not_found', 'No such attendee in this event.');
  if (!row.secret) throw new AppError('not_found', "This guest's ticket was revoked: reissue it first.");
  const url = ticketUrl(deps.publicUrl, row.secret);
  const mail = ticketMail({
    to: row.email ?? '(no email address)',
    name: row.name,
    event,
    ticketUrl: url,
    signIn: null,
    qrPng: await qrPng(url),
    now: deps.now(),
    host: hostOf(deps.publicUrl),
    // The preview shows the mail as this guest will read it.
    language: personLanguage(row.language, eventLanguagesOf(event)),
  });
  return { to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType })) };
}

/**
 * Every guest with an email and a live ticket as a spreadsheet-safe CSV for the organiser's
 * own mailer: name, email, ticket link and a fresh sign-in link each (minted now, audited).
 */
export async function mailMergeCsv(ctx: FeatureContext, auth: OrganiserAuth, eventId: string): Promise<string> {
  const { deps } = ctx;
  const db = deps.database.db;
  const event = await requireGuestListOpen(db, eventId);
  requireNotEnded(event, deps.now());
  const rows = (await invitationRows(db, eventId)).filter((r) => r.email && r.secret);
  rows.sort((a, b) => compareNames({ name: a.name, id: a.attendeeId }, { name: b.name, id: b.attendeeId }));
  await recordAudit(db, deps.now(), actorOf(auth), { action: 'invitations.mail_merge', eventId, details: { guests: rows.length } });
  const ttl = signInTtl(event.endsAt, deps.now());
  let out = BOM + csvRow(['Name', 'Email', 'Ticket link', 'Sign-in link', 'Sign-in link expires']);
  for (const r of rows) {
    const signIn = await issueSignInLink(ctx, r.attendeeId, ttl);
    out += csvRow([r.name, r.email, ticketUrl(deps.publicUrl, r.secret ?? ''), signIn.url, signIn.expiresAt.toISOString()]);
  }
  return out;
}
