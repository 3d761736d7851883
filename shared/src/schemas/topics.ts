import { z } from 'zod';
import { Tag, TagList } from './common';
import { LanguageCode } from '../i18n/languages';

/** A topic's two labels in one of the event's languages. */
export const TopicTranslation = z.object({ seekLabel: Tag, offerLabel: Tag });
export type TopicTranslation = z.infer<typeof TopicTranslation>;
/**
 * A topic's labels per language (`{ ja: { seekLabel, offerLabel } }`): people reading another
 * language see these; a language without an entry reads the organiser's own labels.
 */
export const TopicTranslations = z.partialRecord(LanguageCode, TopicTranslation);
export type TopicTranslations = z.infer<typeof TopicTranslations>;

/** A topic's id: stable while its labels change, so attendees' choices follow an edit. */
export const TopicId = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single dashes');

/**
 * One thing people look for or offer. Two labels when the sides read differently
 * ("Investment" / "I invest"); the same label twice when it reads the same both ways
 * ("A co-founder").
 */
export const Topic = z
  .object({
    id: TopicId.describe('Stable through label edits: intents hold it in `seeks` and `offers`'),
    /** What someone looking for it picks: a noun phrase ("Investment", "A job"). */
    seekLabel: Tag.describe('The "looking for" side, a noun phrase: "Investment", "A job"'),
    /** What someone offering it picks, in their own words ("I invest", "I'm hiring"). */
    offerLabel: Tag.describe('The "offering" side in the words of someone offering it: "I invest", "I\'m hiring"; equal to seekLabel for a one-label topic'),
    translations: TopicTranslations.optional().describe('The labels in other languages, by language code: { "ja": { "seekLabel": "…", "offerLabel": "…" } }'),
  })
  .describe('A topic people look for or offer; a seek matches the same topic\'s offer');
export type Topic = z.infer<typeof Topic>;

export const TopicList = z.array(Topic).max(60);

/**
 * Interest labels per language, keyed by the organiser's own label (what intents hold):
 * `{ "Climate": { "de": "Klima", "ja": "気候" } }`.
 */
export const InterestTranslations = z.record(z.string().max(40), z.partialRecord(LanguageCode, Tag));
export type InterestTranslations = z.infer<typeof InterestTranslations>;

export const EventTemplate = z.object({
  id: z.string(),
  name: z.string(),
  topics: z.array(Topic),
  interests: z.array(z.string()),
  interestTranslations: InterestTranslations,
});
export type EventTemplate = z.infer<typeof EventTemplate>;

export const TemplateId = z.string().trim().min(1).max(60);
export { TagList as InterestList };
