import { introducerAt, pairUnits } from './pair-score';
import { renderReasons, sameRole, type NamedRef } from './reasons';
import { eligible, needsSlot, pairKey, type Rec, type Room } from './room';
import { commonOf, countCommon, toPoints } from './score';
import type { Suggestion } from './types';

/**
 * What a list shows: each entry as a card with its fresh score, its reasons in words
 * (reasons.ts writes them from the facts gathered here: what each gives the other, shared
 * interests, first time, a host's welcome, an introducer, a connector, a shared role) and
 * the pair's state, in display order.
 */

/** The person's current suggestions, in display order, with fresh scores and reasons. */
export function cardsFor(s: Room, id: string, now: number = s.lastNow): Suggestion[] {
  const i = s.byId.get(id);
  if (i === undefined) return [];
  const a = s.recs[i]!;
  if (!eligible(a)) return [];
  const edgeA = needsSlot(s, a, now);
  const entries = [...a.out].sort(
    (x, y) =>
      Number(y.pinned) - Number(x.pinned) || x.since - y.since || y.units - x.units || s.recs[x.t]!.rank - s.recs[y.t]!.rank,
  );
  return entries.map((e) => {
    const b = s.recs[e.t]!;
    const edgeB = needsSlot(s, b, now);
    return {
      targetId: b.id,
      score: toPoints(pairUnits(s, a, b, edgeA, edgeB)),
      reasons: reasonsFor(s, a, b, edgeA),
      since: e.since,
      state: s.pairs.get(pairKey(a.idx, b.idx)) ?? 'proposed',
      pinned: e.pinned,
    };
  });
}

/** The reasons of the card for b in a's list. */
function reasonsFor(s: Room, a: Rec, b: Rec, edgeA: boolean) {
  const intent = (ids: number[]) => ids.map((t) => s.intentTags.labels[t]!);
  const ref = (r: Rec): NamedRef => ({ id: r.id, name: r.name });
  const known = a.adj?.has(b.idx) ?? false;
  const by = known ? -1 : introducerAt(s, a.idx, b.idx);
  const introducer = by >= 0 ? s.recs[by]! : null;
  const connector = known ? null : connectorOf(s, a, b);
  const withoutIntent = a.seeks.length === 0 && a.offers.length === 0;
  return renderReasons({
    target: ref(b),
    receives: intent(commonOf(a.seeks, b.offers)),
    gives: intent(commonOf(b.seeks, a.offers)),
    common: commonOf(a.interests, b.interests).map((t) => s.interestTags.labels[t]!),
    targetFirstTime: b.firstTime,
    targetWelcomes: b.host && !a.host && edgeA,
    introducer: introducer ? ref(introducer) : undefined,
    connector: connector
      ? { via: ref(connector.via), tags: intent(connector.tags), direction: connector.direction === 'to_a' ? 'to_you' : 'from_you' }
      : undefined,
    viewerWithoutIntent: withoutIntent,
    sameRole: withoutIntent ? sameRole(a.role, b.role) : undefined,
    topics: s.topics,
  });
}

/**
 * Someone present known to one of the two who offers what the other seeks: `to_a` when
 * b can introduce a to them. The same test as `connects`, spelled out for reasons.
 */
function connectorOf(s: Room, a: Rec, b: Rec): { via: Rec; tags: number[]; direction: 'to_a' | 'to_b' } | null {
  const toA = knownOffering(s, b, a);
  if (toA) return { via: toA, tags: commonOf(toA.offers, a.seeks), direction: 'to_a' };
  const toB = knownOffering(s, a, b);
  if (toB) return { via: toB, tags: commonOf(toB.offers, b.seeks), direction: 'to_b' };
  return null;
}

/** Someone present whom `knower` knows, offering what `other` seeks. */
function knownOffering(s: Room, knower: Rec, other: Rec): Rec | null {
  if (other.seeks.length === 0) return null;
  for (const x of knower.adjList) {
    if (x === other.idx) continue;
    const r = s.recs[x]!;
    if (eligible(r) && countCommon(r.offers, other.seeks) > 0) return r;
  }
  return null;
}

