import { baseLanguage, eventTemplates, languageList, type EventTemplate, type InterestTranslations, type LanguageCode, type Topic, type TopicTranslations } from '@edgewise/shared';
import { catalogueOf } from './index';

/**
 * The template vocabularies with their translations, from the `templates` section of each
 * message file: an event started from a template (or from none: the `default` vocabulary)
 * speaks every supported language from the first minute, and the organiser edits from there.
 */

type TemplateKey = keyof ReturnType<typeof catalogueOf>['templates'];
const others = languageList.map((l) => l.code).filter((code) => code !== baseLanguage);

/** A template's (or the default's) topics with their translations, and its interests' translations. */
export function translatedVocabulary(id: string): { topics: Topic[]; interests: string[]; interestTranslations: InterestTranslations } | null {
  const english = catalogueOf(baseLanguage).templates[id as TemplateKey];
  if (!english) return null;
  const topics = Object.entries(english.topics).map(([topicId, labels]): Topic => {
    const translations: TopicTranslations = {};
    for (const code of others) {
      const own = catalogueOf(code).templates[id as TemplateKey]?.topics[topicId as keyof typeof english.topics] as { seek: string; offer: string } | undefined;
      if (own) translations[code] = { seekLabel: own.seek, offerLabel: own.offer };
    }
    return { id: topicId, seekLabel: labels.seek, offerLabel: labels.offer, translations };
  });
  const interestTranslations: InterestTranslations = {};
  for (const [key, label] of Object.entries(english.interests)) {
    const byLanguage: Partial<Record<LanguageCode, string>> = {};
    for (const code of others) {
      const own = (catalogueOf(code).templates[id as TemplateKey]?.interests as Record<string, string> | undefined)?.[key];
      if (own) byLanguage[code] = own;
    }
    interestTranslations[label] = byLanguage;
  }
  return { topics, interests: Object.values(english.interests), interestTranslations };
}

/** `GET /api/event-templates`: every template with its translations, named in `language`. */
export function translatedTemplates(language: LanguageCode): EventTemplate[] {
  return eventTemplates.map((t) => {
    const vocabulary = translatedVocabulary(t.id);
    const name = (catalogueOf(language).templates[t.id as TemplateKey] as { name?: string } | undefined)?.name ?? t.name;
    return { ...t, name, topics: vocabulary?.topics ?? t.topics, interestTranslations: vocabulary?.interestTranslations ?? {} };
  });
}
