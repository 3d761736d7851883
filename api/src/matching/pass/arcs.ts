import { gather } from '../candidates';
import { markIntroductions, unitsAt } from '../pair-score';
import {
  F_DIRTY,
  F_LIVE,
  F_NEW,
  H_FLAGS,
  H_FLOOR,
  H_PAIRS,
  H_TOPN,
  HOT,
  MAX_PACKED_UNITS,
  PACK,
  TARGET_MASK,
  blockedAt,
  buffer,
  type Rec,
  type Room,
} from '../room';
import { replacementThreshold } from '../score';
import { CHUNK_LIGHT, CHUNK_LISTS, CHUNK_LOOKUP } from './chunks';

/**
 * The global pass's candidate arcs: each person's best few (`top`, from their candidates
 * looked up afresh or replayed from the cache of the last pass, rescored where either side
 * changed), then per owner the arcs the auction reads, best first, the current entries
 * among them at their replacement threshold (`ArcLists`).
 */

/**
 * The global pass's arcs per owner: `eB` targets, `eU` units, `eK` keys (2 x units, or a
 * current entry's threshold), owner o's in [start[o], end[o]), best first; `count` in all.
 */
export interface ArcLists {
  eB: Int32Array;
  eU: Int32Array;
  eK: Int32Array;
  start: Int32Array;
  end: Int32Array;
  count: number;
}

/** The arcs of everyone in `order`, in steps (see the header). */
export function* arcsOf(s: Room, order: readonly Rec[], edge: Int32Array, n: number, full: boolean): Generator<void, ArcLists, void> {
  const p = s.perPerson;
  // Each person's best few arcs, from their indexed candidates. The score is symmetric,
  // so a pair found from either side is offered to both: twice the choice, no extra scoring.
  const keep = Math.max(s.budget.globalKeep, p);
  // Packed as units x 2^22 + target, so one read compares and one write stores.
  s.top = buffer(s, 'top', n * keep);
  s.keep = keep;
  // Looking candidates up is most of a pass's cost, and between two passes most people's
  // candidates stay what they were: those arcs come from the cache, rescored where the
  // other side changed; people who changed, and a rotating share of everyone, look afresh.
  const period = s.budget.globalRefresh > 0 ? Math.max(1, Math.round(1 / s.budget.globalRefresh)) : 0;
  const turn = s.passes++;
  const looked = buffer(s, 'looked', order.length);
  let nLooked = 0;
  for (let k = 0; k < order.length; k += CHUNK_LOOKUP) {
    nLooked = findArcs(s, order, k, Math.min(order.length, k + CHUNK_LOOKUP), edge, looked, nLooked, full, period, turn);
    yield;
  }
  for (let k = 0; k < nLooked; k += CHUNK_LIGHT) {
    trimArcs(s, looked, k, Math.min(nLooked, k + CHUNK_LIGHT));
    yield;
  }

  // Arcs per owner: current entries first, at their replacement threshold, then the rest.
  // Keys are 2 x units so a threshold can sit half a unit below the score that beats it.
  const arcCap = order.length * (keep + p);
  const arcs: ArcLists = {
    eB: buffer(s, 'eB', arcCap),
    eU: buffer(s, 'eU', arcCap),
    eK: buffer(s, 'eK', arcCap),
    start: buffer(s, 'start', n),
    end: buffer(s, 'end', n),
    count: 0,
  };
  for (let k = 0; k < order.length; k += CHUNK_LISTS) {
    arcLists(s, order, k, Math.min(order.length, k + CHUNK_LISTS), edge, arcs);
    yield;
  }
  return arcs;
}

/** The candidate arcs of `order[from..to)`, looked up afresh or replayed from the cache. */
function findArcs(
  s: Room,
  order: readonly Rec[],
  from: number,
  to: number,
  edge: Int32Array,
  looked: Int32Array,
  nLooked: number,
  full: boolean,
  period: number,
  turn: number,
): number {
  const hot = s.hot;
  const arcN = s.arcN;
  for (let k = from; k < to; k++) {
    const a = order[k]!;
    const ai = a.idx;
    const f = hot[ai * HOT + H_FLAGS]!;
    if ((f & (F_LIVE | F_NEW)) !== F_LIVE) continue;
    const fresh = full || arcN[ai]! < 0 || (f & F_DIRTY) !== 0 || (period > 0 && (a.rank + turn) % period === 0);
    if (fresh) {
      looked[nLooked++] = ai;
      lookUpArcs(s, a, edge);
    } else replayArcs(s, ai, edge);
  }
  return nLooked;
}

/**
 * What the next passes replay: an arc below both its people's cut-offs now will nearly
 * always stay below them, so only the arcs that made either side's best few are kept.
 */
function trimArcs(s: Room, looked: Int32Array, from: number, to: number) {
  const hot = s.hot;
  const arcs = s.arcs;
  const arcN = s.arcN;
  const slot = s.arcSlot;
  for (let k = from; k < to; k++) {
    const ai = looked[k]!;
    const base = ai * slot;
    const floorA = hot[ai * HOT + H_FLOOR]!;
    let kept = 0;
    for (let c = 0; c < arcN[ai]!; c++) {
      const key = arcs[base + c]!;
      const bi = key & TARGET_MASK;
      if (key >= floorA || key - bi + ai >= hot[bi * HOT + H_FLOOR]!) arcs[base + kept++] = key;
    }
    arcN[ai] = kept;
  }
}

