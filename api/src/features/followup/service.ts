import { and, eq } from 'drizzle-orm';
import { attendees, type Db } from '@edgewise/db';
import {
  defaultEventSettings,
  FollowupStatus,
  type FollowupContact,
  type FollowupDelivery,
  type FollowupOverview,
  type FollowupPreview,
  type FollowupSkipReason,
} from '@edgewise/shared';
import type { AppDeps, FollowupConfig, Mailer, MailMessage } from '../../deps';
import { AppError } from '../../http/errors';
import { eventLanguagesOf, personLanguage } from '../../i18n';
import { requireAttendee } from '../attendees/service';
import { getEvent, type EventRow } from '../events/service';
import { composeDigest, contactVcard } from './compose';
import { digestRows, followupOf, introductionsOf, isCheckedIn, overviewRows, type FollowupRow } from './repo';

export const defaultFollowupConfig: FollowupConfig = {
  tickMs: 60_000,
  retryBaseMs: 60_000,
  maxAttempts: 5,
  sendingTimeoutMs: 15 * 60_000,
  lateWindowMs: 7 * 24 * 3_600_000,
  concurrency: 4,
};

/** The follow-up goes out this long after the end: the setting, within a day. */
export function followUpDelay(event: Pick<EventRow, 'settings'>): number {
  const hours = { ...defaultEventSettings, ...event.settings }.followUpHours;
  return Math.min(24, Math.max(0, Number.isFinite(hours) ? hours : 12)) * 3_600_000;
}

export const sendAtOf = (event: Pick<EventRow, 'settings' | 'endsAt'>) => event.endsAt.getTime() + followUpDelay(event);

/** The wait before attempt `attempts + 1`: 1, 4, 16… times the base. */

/** The public URL's host, for calendar UIDs (`edgewise.local` when it has none). */
export const hostOf = (publicUrl: string) => {
  try {
    return new URL(publicUrl).hostname || 'edgewise.local';
  } catch {
    return 'edgewise.local';
  }
};

/** One reader's contacts: mutual, met or introduced, with their own notes and what the others share. */
export async function followupContacts(db: Db, eventId: string, attendeeId: string): Promise<FollowupContact[]> {
  const [rows, intros] = await Promise.all([digestRows(db, eventId, attendeeId), introductionsOf(db, eventId, attendeeId)]);
  const rank = { met: 0, introduced: 1, mutual: 2 } as const;
  return rows
    .map((r): FollowupContact => {
      const intro = intros.get(r.targetId);
      const introducedInReasons = r.reasons.some((x) => x.kind === 'introduction');
      const how = r.state === 'met' ? 'met' : intro || introducedInReasons ? 'introduced' : 'mutual';
      const fromReasons = r.reasons.find((x) => x.kind === 'introduction' && typeof x.byName === 'string')?.byName;
      const byName = intro?.byName ?? (typeof fromReasons === 'string' ? fromReasons : null);
      return {
        attendeeId: r.targetId,
        name: r.name,
        company: r.company,
        role: r.role,
        how,
        introducedBy: intro || introducedInReasons ? byName : null,
        introductionMessage: intro?.message ?? '',
        note: r.note ?? '',
        // The SQL gave the email only if they share it; an empty phone or link is not shared.
        contact: { email: r.email, phone: r.phone || null, link: r.link || null },
      };
    })
    .sort((a, b) => rank[a.how] - rank[b.how]);
}

export function toDelivery(row: FollowupRow | null | undefined): FollowupDelivery {
  return {
    status: row ? FollowupStatus.catch('pending').parse(row.status) : 'pending',
    attempts: row?.attempts ?? 0,
    lastError: row?.lastError ?? null,
    nextAttemptAt: row?.nextAttemptAt?.toISOString() ?? null,
    sentAt: row?.sentAt?.toISOString() ?? null,
  };
}

