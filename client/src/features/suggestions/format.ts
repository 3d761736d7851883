import { inSentence, type ContactView, type PairState } from '@edgewise/shared';
import { currentLanguage, translate } from '../../lib/i18n';

/** "Designer at Tidewater", or whichever half is known. */
export function roleLine(p: { company: string; role: string }): string {
  const company = p.company.trim();
  const role = p.role.trim();
  if (company && role) return translate('intent.roleAt', { role, company });
  return role || company;
}

/** "A", "A and B", "A, B and C", in the page's language. */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return new Intl.ListFormat(currentLanguage.value, { type: 'conjunction' }).format(words);
}

/**
 * A topic label inside a sentence in the page's language: "Looking for a job", not "Looking
 * for A job". German writes its nouns with a capital inside a sentence too ("sucht Investition").
 */
export function inRunningText(label: string): string {
  return currentLanguage.value === 'de' ? label : inSentence(label);
}

export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

export interface ContactLink {
  kind: 'email' | 'phone' | 'link';
  label: string;
  href: string;
}

/**
 * Links for the details another attendee shared. Only mailto, tel and http(s) are ever
 * built: what someone typed must not become a script link on another person's phone.
 */
export function contactLinks(c: ContactView | null): ContactLink[] {
  if (!c) return [];
  const out: ContactLink[] = [];
  const email = c.email?.trim();
  if (email && /^[^\s@:/?#]+@[^\s@:/?#]+$/.test(email)) out.push({ kind: 'email', label: email, href: `mailto:${email}` });
  const phone = c.phone?.trim();
  const dial = phone?.replace(/[^0-9+]/g, '') ?? '';
  if (phone && /\d/.test(dial)) out.push({ kind: 'phone', label: phone, href: `tel:${dial}` });
  const link = c.link?.trim();
  if (link) {
    try {
      const url = new URL(link);
      if (url.protocol === 'https:' || url.protocol === 'http:') {
        const label = `${url.host}${url.pathname === '/' ? '' : url.pathname}${url.search}`;
        out.push({ kind: 'link', label, href: url.href });
      }
    } catch {
      // Not a URL: nothing to link to.
    }
  }
  return out;
}

/** Where a pair stands, in the words the person sees. */
export function stateNote(state: PairState, theyAccepted: boolean, myAnswer: 'yes' | 'no' | null, name: string): string | null {
  const first = firstName(name);
  if (state === 'met') return translate('me.card.state.met', { name: first });
  if (state === 'mutual') return translate('me.card.state.mutual');
  if (state === 'declined' || myAnswer === 'no') return translate('me.card.state.declined');
  if (myAnswer === 'yes') return translate('me.card.state.waiting', { name: first });
  if (theyAccepted) return translate('me.card.state.theyAccepted', { name: first });
  return null;
}

export const reasonIcons: Record<string, string> = {
  receives: '★',
  gives: '↗',
  common: '◎',
  host: '☺',
  first_time: '✿',
  introducer: '⇄',
  connector: '⇄',
  open: '•',
  introduction: '✉',
};
