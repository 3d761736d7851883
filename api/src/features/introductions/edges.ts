import { baseLanguage, topicLookup, type InterestTranslations, type LanguageCode, type Topic, type TopicLookup } from '@edgewise/shared';
import { translator } from '../../i18n';
import { labelList } from '../../i18n/reasons';
import { joinTags, offeringSentence } from '../../matching/reasons';
import { commonOf, countCommon, tagUnits, toPoints, weights } from '../../matching/score';
import type { Person } from '../../matching/types';

/**
 * Who stands at the edges and whom to introduce them to, computed on the main thread from
 * people read from the database (the engine's own state lives in a worker). Pure: the
 * caller passes the people, the pairs that rule an introduction out, and the time.
 */

export interface EdgeOptions {
  edgeMinutes: number;
  /** Edge people returned, longest waiting first (all of them are counted). */
  maxPeople: number;
  /** Candidates returned per edge person. */
  perPerson: number;
  /** The event's topics, for the labels in reasons. */
  topics?: readonly Topic[];
  /** The organiser's language for the reasons (English when not given), and the event's interest labels in it. */
  language?: LanguageCode;
  interestTranslations?: InterestTranslations;
}

export interface CandidateReason {
  kind: string;
  text: string;
}

export interface EdgeCandidate {
  id: string;
  /** Pair score in points. */
  score: number;
  reasons: CandidateReason[];
}

export interface EdgeEntry {
  id: string;
  arrivedAt: number;
  /** When they reached the edges. */
  since: number;
  candidates: EdgeCandidate[];
}

export interface EdgesResult {
  /** Everyone at the edges now, longest waiting first. */
  ids: string[];
  /** The first `maxPeople` of them, with their best candidates. */
  entries: EdgeEntry[];
}

/** Pairs keyed both ways round. */
export const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/**
 * The engine's rule (`MatchingEngine.atEdges`), as the dashboard counts it too: present,
 * taking suggestions, and either a first-timer or present past the edge minutes without
 * having said yes to anyone and without a mutual or met pair (`engaged`).
 */
export function isAtEdges(p: Person, engaged: ReadonlySet<string>, now: number, edgeMinutes: number): boolean {
  if (!p.present || p.optedOut) return false;
  if (p.firstTime) return true;
  return !p.hasAccepted && !engaged.has(p.id) && now - p.arrivedAt >= edgeMinutes * 60_000;
}

export const edgeSince = (p: Person, edgeMinutes: number) => (p.firstTime ? p.arrivedAt : p.arrivedAt + edgeMinutes * 60_000);

/** Tags as ascending ids, case-insensitively, as the engine interns them. */
class Tags {
  private readonly ids = new Map<string, number>();
  readonly labels: string[] = [];
  of(tags: readonly string[]): number[] {
    const out = new Set<number>();
    for (const raw of tags) {
      const label = raw.trim();
      if (!label) continue;
      const key = label.toLowerCase();
      let id = this.ids.get(key);
      if (id === undefined) {
        id = this.labels.length;
        this.ids.set(key, id);
        this.labels.push(label);
      }
      out.add(id);
    }
    return [...out].sort((x, y) => x - y);
  }
}

interface Indexed {
  p: Person;
  seeks: number[];
  offers: number[];
  interests: number[];
  knows: Set<string>;
}

const firstName = (p: Person, fallback = 'They') => (p.name ?? '').trim().split(/\s+/)[0] || fallback;

/**
 * Everyone at the edges, and for the longest waiting of them their best candidates: present
 * people taking suggestions, not in a pair that is declined, met or already mutual with
 * them. For a first-timer, hosts come first; then the pair's score (what each can give the
 * other, reciprocity, shared interests, a host welcoming them; a quarter for people who
 * already know each other). Only the returned edge people are scored, so the cost is
 * `maxPeople × present`.
 */
export function findEdges(people: readonly Person[], excluded: ReadonlySet<string>, engaged: ReadonlySet<string>, now: number, options: EdgeOptions): EdgesResult {
  const atEdges = people.filter((p) => isAtEdges(p, engaged, now, options.edgeMinutes));
  const edgeIds = new Set(atEdges.map((p) => p.id));
  atEdges.sort((x, y) => edgeSince(x, options.edgeMinutes) - edgeSince(y, options.edgeMinutes) || (x.id < y.id ? -1 : 1));

  // Topics and interests apart: a topic's id may spell like an interest ("design", "Design").
  const tags = new Tags();
  const interestTags = new Tags();
  const index = (p: Person): Indexed => ({ p, seeks: tags.of(p.seeks), offers: tags.of(p.offers), interests: interestTags.of(p.interests), knows: new Set(p.knows) });
  const pool = people.filter((p) => p.present && !p.optedOut).map(index);
  const byId = new Map(pool.map((x) => [x.p.id, x]));
  const label = (ids: number[]) => ids.map((i) => tags.labels[i] ?? '');
  const interestLabel = (ids: number[]) => ids.map((i) => interestTags.labels[i] ?? '');
  const topic = topicLookup(options.topics ?? []);

  const entries: EdgeEntry[] = [];
  for (const edge of atEdges.slice(0, options.maxPeople)) {
    const e = byId.get(edge.id);
    if (!e) continue;
    // The best few only, kept in order as the pool is walked: no sort of the whole room per person.
    const best: Ranked[] = [];
    for (const c of pool) {
      if (c.p.id === edge.id || excluded.has(pairKey(edge.id, c.p.id))) continue;
      keepBest(best, { c, units: pairUnits(e, c, true, edgeIds.has(c.p.id)), hostFirst: edge.firstTime && c.p.host ? 1 : 0 }, options.perPerson);
    }
    entries.push({
      id: edge.id,
      arrivedAt: edge.arrivedAt,
      since: edgeSince(edge, options.edgeMinutes),
      candidates: best.map(({ c, units }) => ({ id: c.p.id, score: toPoints(units), reasons: reasonsFor(e, c, label, interestLabel, topic, options) })),
    });
  }
  return { ids: atEdges.map((p) => p.id), entries };
}

