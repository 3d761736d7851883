import type { ContactCard } from '@edgewise/shared';
import { joinWords } from '../../features/suggestions/format';
import { translate as t } from '../../lib/i18n';

/** The parts of one's own card that pass on a mutual yes, as words: ["my email", "my phone"]. */
export function sharedParts(card: Pick<ContactCard, 'shareEmail' | 'phone' | 'link' | 'email'> | null): string[] {
  if (!card) return [];
  const parts: string[] = [];
  if (card.shareEmail && card.email) parts.push(t('me.share.email'));
  if (card.phone) parts.push(t('me.share.phone'));
  if (card.link) parts.push(t('me.share.link'));
  return parts;
}

/** "My email and my phone", or "Nothing yet". */
export function sharedSummary(card: Pick<ContactCard, 'shareEmail' | 'phone' | 'link' | 'email'> | null): string {
  const parts = sharedParts(card);
  if (parts.length === 0) return t('me.share.nothingYet');
  const words = joinWords(parts);
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}

/** Under "I'd like to meet": what a yes hands over if they say yes too. */
export function yesShares(card: Pick<ContactCard, 'shareEmail' | 'phone' | 'link' | 'email'> | null): string {
  const parts = sharedParts(card);
  return parts.length === 0 ? t('me.share.yesNothing') : t('me.share.yesShares', { parts: joinWords(parts) });
}