export function skipReasonOf(a: { email: string | null; matchingOptOut: boolean }, contacts: readonly unknown[], checkedIn: boolean): FollowupSkipReason | null {
  if (!checkedIn) return 'not_checked_in';
  if (!a.email) return 'no_email';
  if (a.matchingOptOut) return 'opted_out';
  if (contacts.length === 0) return 'no_connections';
  return null;
}

export const skipMessages: Record<FollowupSkipReason, string> = {
  not_checked_in: 'did not check in',
  no_email: 'no email address',
  opted_out: 'opted out (suggestions turned off)',
  no_connections: 'nobody to follow up with (no mutual or met pairs)',
};

/** The follow-up exactly as it would be (or was) sent to one attendee. */
export async function buildPreview(deps: AppDeps, eventId: string, attendeeId: string, event?: EventRow): Promise<{ preview: FollowupPreview; message: MailMessage | null }> {
  const db = deps.database.db;
  const ev = event ?? (await getEvent(db, eventId));
  const attendee = await requireAttendee(db, eventId, attendeeId);
  const [contacts, row, checkedIn] = await Promise.all([followupContacts(db, eventId, attendeeId), followupOf(db, attendeeId), isCheckedIn(db, attendeeId)]);
  const digest = composeDigest({
    attendee,
    event: { id: ev.id, name: ev.name, timeZone: ev.timeZone },
    contacts,
    now: deps.now(),
    host: hostOf(deps.publicUrl),
    language: personLanguage(attendee.language, eventLanguagesOf(ev)),
  });
  const skipReason = skipReasonOf(attendee, contacts, checkedIn);
  const preview: FollowupPreview = {
    attendeeId,
    name: attendee.name,
    to: attendee.email,
    subject: digest.subject,
    text: digest.text,
    html: digest.html,
    contacts,
    attachments: digest.attachments,
    reminderAt: new Date(digest.reminderAt).toISOString(),
    skipReason,
    delivery: toDelivery(row),
  };
  const message = skipReason || !attendee.email ? null : { to: attendee.email, subject: digest.subject, text: digest.text, html: digest.html, attachments: digest.attachments };
  return { preview, message };
}

/** The organiser's table: everyone who checked in, with where their follow-up is. */
export async function followupOverview(deps: AppDeps, mailer: Mailer, eventId: string): Promise<FollowupOverview> {
  const db = deps.database.db;
  const event = await getEvent(db, eventId);
  const rows = await overviewRows(db, eventId);
  const counts: FollowupOverview['counts'] = { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
  const entries = rows.map((r) => {
    const delivery = toDelivery(r.followup);
    counts[delivery.status]++;
    return { attendeeId: r.attendeeId, name: r.name, email: r.email, optedOut: r.optedOut, ...delivery };
  });
  return { mailer: mailer.kind, sendAt: new Date(sendAtOf(event)).toISOString(), counts, entries };
}

/** The vCard of one person the reader is mutual or met with; nobody else's. */
export async function contactVcardFor(deps: AppDeps, eventId: string, readerId: string, contactId: string): Promise<{ name: string; vcard: string }> {
  const db = deps.database.db;
  const [event, reader] = await Promise.all([getEvent(db, eventId), requireAttendee(db, eventId, readerId)]);
  const contact = (await followupContacts(db, eventId, readerId)).find((c) => c.attendeeId === contactId);
  if (!contact) throw new AppError('not_found', 'You can download the card of people you both said yes to, or met.');
  return { name: contact.name, vcard: contactVcard(contact, event.name, personLanguage(reader.language, eventLanguagesOf(event))) };
}

export async function requireCheckedIn(db: Db, eventId: string, attendeeId: string) {
  const [row] = await db.select({ id: attendees.id }).from(attendees).where(and(eq(attendees.id, attendeeId), eq(attendees.eventId, eventId))).limit(1);
  if (!row) throw new AppError('not_found', 'No such attendee in this event.');
  if (!(await isCheckedIn(db, attendeeId))) throw new AppError('not_checked_in', 'The follow-up is for people who checked in; this guest never did.');
}
