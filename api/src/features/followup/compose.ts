import { wallClock, zonedToUtc, type FollowupAttachment, type FollowupContact } from '@edgewise/shared';
import { safeFilename } from '../exports/csv';
import { reminderIcs } from './ics';
import { vcard } from './vcard';

export interface DigestInput {
  attendee: { id: string; name: string };
  event: { id: string; name: string; timeZone: string };
  contacts: FollowupContact[];
  /** When the mail is made. */
  now: number;
  /** Host name for the reminder's UID, e.g. `edgewise.example.org`. */
  host: string;
}

export interface Digest {
  subject: string;
  text: string;
  html: string;
  attachments: FollowupAttachment[];
  reminderAt: number;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name;

function listNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length === 2) return `${names[0]} and ${names[1]}`;
  if (names.length <= 4) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${names.slice(0, 3).join(', ')} and ${names.length - 3} others`;
}

function roleLine(c: FollowupContact): string {
  if (c.role && c.company) return `${c.role} at ${c.company}`;
  return c.role || c.company;
}

function howLine(c: FollowupContact): string {
  if (c.how === 'introduced') return c.introducedBy ? `${c.introducedBy} introduced you.` : 'You were introduced.';
  if (c.how === 'met') return c.introducedBy ? `You met, after ${c.introducedBy} introduced you.` : 'You met.';
  return 'You both said you would like to meet.';
}

/** 10:00 in the event's time zone on the day after `now`: a calm moment to write back. */
export function reminderTime(now: number, timeZone: string): number {
  const tomorrow = wallClock(now + 24 * 3_600_000, timeZone);
  return zonedToUtc({ year: tomorrow.year, month: tomorrow.month, day: tomorrow.day, hour: 10, minute: 0 }, timeZone);
}

/** `ana-sousa.vcf`, unique within one mail, readable whatever script the name is in. */
function vcardFilenames(contacts: FollowupContact[]): string[] {
  const used = new Set<string>();
  return contacts.map((c, i) => {
    const base = safeFilename(c.name).replace(/\.+$/, '');
    let stem = base === 'export' ? `contact-${i + 1}` : base.toLowerCase();
    if (used.has(stem)) stem = `${stem}-${i + 1}`;
    used.add(stem);
    return `${stem}.vcf`;
  });
}

export function contactVcard(c: FollowupContact, eventName: string): string {
  const lines = [`Met at ${eventName}.`];
  if (c.note) lines.push(`Your note: ${c.note}`);
  return vcard({
    uid: `urn:uuid:${c.attendeeId}`,
    name: c.name,
    company: c.company,
    role: c.role,
    email: c.contact.email,
    phone: c.contact.phone,
    link: c.contact.link,
    note: lines.join('\n'),
  });
}

/**
 * The follow-up mail: a personal note from the evening with the people one connected
 * with, one's own notes about them, what each chose to share, a vCard per person and a
 * calendar reminder to write back. The text and HTML parts say the same.
 */
export function composeDigest(input: DigestInput): Digest {
  const { attendee, event, contacts, now } = input;
  const names = contacts.map((c) => c.name);
  const reminderAt = reminderTime(now, event.timeZone);
  const subject = `Your people from ${event.name}`;
  const count = contacts.length === 1 ? 'the person' : `the ${contacts.length} people`;
  const intro = `Thanks for coming to ${event.name}. Here ${contacts.length === 1 ? 'is' : 'are'} ${count} you connected with, while the conversations are still fresh.`;
  const closing = 'A short message within a day or two goes a long way.';
  const attachmentsLine =
    "Each person's contact card is attached (.vcf): open it to add them to your contacts. The reminder (.ics) puts \"Get back in touch\" in your calendar for tomorrow at 10:00.";
  const footer = `You get this because you checked in at ${event.name} and connected with people there. Nobody else gets your notes.`;

  const textBlocks = contacts.map((c) => {
    const lines = [roleLine(c) ? `${c.name}, ${roleLine(c)}` : c.name, howLine(c)];
    if (c.how === 'introduced' && c.introductionMessage) lines.push(`"${c.introductionMessage}"`);
    if (c.note) lines.push(`Your note: ${c.note}`);
    if (c.contact.email) lines.push(`Email: ${c.contact.email}`);
    if (c.contact.phone) lines.push(`Phone: ${c.contact.phone}`);
    if (c.contact.link) lines.push(`Link: ${c.contact.link}`);
    if (!c.contact.email && !c.contact.phone && !c.contact.link) lines.push('No contact details shared.');
    return lines.join('\n');
  });
  const text = [`Hi ${firstName(attendee.name)},`, intro, ...textBlocks, attachmentsLine, closing, `— Edgewise, for ${event.name}`, footer].join('\n\n') + '\n';

  const e = escapeHtml;
  const htmlBlocks = contacts.map((c) => {
    const parts = [`<h2 style="margin:0 0 4px;font-size:18px">${e(c.name)}</h2>`];
    if (roleLine(c)) parts.push(`<p style="margin:0;color:#555">${e(roleLine(c))}</p>`);
    parts.push(`<p style="margin:6px 0 0">${e(howLine(c))}</p>`);
    if (c.how === 'introduced' && c.introductionMessage) parts.push(`<blockquote style="margin:6px 0;color:#444">${e(c.introductionMessage)}</blockquote>`);
    if (c.note) parts.push(`<p style="margin:6px 0 0"><strong>Your note:</strong> ${e(c.note)}</p>`);
    const details: string[] = [];
    if (c.contact.email) details.push(`<li>Email: <a href="mailto:${e(c.contact.email)}">${e(c.contact.email)}</a></li>`);
    if (c.contact.phone) details.push(`<li>Phone: ${e(c.contact.phone)}</li>`);
    if (c.contact.link && /^https?:\/\//i.test(c.contact.link)) details.push(`<li>Link: <a href="${e(c.contact.link)}">${e(c.contact.link)}</a></li>`);
    else if (c.contact.link) details.push(`<li>Link: ${e(c.contact.link)}</li>`);
    parts.push(details.length ? `<ul style="margin:6px 0 0;padding-left:18px">${details.join('')}</ul>` : '<p style="margin:6px 0 0;color:#555">No contact details shared.</p>');
    return `<div style="border:1px solid #ddd;border-radius:10px;padding:12px 14px;margin:12px 0">${parts.join('')}</div>`;
  });
  const html = [
    '<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>',
    '<body style="font-family:system-ui,sans-serif;line-height:1.45;color:#1d1d1b;max-width:560px;margin:0 auto;padding:16px">',
    `<p>Hi ${e(firstName(attendee.name))},</p>`,
    `<p>${e(intro)}</p>`,
    ...htmlBlocks,
    `<p>${e(attachmentsLine)}</p>`,
    `<p>${e(closing)}</p>`,
    `<p>— Edgewise, for ${e(event.name)}</p>`,
    `<p style="color:#777;font-size:13px">${e(footer)}</p>`,
    '</body></html>',
  ].join('\n');

  const filenames = vcardFilenames(contacts);
  const attachments: FollowupAttachment[] = contacts.map((c, i) => ({
    filename: filenames[i] ?? `contact-${i + 1}.vcf`,
    contentType: 'text/vcard; charset=utf-8',
    content: contactVcard(c, event.name),
  }));
  if (contacts.length > 0) {
    attachments.push({
      filename: 'get-back-in-touch.ics',
      contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
      content: reminderIcs({
        uid: `followup-${attendee.id}@${input.host}`,
        stamp: now,
        start: reminderAt,
        durationMinutes: 30,
        summary: `Get back in touch with ${listNames(names)}`,
        description: [`People you connected with at ${event.name}:`, ...contacts.map((c) => `- ${c.name}${roleLine(c) ? `, ${roleLine(c)}` : ''}`)].join('\n'),
      }),
    });
  }
  return { subject, text, html, attachments, reminderAt };
}
