import { wallClock, zonedToUtc, type FollowupAttachment, type FollowupContact, type LanguageCode, type Translate } from '@edgewise/shared';
import { listOf, translator } from '../../i18n';
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
  /** The guest's language (their own choice if the event offers it, else its default). */
  language?: LanguageCode;
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

/** "Ana, Ben and Chloé"; past four names, the first three "and 2 others". */
function listNames(language: LanguageCode, t: Translate, names: string[]): string {
  if (names.length <= 4) return listOf(language, names);
  return listOf(language, [...names.slice(0, 3), t('mail.followup.others', { count: names.length - 3 })]);
}

function roleLine(t: Translate, c: FollowupContact): string {
  if (c.role && c.company) return t('mail.followup.roleAt', { role: c.role, company: c.company });
  return c.role || c.company;
}

function howLine(t: Translate, c: FollowupContact): string {
  if (c.how === 'introduced') return c.introducedBy ? t('mail.followup.introducedBy', { name: c.introducedBy }) : t('mail.followup.introduced');
  if (c.how === 'met') return c.introducedBy ? t('mail.followup.metAfterIntroduction', { name: c.introducedBy }) : t('mail.followup.met');
  return t('mail.followup.mutual');
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

export function contactVcard(c: FollowupContact, eventName: string, language: LanguageCode = 'en'): string {
  const t = translator(language);
  const lines = [t('mail.followup.vcardMet', { event: eventName })];
  if (c.note) lines.push(t('mail.followup.yourNote', { note: c.note }));
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
  const { attendee, event, contacts, now, language = 'en' } = input;
  const t = translator(language);
  const names = contacts.map((c) => c.name);
  const reminderAt = reminderTime(now, event.timeZone);
  const subject = t('mail.followup.subject', { event: event.name });
  const hello = t('mail.followup.hello', { name: language === 'ja' ? attendee.name.trim() : firstName(attendee.name) });
  const intro = t('mail.followup.intro', { event: event.name, count: contacts.length });
  const closing = t('mail.followup.closing');
  const attachmentsLine = t('mail.followup.attachments');
  const signature = t('mail.followup.signature', { event: event.name });
  const footer = t('mail.followup.footer', { event: event.name });
  const labelled = (label: 'emailLabel' | 'phoneLabel' | 'linkLabel', value: string) => t('mail.followup.labelled', { label: t(`mail.followup.${label}`), value });

  const textBlocks = contacts.map((c) => {
    const role = roleLine(t, c);
    const lines = [role ? `${c.name}, ${role}` : c.name, howLine(t, c)];
    if (c.how === 'introduced' && c.introductionMessage) lines.push(`"${c.introductionMessage}"`);
    if (c.note) lines.push(t('mail.followup.yourNote', { note: c.note }));
    if (c.contact.email) lines.push(labelled('emailLabel', c.contact.email));
    if (c.contact.phone) lines.push(labelled('phoneLabel', c.contact.phone));
    if (c.contact.link) lines.push(labelled('linkLabel', c.contact.link));
    if (!c.contact.email && !c.contact.phone && !c.contact.link) lines.push(t('mail.followup.noDetails'));
    return lines.join('\n');
  });
  const text = [hello, intro, ...textBlocks, attachmentsLine, closing, signature, footer].join('\n\n') + '\n';

  const e = escapeHtml;
  /** A labelled line whose value is already HTML (a link): the label's words escaped, the value as it is. */
  const labelledHtml = (label: 'emailLabel' | 'phoneLabel' | 'linkLabel', valueHtml: string) => e(labelled(label, '\u0000')).replace('\u0000', valueHtml);
  const htmlBlocks = contacts.map((c) => {
    const role = roleLine(t, c);
    const parts = [`<h2 style="margin:0 0 4px;font-size:18px">${e(c.name)}</h2>`];
    if (role) parts.push(`<p style="margin:0;color:#555">${e(role)}</p>`);
    parts.push(`<p style="margin:6px 0 0">${e(howLine(t, c))}</p>`);
    if (c.how === 'introduced' && c.introductionMessage) parts.push(`<blockquote style="margin:6px 0;color:#444">${e(c.introductionMessage)}</blockquote>`);
    if (c.note) parts.push(`<p style="margin:6px 0 0"><strong>${e(t('mail.followup.yourNoteLabel'))}</strong> ${e(c.note)}</p>`);
    const details: string[] = [];
    if (c.contact.email) details.push(`<li>${labelledHtml('emailLabel', `<a href="mailto:${e(c.contact.email)}">${e(c.contact.email)}</a>`)}</li>`);
    if (c.contact.phone) details.push(`<li>${labelledHtml('phoneLabel', e(c.contact.phone))}</li>`);
    if (c.contact.link && /^https?:\/\//i.test(c.contact.link)) details.push(`<li>${labelledHtml('linkLabel', `<a href="${e(c.contact.link)}">${e(c.contact.link)}</a>`)}</li>`);
    else if (c.contact.link) details.push(`<li>${labelledHtml('linkLabel', e(c.contact.link))}</li>`);
    parts.push(details.length ? `<ul style="margin:6px 0 0;padding-left:18px">${details.join('')}</ul>` : `<p style="margin:6px 0 0;color:#555">${e(t('mail.followup.noDetails'))}</p>`);
    return `<div style="border:1px solid #ddd;border-radius:10px;padding:12px 14px;margin:12px 0">${parts.join('')}</div>`;
  });
  const html = [
    `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>`,
    '<body style="font-family:system-ui,sans-serif;line-height:1.45;color:#1d1d1b;max-width:560px;margin:0 auto;padding:16px">',
    `<p>${e(hello)}</p>`,
    `<p>${e(intro)}</p>`,
    ...htmlBlocks,
    `<p>${e(attachmentsLine)}</p>`,
    `<p>${e(closing)}</p>`,
    `<p>${e(signature)}</p>`,
    `<p style="color:#777;font-size:13px">${e(footer)}</p>`,
    '</body></html>',
  ].join('\n');

  const filenames = vcardFilenames(contacts);
  const attachments: FollowupAttachment[] = contacts.map((c, i) => ({
    filename: filenames[i] ?? `contact-${i + 1}.vcf`,
    contentType: 'text/vcard; charset=utf-8',
    content: contactVcard(c, event.name, language),
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
        summary: t('mail.followup.reminderSummary', { names: listNames(language, t, names) }),
        description: [t('mail.followup.reminderDescription', { event: event.name }), ...contacts.map((c) => `- ${c.name}${roleLine(t, c) ? `, ${roleLine(t, c)}` : ''}`)].join('\n'),
      }),
    });
  }
  return { subject, text, html, attachments, reminderAt };
}
