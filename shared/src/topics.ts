import type { InterestTranslations, Topic } from './schemas/topics';

/**
 * Reading an event's topics: label look-ups that survive an id the vocabulary no longer
 * has, and the label forms sentences use.
 */

/** A topic that reads the same both ways ("A co-founder"). */
export const isOneLabel = (t: Pick<Topic, 'seekLabel' | 'offerLabel'>) => t.seekLabel === t.offerLabel;

export type TopicLookup = (id: string) => Topic;

/**
 * A look-up by id. An id the vocabulary does not know (a topic removed since, or an old
 * stored reason) reads as a one-label topic named by the id itself, so nothing is lost.
 */
export function topicLookup(topics: readonly Topic[]): TopicLookup {
  const byId = new Map(topics.map((t) => [t.id, t]));
  return (id) => byId.get(id) ?? { id, seekLabel: id, offerLabel: id };
}

/**
 * A label inside a sentence: a capital that only marks the start of a label goes
 * ("A job" reads "a job", "Investment" reads "investment"); acronyms and names with a
 * second capital ("AI tools", "UX") keep theirs.
 */
export function inSentence(label: string): string {
  const [first, second] = [...label];
  if (!first || !second) return label;
  const lowerFirst = first.toLocaleLowerCase();
  if (lowerFirst === first) return label;
  const secondIsLower = second.toLocaleLowerCase() === second && second.toLocaleUpperCase() !== second;
  const wordBreak = second === ' ';
  return secondIsLower || wordBreak ? lowerFirst + label.slice(first.length) : label;
}

/** Lowercase Latin letters and digits joined by single dashes, at most `max` long ('' when none are left). */
export function slugOf(text: string, max: number): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
}

/** An id for a new topic from its label, unlike any in `taken`. */
export function topicIdFor(label: string, taken: ReadonlySet<string>): string {
  const base = slugOf(label, 34) || 'topic';
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * The topic a client named: its id, or (case-blind) either of its labels, so a guest list
 * or an older client that sends labels still lands on the topic.
 */
export function resolveTopic(topics: readonly Topic[], picked: string): Topic | undefined {
  const key = picked.trim().toLocaleLowerCase();
  return (
    topics.find((t) => t.id === key) ??
    topics.find((t) => t.seekLabel.toLocaleLowerCase() === key || t.offerLabel.toLocaleLowerCase() === key)
  );
}

/**
 * The event's topics as a reader of `language` sees them: each topic's labels in that
 * language where the organiser (or the template) gave them, its own labels otherwise.
 */
export function topicsIn(topics: readonly Topic[], language: string): Topic[] {
  return topics.map((t) => {
    const own = t.translations?.[language as keyof NonNullable<Topic['translations']>];
    return own ? { ...t, seekLabel: own.seekLabel, offerLabel: own.offerLabel } : t;
  });
}

/** An interest label as a reader of `language` sees it (the organiser's own label when untranslated). */
export function interestIn(label: string, translations: InterestTranslations | undefined, language: string): string {
  return translations?.[label]?.[language as keyof InterestTranslations[string]] ?? label;
}
