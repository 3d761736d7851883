import type { StoredReason } from '@edgewise/db';
import {
  baseLanguage,
  inSentence,
  interestIn,
  topicLookup,
  topicsIn,
  type InterestTranslations,
  type IntroducerRole,
  type LanguageCode,
  type ReasonView,
  type Topic,
} from '@edgewise/shared';
import { listOf, translator } from './index';

/**
 * Why two people should meet, in the viewer's language. Matching stores each reason with its
 * facts (topic ids, interest labels, who introduced, who connects) and an English sentence;
 * a viewer reading English gets that sentence, anyone else a sentence made here from the
 * facts, with the topic and interest labels in their language where the event has them (the
 * organiser's own label otherwise). Labels stand after a colon, in a list, so a sentence
 * reads right whatever the label's gender, number or case.
 */

export interface ReasonContext {
  language: LanguageCode;
  /** The person the reasons are about. */
  target: { name: string; role: string };
  /** The event's topics, with their translations. */
  topics: readonly Topic[];
  interestTranslations?: InterestTranslations | undefined;
  /** Names of the introducers and connectors the reasons refer to, by id. */
  names: ReadonlyMap<string, string>;
  /** The viewer said nothing of what they look for or offer. */
  viewerWithoutIntent?: boolean | undefined;
}

const MAX_SPELLED = 3;
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Languages that write a label's opening capital only at the start of a sentence. */
const lowersLabels = new Set<string>(['en', 'fr', 'es']);

/** "A, B and C", "A, B, C and 2 more", in the language's own way. */
export function labelList(language: LanguageCode, labels: readonly string[]): string {
  if (labels.length <= MAX_SPELLED) return listOf(language, labels);
  const more = translator(language)('reasons.more', { count: labels.length - MAX_SPELLED });
  return listOf(language, [...labels.slice(0, MAX_SPELLED), more]);
}

/** The reasons as the viewer reads them (English: the sentences matching wrote). */
export function reasonsIn(stored: readonly StoredReason[], c: ReasonContext): ReasonView[] {
  if (c.language === baseLanguage) return stored.map((r) => ({ kind: r.kind, text: r.text }));
  const t = translator(c.language);
  const topic = topicLookup(topicsIn(c.topics, c.language));
  const seeks = (ids: readonly string[]) =>
    labelList(
      c.language,
      ids.map((id) => topic(id).seekLabel).map((l) => (lowersLabels.has(c.language) ? inSentence(l) : l)),
    );
  const named = (name: string | undefined) => ({ named: name?.trim() ? 'yes' : 'no', name: name?.trim() ?? '' });
  const who = t('reasons.person', named(c.target.name));
  const whoInside = t('reasons.personInside', named(c.target.name));
  const someone = (id: string | null) => t('reasons.someone', named(id ? c.names.get(id) : undefined));
  const someoneInside = (id: string | null) => t('reasons.someoneInside', named(id ? c.names.get(id) : undefined));

  const out: ReasonView[] = [];
  for (const r of stored) {
    const text = ((): string | null => {
      switch (r.kind) {
        case 'receives':
          return t('reasons.receives', { who, seeks: seeks(strings(r.tags)) });
        case 'gives':
          return t('reasons.gives', { who, seeks: seeks(strings(r.tags)) });
        case 'common':
          return t('reasons.common', { interests: labelList(c.language, strings(r.tags).map((l) => interestIn(l, c.interestTranslations, c.language))) });
        case 'host':
          return t('reasons.host', { who });
        case 'first_time':
          return t('reasons.firstTime');
        case 'role':
          return c.target.role.trim() ? t('reasons.role', { role: c.target.role.trim().replace(/\s+/g, ' ') }) : null;
        case 'introducer':
          return t('reasons.introducer', { by: someone(str(r.by)) });
        case 'connector': {
          const via = someoneInside(str(r.via));
          const tags = seeks(strings(r.tags));
          return r.direction === 'from_you' ? t('reasons.connectorFromYou', { via, whoInside, seeks: tags }) : t('reasons.connectorToYou', { who, via, seeks: tags });
        }
        case 'open':
          return t(c.viewerWithoutIntent ? 'reasons.openWithoutIntent' : 'reasons.open', { who });
        case 'wants_to_meet':
          return t('reasons.wantsToMeet', { who });
        default:
          // A kind this renderer does not know yet keeps its English sentence rather than vanish.
          return r.text;
      }
    })();
    if (text) out.push({ kind: r.kind, text });
  }
  return out;
}

/** "Introduced by Maya (organiser): You both build climate tools", in the viewer's language. */
export function introductionIn(language: LanguageCode, byName: string, role: IntroducerRole, message: string, english: string): string {
  if (language === baseLanguage) return english;
  return translator(language)('reasons.introduction', { hasMessage: message ? 'yes' : 'no', by: byName, role, message });
}
