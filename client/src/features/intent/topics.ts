import { interestIn, topicLookup, type InterestTranslations, type Topic } from '@edgewise/shared';

export type Side = 'seek' | 'offer';

/** Each topic's label on one side ("Investment" for seeking, "I invest" for offering). */
export function sideLabels(topics: readonly Topic[], side: Side): string[] {
  return topics.map((t) => (side === 'seek' ? t.seekLabel : t.offerLabel));
}

/** Topic ids as people read them on one side; an id the event no longer has reads as itself. */
export function labelsOf(topics: readonly Topic[], ids: readonly string[], side: Side): string[] {
  const topic = topicLookup(topics);
  return ids.map((id) => (side === 'seek' ? topic(id).seekLabel : topic(id).offerLabel));
}

/** The ids of labels picked on one side (labels are unique per side). */
export function idsOf(topics: readonly Topic[], labels: readonly string[], side: Side): string[] {
  const byLabel = new Map(topics.map((t) => [side === 'seek' ? t.seekLabel : t.offerLabel, t.id]));
  return labels.map((l) => byLabel.get(l)).filter((id): id is string => id !== undefined);
}

/** Interest labels as a reader of `language` sees them; the intent keeps the organiser's own. */
export function interestLabels(own: readonly string[], translations: InterestTranslations | undefined, language: string): string[] {
  return own.map((label) => interestIn(label, translations, language));
}

/** The organiser's own labels of interests picked as a reader of `language` saw them. */
export function interestsOf(shown: readonly string[], offered: readonly string[], translations: InterestTranslations | undefined, language: string): string[] {
  const byShown = new Map(offered.map((label) => [interestIn(label, translations, language), label]));
  return shown.map((l) => byShown.get(l)).filter((label): label is string => label !== undefined);
}
