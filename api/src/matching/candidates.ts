import { markIntroductions, unitsAt } from './pair-score';
import { knownAt } from './people';
import {
  F_LIVE,
  F_NEW,
  H_ADJN,
  H_FLAGS,
  H_MARK,
  H_PAIRS,
  HOT,
  OFFERS_TOPIC,
  OFFERS_TWO,
  RECIPROCAL,
  SEEKS_TOPIC,
  SEEKS_TWO,
  TAG_KEY,
  blockedAt,
  compatible,
  needsSlot,
  type Rec,
  type Room,
} from './room';

/**
 * Candidate lookup: the people worth scoring for someone, found in the indexes (the
 * combinations of two features first, then one tag each way, shared interests, routing
 * between hosts and first-timers, friends of friends, and a fallback), rarest lists first
 * and a bounded number per source, so one lookup costs the same at 500 or 50,000 present.
 */

const GOLDEN = 0x9e3779b1;
/** Ranks are below this (32-bit hashes): a sort key of rank - units x RANKS orders by units first. */
const RANKS = 2 ** 32;
/** Acquaintances examined per person when looking for introducers and friends of friends. */
const ADJ_SCAN = 8;

/** A scored candidate list: targets and units, best first. */
export interface Scored {
  ids: number[];
  units: number[];
}

/**
 * Fills `s.cand` with distinct people worth scoring for `a`, from the indexes, rarest
 * tags first and a bounded number per source, so the cost does not grow with the room.
 * What a source leaves unused passes to the next, so everyone gets a full set. Current
 * entries of `a` are left out (callers score those separately).
 */
export function gather(s: Room, a: Rec, scale: number, edgeA: boolean, forPass = false): number {
  const g = s.g;
  // The pass leaves out who joined after it began; updates take everyone live.
  g.live = forPass ? F_LIVE | F_NEW : F_LIVE;
  g.owner = a.idx;
  g.rank = a.rank;
  g.stamp = ++s.stamp;
  g.count = 0;
  g.salt = 0;
  g.checkPairs = s.hot[a.idx * HOT + H_PAIRS]! > 0;
  const b = s.budget;
  // Not scaled: the rarest lists hold the best candidates, so a smaller budget should
  // still take them whole.
  g.perList = Math.max(2, b.perPostingList);
  const hot = s.hot;
  hot[a.idx * HOT + H_MARK] = g.stamp;
  for (const e of a.out) hot[e.t * HOT + H_MARK] = g.stamp;
  const lists = s.lists;
  const { seeks, offers, interests } = a;
  const combo = s.comboIdx;
  lists.length = 0;
  for (const x of seeks) for (const o of offers) postings(lists, combo[RECIPROCAL]!, x * TAG_KEY + o);
  let spare = takeFrom(s, lists, Math.round(b.reciprocal * scale));
  lists.length = 0;
  for (let x = 0; x < seeks.length; x++) for (let y = x + 1; y < seeks.length; y++) postings(lists, combo[OFFERS_TWO]!, seeks[x]! * TAG_KEY + seeks[y]!);
  for (let x = 0; x < offers.length; x++) for (let y = x + 1; y < offers.length; y++) postings(lists, combo[SEEKS_TWO]!, offers[x]! * TAG_KEY + offers[y]!);
  for (const x of seeks) for (const t of interests) postings(lists, combo[OFFERS_TOPIC]!, x * TAG_KEY + t);
  for (const o of offers) for (const t of interests) postings(lists, combo[SEEKS_TOPIC]!, o * TAG_KEY + t);
  spare = takeFrom(s, lists, spare + Math.round(b.combined * scale));
  lists.length = 0;
  for (const x of a.seeks) lists.push(s.offersIdx[x]!);
  for (const o of a.offers) lists.push(s.seeksIdx[o]!);
  spare = takeFrom(s, lists, spare + Math.round(b.oneWay * scale));
  lists.length = 0;
  for (const t of a.interests) lists.push(s.interestsIdx[t]!);
  takeFrom(s, lists, spare + Math.round(b.interests * scale));
  lists.length = 0;
  if (edgeA && !a.host) lists.push(s.hosts);
  if (a.host) lists.push(s.firstTimers);
  takeFrom(s, lists, b.routing);
  const known = s.hot[a.idx * HOT + H_ADJN]!;
  if (known > 0) {
    // Friends of friends: someone who knows a can introduce them.
    lists.length = 0;
    for (let k = 0; k < Math.min(known, ADJ_SCAN); k++) {
      const c = knownAt(s, a.idx, k);
      if ((s.hot[c * HOT + H_FLAGS]! & F_LIVE) === 0) continue;
      lists.push(s.recs[c]!.adjList);
    }
    takeFrom(s, lists, b.introductions);
  }
  if (g.count < s.perPerson * 2) {
    lists.length = 0;
    lists.push(s.present);
    takeFrom(s, lists, b.fallback);
  }
  return g.count;
}

