import { contentLines, escapeText } from './text';

export interface VCardPerson {
  /** A stable id: the same person gives the same card, so an address book updates it. */
  uid: string;
  name: string;
  company?: string;
  role?: string;
  email?: string | null;
  phone?: string | null;
  link?: string | null;
  note?: string;
}

/** "Ana Maria Sousa" -> family "Sousa", given "Ana Maria": a guess address books expect. */
function splitName(name: string): { family: string; given: string } {
  const trimmed = name.trim();
  const at = trimmed.lastIndexOf(' ');
  return at < 0 ? { family: '', given: trimmed } : { family: trimmed.slice(at + 1), given: trimmed.slice(0, at) };
}

/** A phone as typed ("+351 912 (34) 56.78") as a tel: URI (RFC 3966 keeps - . ( ) as separators). */
export function telUri(phone: string): string | null {
  const compact = phone.trim().replace(/\s+/g, '-').replace(/-{2,}/g, '-');
  return /\d/.test(compact) && /^\+?[0-9().-]+$/.test(compact) ? `tel:${compact}` : null;
}

/** A vCard 4.0 (RFC 6350) for one contact, with only the details passed to the reader. */
export function vcard(person: VCardPerson): string {
  const { family, given } = splitName(person.name);
  const lines = ['BEGIN:VCARD', 'VERSION:4.0', 'PRODID:-//Edgewise//Follow-up//EN', `UID:${escapeText(person.uid)}`, `FN:${escapeText(person.name)}`];
  lines.push(`N:${escapeText(family)};${escapeText(given)};;;`);
  if (person.company) lines.push(`ORG:${escapeText(person.company)}`);
  if (person.role) lines.push(`TITLE:${escapeText(person.role)}`);
  if (person.email) lines.push(`EMAIL;TYPE=work:${escapeText(person.email)}`);
  const tel = person.phone ? telUri(person.phone) : null;
  if (tel) lines.push(`TEL;VALUE=uri;TYPE=cell:${tel}`);
  else if (person.phone) lines.push(`TEL;VALUE=text:${escapeText(person.phone)}`);
  // A URI value is not TEXT: commas and semicolons in it are its own.
  if (person.link) lines.push(`URL:${person.link.replace(/[\r\n]/g, '')}`);
  if (person.note) lines.push(`NOTE:${escapeText(person.note)}`);
  lines.push('END:VCARD');
  return contentLines(lines);
}