/** Each owner's arcs (see `ArcLists`), best first, for `order[from..to)`. */
function arcLists(s: Room, order: readonly Rec[], from: number, to: number, edge: Int32Array, arcs: ArcLists) {
  const hot = s.hot;
  const top = s.top;
  const keep = s.keep;
  const { eB, eU, eK, start, end } = arcs;
  let ne = arcs.count;
  for (let x = from; x < to; x++) {
    const a = order[x]!;
    const ai = a.idx;
    start[ai] = ne;
    end[ai] = ne;
    const fa = hot[ai * HOT + H_FLAGS]!;
    if ((fa & (F_LIVE | F_NEW)) !== F_LIVE) continue;
    const edgeA = edge[ai] === 1;
    const dirtyA = fa & F_DIRTY;
    for (const e of a.out) {
      if (e.pinned) continue;
      const ft = hot[e.t * HOT + H_FLAGS]!;
      if ((ft & (F_LIVE | F_NEW)) !== F_LIVE || blockedAt(s, ai, e.t)) continue;
      // Nothing that scores the pair changed unless one of the two is marked.
      const u = (dirtyA | ft) & F_DIRTY ? unitsAt(s, ai, e.t, edgeA, edge[e.t] === 1) : e.units;
      eB[ne] = e.t;
      eU[ne] = u;
      eK[ne] = 2 * replacementThreshold(u) - 1;
      ne++;
    }
    const base = ai * keep;
    const current = ne;
    for (let k = 0; k < hot[ai * HOT + H_TOPN]!; k++) {
      const key = top[base + k]!;
      const t = key & TARGET_MASK;
      let listed = false;
      for (let y = start[ai]!; y < current; y++) if (eB[y] === t) listed = true;
      if (listed) continue;
      const u = (key - t) / PACK;
      eB[ne] = t;
      eU[ne] = u;
      eK[ne] = 2 * u;
      ne++;
    }
    end[ai] = ne;
    // Best first (current entries sit among the rest by their threshold), so a bid can
    // stop reading as soon as no arc left could beat its second choice.
    for (let i = start[ai]! + 1; i < ne; i++) {
      const k = eK[i]!;
      const b = eB[i]!;
      const u = eU[i]!;
      let j = i - 1;
      while (j >= start[ai]! && eK[j]! < k) {
        eK[j + 1] = eK[j]!;
        eB[j + 1] = eB[j]!;
        eU[j + 1] = eU[j]!;
        j--;
      }
      eK[j + 1] = k;
      eB[j + 1] = b;
      eU[j + 1] = u;
    }
  }
  arcs.count = ne;
}

/**
 * One person's candidates looked up afresh and offered to both sides; the arcs worth
 * anything are kept for the next passes. (Its own method, like `replayArcs`: the JIT then
 * optimises each loop on its own, whichever of the two a pass starts with.)
 */
function lookUpArcs(s: Room, a: Rec, edge: Int32Array) {
  const ai = a.idx;
  const edgeA = edge[ai] === 1;
  const arcs = s.arcs;
  const slot = s.arcSlot;
  const base = ai * slot;
  const count = gather(s, a, s.budget.globalScale, edgeA, true);
  const cand = s.cand;
  const intro = markIntroductions(s, a);
  let kept = 0;
  for (let c = 0; c < count; c++) {
    const bi = cand[c]!;
    const u = unitsAt(s, ai, bi, edgeA, edge[bi] === 1, intro);
    // Zero-score arcs serve only the guaranteed slot of someone at the edges.
    if (u > 0) {
      offer(s, ai, bi, u);
      offer(s, bi, ai, u);
    } else if (edgeA) offer(s, ai, bi, 0);
    else continue;
    if (kept < slot) arcs[base + kept++] = u * PACK + bi;
  }
  s.arcN[ai] = kept;
}

/** One person's cached arcs offered again: gone or blocked people dropped, changed ones rescored. */
function replayArcs(s: Room, ai: number, edge: Int32Array) {
  const hot = s.hot;
  const arcs = s.arcs;
  const base = ai * s.arcSlot;
  const edgeA = edge[ai] === 1;
  const checkPairs = hot[ai * HOT + H_PAIRS]! > 0;
  const count = s.arcN[ai]!;
  let kept = 0;
  for (let k = 0; k < count; k++) {
    const key = arcs[base + k]!;
    const bi = key & TARGET_MASK;
    const fb = hot[bi * HOT + H_FLAGS]!;
    if ((fb & (F_LIVE | F_NEW)) !== F_LIVE || (checkPairs && blockedAt(s, ai, bi))) continue;
    let u = (key - bi) / PACK;
    if ((fb & F_DIRTY) !== 0) u = unitsAt(s, ai, bi, edgeA, edge[bi] === 1);
    if (u > 0) {
      offer(s, ai, bi, u);
      offer(s, bi, ai, u);
    } else if (edgeA) offer(s, ai, bi, 0);
    else continue;
    arcs[base + kept++] = u * PACK + bi;
  }
  s.arcN[ai] = kept;
}

/** Offers the arc o -> t to o's best few of this pass (`top`, `keep` per person, best first). */
function offer(s: Room, o: number, t: number, u: number) {
  const hot = s.hot;
  const top = s.top;
  const keep = s.keep;
  const key = (u > MAX_PACKED_UNITS ? MAX_PACKED_UNITS : u) * PACK + t;
  const h = o * HOT;
  // Most offers stop here, on the record already fetched, without touching `top`.
  if (key <= hot[h + H_FLOOR]!) return;
  const base = o * keep;
  const size = hot[h + H_TOPN]!;
  let k = size;
  while (k > 0 && top[base + k - 1]! < key) k--;
  // A pair found from both sides arrives twice with the very same key.
  if (k > 0 && top[base + k - 1] === key) return;
  for (let q = size < keep ? size : keep - 1; q > k; q--) top[base + q] = top[base + q - 1]!;
  top[base + k] = key;
  if (size < keep) hot[h + H_TOPN] = size + 1;
  if (size + 1 >= keep) hot[h + H_FLOOR] = top[base + keep - 1]!;
}

