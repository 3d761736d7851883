import type { EventTemplate, Topic } from './schemas/topics';
import en from './i18n/locales/en';

/** A template as written here, in English; the server adds the translations from the message files. */
type TemplateSource = Omit<EventTemplate, 'interestTranslations'>;

/**
 * Vocabularies an organiser starts an event from and then edits. Each topic's "looking for"
 * label is a noun phrase, its "offering" label what the person offering it would say; a
 * topic that reads the same both ways has one label.
 */

/** A vocabulary as the message files hold it: topics by id (both sides), interests by key. */
interface Vocabulary {
  topics: Record<string, { seek: string; offer: string }>;
  interests: Record<string, string>;
}

const vocabulary = (v: Vocabulary) => ({
  topics: Object.entries(v.topics).map(([id, l]): Topic => ({ id, seekLabel: l.seek, offerLabel: l.offer })),
  interests: Object.values(v.interests),
});

/**
 * The templates in English, from the English message file (the other files translate the
 * same keys: the server gives each topic and interest its translations from them). The
 * `default` entry is the vocabulary of an event created without a template.
 */
export const eventTemplates: readonly TemplateSource[] = (Object.keys(en.templates) as (keyof typeof en.templates)[])
  .filter((id) => id !== 'default')
  .map((id) => ({ id, name: en.templates[id].name, ...vocabulary(en.templates[id]) }));

export const eventTemplate = (id: string) => eventTemplates.find((x) => x.id === id);

/**
 * The vocabulary of an event created without a template: a general evening's, its ids the
 * tags events had before topics had two sides.
 */
export const defaultTopics: readonly Topic[] = vocabulary(en.templates.default).topics;

/** The interests of an event created without a template. */
export const defaultInterests: readonly string[] = vocabulary(en.templates.default).interests;
