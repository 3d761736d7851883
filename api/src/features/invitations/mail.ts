import { baseLanguage, type LanguageCode, type MessageKey, type MessageValues, type Translate } from '@edgewise/shared';
import type { MailMessage } from '../../deps';
import { formatDateTime, translator } from '../../i18n';
import { reminderIcs } from '../followup/ics';
import { escapeHtml, formatEventDate } from '../tickets/badges';

/**
 * The ticket mail, pure: the event's name, time and place, the QR inline (a PNG part the
 * HTML shows by its Content-ID, so no remote image is fetched), the ticket link, the
 * guest's own sign-in link to /me, and the event as an .ics. A plain-text part carries the
 * same words.
 */

export interface TicketMailInput {
  to: string;
  name: string;
  event: { id: string; name: string; startsAt: Date; endsAt: Date; timeZone: string; venue: string };
  ticketUrl: string;
  /** The personal sign-in link, or null in a preview (a link is minted only when a mail is sent). */
  signIn: { url: string; expiresAt: Date } | null;
  qrPng: Buffer;
  now: number;
  /** Host name for the calendar entry's UID, e.g. `edgewise.example.org`. */
  host: string;
  /** The guest's language (their choice, else the event's default); English when unset. */
  language?: LanguageCode;
}

export const QR_CID = 'ticket-qr@edgewise';

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name;

/**
 * A date and time in the venue's zone, as the reader writes them: English keeps the badge's
 * short form ("Sun 6 Dec 2026 · 10:00"), other languages their own (Intl).
 */
const dateIn = (language: LanguageCode, at: Date, timeZone: string) =>
  language === baseLanguage ? formatEventDate(at, timeZone) : formatDateTime(language, timeZone, at, { dateStyle: 'full', timeStyle: 'short' });

/** A message around a link: the words escaped, the link (`{link}`) as HTML. */
const withLink = (t: Translate, key: MessageKey, values: MessageValues, href: string, label: string) => {
  const marker = '\u0000link\u0000';
  return escapeHtml(t(key, { ...values, link: marker })).replace(marker, `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`);
};

export function ticketMail(input: TicketMailInput): MailMessage {
  const { event } = input;
  const language = input.language ?? baseLanguage;
  const t = translator(language);
  const when = `${dateIn(language, event.startsAt, event.timeZone)} (${event.timeZone})`;
  const where = event.venue.trim();
  const signInUrl = input.signIn?.url ?? t('mail.ticket.signInPlaceholder');
  const signInNote = input.signIn ? t('mail.ticket.signInUntil', { until: dateIn(language, input.signIn.expiresAt, event.timeZone) }) : t('mail.ticket.signInOnce');
  const hello = t('mail.ticket.hello', { name: firstName(input.name) });
  const intro = t('mail.ticket.intro', { event: event.name });
  const text = [
    hello,
    '',
    intro,
    t('mail.ticket.when', { when }),
    ...(where ? [t('mail.ticket.where', { where })] : []),
    '',
    t('mail.ticket.showQr'),
    input.ticketUrl,
    '',
    t('mail.ticket.before'),
    signInUrl,
    signInNote,
    '',
    t('mail.ticket.calendar'),
    t('mail.ticket.private'),
  ].join('\n');
  const page = input.signIn ? withLink(t, 'mail.ticket.beforeHtml', {}, input.signIn.url, t('mail.ticket.openPage')) : `${escapeHtml(t('mail.ticket.beforeHtml', { link: signInUrl }))}`;
  const html = `<p>${escapeHtml(hello)}</p>
<p>${escapeHtml(intro).replace(escapeHtml(event.name), `<strong>${escapeHtml(event.name)}</strong>`)}<br>
${escapeHtml(t('mail.ticket.when', { when }))}${where ? `<br>\n${escapeHtml(t('mail.ticket.where', { where }))}` : ''}</p>
<p><img src="cid:${QR_CID}" width="256" height="256" alt="${escapeHtml(t('mail.ticket.qrAlt'))}"></p>
<p>${withLink(t, 'mail.ticket.showQrHtml', {}, input.ticketUrl, t('mail.ticket.openTicket'))}</p>
<p>${page}<br>
${escapeHtml(signInNote)}</p>
<p>${escapeHtml(t('mail.ticket.calendar'))}<br>
${escapeHtml(t('mail.ticket.private'))}</p>`;
  const ics = reminderIcs({
    uid: `event-${event.id}@${input.host}`,
    stamp: input.now,
    start: event.startsAt.getTime(),
    durationMinutes: Math.max(1, Math.round((event.endsAt.getTime() - event.startsAt.getTime()) / 60_000)),
    summary: event.name,
    // No ticket link here: calendars are shared and synced more widely than a mailbox.
    description: t('mail.ticket.icsDescription'),
    ...(where ? { location: where } : {}),
    busy: true,
  });
  return {
    to: input.to,
    subject: t('mail.ticket.subject', { event: event.name }),
    text,
    html,
    attachments: [
      { filename: 'ticket-qr.png', content: input.qrPng, contentType: 'image/png', cid: QR_CID },
      { filename: 'event.ics', content: ics, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' },
    ],
  };
}

const DAY = 24 * 3_600_000;
/** A ticket mail's sign-in link: until a day after the event ends, at least a day, at most 60 days. */
export const SIGN_IN_MIN_MS = DAY;
export const SIGN_IN_MAX_MS = 60 * DAY;

export function signInTtl(endsAt: Date, now: number): number {
  return Math.min(SIGN_IN_MAX_MS, Math.max(SIGN_IN_MIN_MS, endsAt.getTime() + DAY - now));
}