interface Ranked {
  c: Indexed;
  units: number;
  hostFirst: number;
}

const before = (x: Ranked, y: Ranked) => x.hostFirst > y.hostFirst || (x.hostFirst === y.hostFirst && (x.units > y.units || (x.units === y.units && x.c.p.id < y.c.p.id)));

/** Inserts `r` into `best` (ordered, at most `k` long) when it ranks among the first `k`. */
function keepBest(best: Ranked[], r: Ranked, k: number) {
  if (k <= 0) return;
  if (best.length === k && !before(r, best[k - 1]!)) return;
  let i = best.length;
  while (i > 0 && before(r, best[i - 1]!)) i--;
  best.splice(i, 0, r);
  if (best.length > k) best.pop();
}

function pairUnits(x: Indexed, y: Indexed, xAtEdges: boolean, yAtEdges: boolean): number {
  let units = tagUnits(countCommon(x.seeks, y.offers), countCommon(y.seeks, x.offers), countCommon(x.interests, y.interests));
  if ((y.p.host && !x.p.host && xAtEdges) || (x.p.host && !y.p.host && yAtEdges)) units += weights.hostWelcome;
  if (x.knows.has(y.p.id) || y.knows.has(x.p.id)) units = Math.floor(units / weights.knownDivisor);
  return units;
}

/**
 * The people at the edges a host would be best at welcoming, best first: the host's own
 * pair score with each (what each can give the other, the welcome), then the longest waiting.
 */
export function nearestForHost(host: Person, people: readonly Person[], edgeIds: readonly string[], excluded: ReadonlySet<string>, limit: number): string[] {
  // Topics and interests apart: a topic's id may spell like an interest ("design", "Design").
  const tags = new Tags();
  const interestTags = new Tags();
  const index = (p: Person): Indexed => ({ p, seeks: tags.of(p.seeks), offers: tags.of(p.offers), interests: interestTags.of(p.interests), knows: new Set(p.knows) });
  const h = index(host);
  const byId = new Map(people.map((p) => [p.id, p]));
  const ranked: { id: string; units: number; order: number }[] = [];
  edgeIds.forEach((id, order) => {
    const p = byId.get(id);
    if (!p || id === host.id || excluded.has(pairKey(host.id, id))) return;
    ranked.push({ id, units: pairUnits(h, index(p), false, true), order });
  });
  ranked.sort((x, y) => y.units - x.units || x.order - y.order);
  return ranked.slice(0, limit).map((r) => r.id);
}

/** Short reasons for the organiser, about two people (never "you"), in the organiser's language. */
function reasonsFor(
  e: Indexed,
  c: Indexed,
  label: (ids: number[]) => string[],
  interestLabel: (ids: number[]) => string[],
  topic: TopicLookup,
  { language = baseLanguage, interestTranslations = {} }: EdgeOptions,
): CandidateReason[] {
  const out: CandidateReason[] = [];
  const receives = label(commonOf(e.seeks, c.offers)).map(topic);
  const gives = label(commonOf(c.seeks, e.offers)).map(topic);
  const common = interestLabel(commonOf(e.interests, c.interests));
  const known = e.knows.has(c.p.id) || c.knows.has(e.p.id);
  if (language === baseLanguage) {
    if (receives.length) out.push({ kind: 'receives', text: offeringSentence(firstName(c.p), firstName(e.p), receives) });
    if (gives.length) out.push({ kind: 'gives', text: offeringSentence(firstName(e.p), firstName(c.p), gives) });
    if (common.length) out.push({ kind: 'common', text: `Both into ${joinTags(common)}` });
    if (c.p.host) out.push({ kind: 'host', text: `${firstName(c.p)} welcomes newcomers` });
    if (known) out.push({ kind: 'known', text: 'They already know each other' });
  } else {
    const t = translator(language);
    const name = (p: Person) => firstName(p, t('reasons.edges.someone'));
    const seeks = (topics: Topic[]) => labelList(language, topics.map((x) => x.translations?.[language]?.seekLabel ?? x.seekLabel));
    if (receives.length) out.push({ kind: 'receives', text: t('reasons.edges.offers', { giver: name(c.p), seeker: name(e.p), topics: seeks(receives) }) });
    if (gives.length) out.push({ kind: 'gives', text: t('reasons.edges.offers', { giver: name(e.p), seeker: name(c.p), topics: seeks(gives) }) });
    if (common.length) out.push({ kind: 'common', text: t('reasons.edges.common', { interests: labelList(language, common.map((l) => interestTranslations[l]?.[language] ?? l)) }) });
    if (c.p.host) out.push({ kind: 'host', text: t('reasons.edges.host', { name: name(c.p) }) });
    if (known) out.push({ kind: 'known', text: t('reasons.edges.known') });
  }
  if (out.length === 0) out.push({ kind: 'open', text: language === baseLanguage ? 'Both here now' : translator(language)('reasons.edges.open') });
  return out;
}
