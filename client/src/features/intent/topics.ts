import { topicLookup, type Topic } from '@edgewise/shared';

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