/** Adds the people indexed under `key` of one combination kind, if any, to the lists to read. */
function postings(lists: ArrayLike<number>[], index: Map<number, number[]>, key: number) {
  const list = index.get(key);
  if (list) lists.push(list);
}

/**
 * Takes up to `budget` new candidates from the lists, shortest (rarest tag) first, at most
 * `perList` from each, starting each list at a per-person offset so that people with the
 * same tags do not all draw the same few. Returns the unused budget.
 */
function takeFrom(s: Room, lists: ArrayLike<number>[], budget: number): number {
  const g = s.g;
  const hot = s.hot;
  const out = s.cand;
  // Insertion sort: a handful of lists.
  for (let i = 1; i < lists.length; i++) {
    const x = lists[i]!;
    let j = i - 1;
    while (j >= 0 && lists[j]!.length > x.length) {
      lists[j + 1] = lists[j]!;
      j--;
    }
    lists[j + 1] = x;
  }
  let left = budget;
  // Lists overlap (the same people sit under several combinations), so what bounds the
  // cost is the number of entries read, not of lists.
  let reads = budget * 3 + 8;
  for (let l = 0; l < lists.length && left > 0 && reads > 0; l++) {
    const list = lists[l]!;
    const len = list.length;
    if (len === 0) continue;
    const quota = Math.min(g.perList, left);
    const visits = Math.min(len, quota * 3, reads);
    reads -= visits;
    let pos = len <= quota ? 0 : ((g.rank + Math.imul(++g.salt, GOLDEN)) >>> 0) % len;
    let got = 0;
    for (let v = 0; v < visits && got < quota; v++) {
      const i = list[pos]!;
      if (++pos === len) pos = 0;
      const h = i * HOT;
      if (hot[h + H_MARK] === g.stamp) continue;
      hot[h + H_MARK] = g.stamp;
      if ((hot[h + H_FLAGS]! & g.live) !== F_LIVE || (g.checkPairs && blockedAt(s, g.owner, i))) continue;
      out[g.count++] = i;
      got++;
    }
    left -= got;
  }
  return left > 0 ? left : 0;
}

/** `gather` plus scores, best first, ties by rank: what incremental updates work from. */
export function scored(s: Room, a: Rec, now: number, edgeA: boolean): Scored {
  const count = gather(s, a, 1, edgeA);
  const intro = markIntroductions(s, a);
  const { cand, recs } = s;
  // One sort key per candidate, read once: units descending, then rank (exact in a double,
  // as units stay far below 2^21 and ranks below 2^32); the sort is stable, as before.
  const found: number[] = [];
  const key: number[] = [];
  const order: number[] = [];
  for (let c = 0; c < count; c++) {
    const i = cand[c]!;
    const b = recs[i]!;
    const u = unitsAt(s, a.idx, i, edgeA, needsSlot(s, b, now), intro);
    found.push(u);
    key.push(b.rank - u * RANKS);
    order.push(c);
  }
  order.sort((x, y) => key[x]! - key[y]!);
  const ids: number[] = [];
  const units: number[] = [];
  for (const c of order) {
    ids.push(cand[c]!);
    units.push(found[c]!);
  }
  return { ids, units };
}

/** The first compatible person satisfying `ok`, scanning everyone from a per-person offset. */
export function scanCompatible(s: Room, a: Rec, ok: (b: Rec) => boolean): Rec | null {
  const len = s.present.length;
  if (len === 0) return null;
  let pos = a.rank % len;
  for (let v = 0; v < len; v++) {
    const b = s.recs[s.present[pos]!]!;
    if (++pos === len) pos = 0;
    if (compatible(s, a, b) && ok(b)) return b;
  }
  return null;
}

