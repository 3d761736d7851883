import type { MailMessage } from '../../deps';
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
}

export const QR_CID = 'ticket-qr@edgewise';
const SIGN_IN_PLACEHOLDER = '(your own sign-in link: made when the mail is sent)';

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name;

/** "Sun 6 Dec 2026 · 10:00" in the venue's zone: when the link stops working. */
const until = (expiresAt: Date, timeZone: string) => formatEventDate(expiresAt, timeZone);

export function ticketMail(input: TicketMailInput): MailMessage {
  const { event } = input;
  const when = `${formatEventDate(event.startsAt, event.timeZone)} (${event.timeZone})`;
  const where = event.venue.trim();
  const signInUrl = input.signIn?.url ?? SIGN_IN_PLACEHOLDER;
  const signInNote = input.signIn
    ? `It opens your page on one phone, once, until ${until(input.signIn.expiresAt, event.timeZone)}; after that, ask for a new link on that page.`
    : 'It opens your page on one phone, once.';
  const text = [
    `Hello ${firstName(input.name)},`,
    '',
    `Your ticket for ${event.name}:`,
    `When: ${when}`,
    ...(where ? [`Where: ${where}`] : []),
    '',
    'Show the QR code in this mail at the kiosk by the door (on your phone or printed), or open your ticket:',
    input.ticketUrl,
    '',
    'Before you come, tell us what you are looking for and what you can offer, so the room can suggest people to meet. Your own page:',
    signInUrl,
    signInNote,
    '',
    'The attached calendar file (event.ics) puts the event in your calendar.',
    'Keep this mail to yourself: the QR checks you in, and the link opens your page.',
  ].join('\n');
  const html = `<p>Hello ${escapeHtml(firstName(input.name))},</p>
<p>Your ticket for <strong>${escapeHtml(event.name)}</strong>:<br>
When: ${escapeHtml(when)}${where ? `<br>\nWhere: ${escapeHtml(where)}` : ''}</p>
<p><img src="cid:${QR_CID}" width="256" height="256" alt="Your ticket's QR code"></p>
<p>Show this QR code at the kiosk by the door (on your phone or printed), or <a href="${escapeHtml(input.ticketUrl)}">open your ticket</a>.</p>
<p>Before you come, tell us what you are looking for and what you can offer, so the room can suggest people to meet:
${input.signIn ? `<a href="${escapeHtml(input.signIn.url)}">open your page</a>` : escapeHtml(SIGN_IN_PLACEHOLDER)}.<br>
${escapeHtml(signInNote)}</p>
<p>The attached calendar file (event.ics) puts the event in your calendar.<br>
Keep this mail to yourself: the QR checks you in, and the link opens your page.</p>`;
  const ics = reminderIcs({
    uid: `event-${event.id}@${input.host}`,
    stamp: input.now,
    start: event.startsAt.getTime(),
    durationMinutes: Math.max(1, Math.round((event.endsAt.getTime() - event.startsAt.getTime()) / 60_000)),
    summary: event.name,
    // No ticket link here: calendars are shared and synced more widely than a mailbox.
    description: 'Your ticket (the QR code) is in the mail this came with.',
    ...(where ? { location: where } : {}),
    busy: true,
  });
  return {
    to: input.to,
    subject: `Your ticket for ${event.name}`,
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
