import { gather, scanCompatible } from '../candidates';
import { markIntroductions, unitsAt } from '../pair-score';
import { buffer, compatible, inPass, type Entry, type Rec, type Room } from '../room';
import type { ArcLists } from './arcs';
import { bidRounds, openAuction, openSlots } from './auction';
import { CHUNK_BIDS, CHUNK_LIGHT, CHUNK_LISTS, CHUNK_WIDEN } from './chunks';
import { edgesByWait } from './order';

/**
 * The global pass's plan: everyone's next list, built from the arcs in four steps: pinned
 * pairs whatever the caps; the open slots by auction, the people at the edges bidding
 * first; a wider look for lists the auction left short; the guaranteed first suggestion of
 * anyone at the edges still without one. Nothing here changes a list: the commit does.
 */

/** Everyone's planned list (`next`, by index), and how many of those entries are pinned. */
export interface Plan {
  next: Entry[][];
  pinnedTaken: number;
}

/** The plan, in steps (see the header). */
export function* planLists(s: Room, order: readonly Rec[], edge: Int32Array, arcs: ArcLists, n: number, now: number): Generator<void, Plan, void> {
  const p = s.perPerson;
  const m = s.maxExposure;
  const { eB, eU, eK, start, end } = arcs;

  const next: Entry[][] = new Array<Entry[]>(n);
  for (let k = 0; k < order.length; k++) {
    if ((k & (CHUNK_LIGHT - 1)) === CHUNK_LIGHT - 1) yield;
    next[order[k]!.idx] = [];
  }
  const load = buffer(s, 'load', n).fill(0, 0, n);
  let pinnedTaken = 0;
  const take = (a: Rec, b: number, units: number, pinned: boolean, overflow: boolean) => {
    next[a.idx]!.push({ t: b, units, since: now, pinned, overflow });
    if (pinned) pinnedTaken++;
    else if (!overflow) load[b]!++;
  };

  // 1. Pinned pairs, whatever the caps.
  for (let k = 0; k < order.length; k++) {
    if ((k & (CHUNK_LIGHT - 1)) === CHUNK_LIGHT - 1) yield;
    const a = order[k]!;
    if (!a.pinned || !inPass(s, a.idx)) continue;
    for (const bi of a.pinned) {
      const b = s.recs[bi]!;
      if (inPass(s, bi) && compatible(s, a, b)) take(a, bi, unitsAt(s, a.idx, bi, edge[a.idx] === 1, edge[bi] === 1), true, false);
    }
  }
  yield;

  // 2. The open slots, by auction; the edges bid first, longest waiting first.
  const edges = yield* edgesByWait(s, order, edge, n);
  yield;
  const bidders = edges.slice();
  for (let k = 0; k < order.length; k++) {
    if ((k & (CHUNK_LIGHT - 1)) === CHUNK_LIGHT - 1) yield;
    const a = order[k]!;
    if (edge[a.idx] !== 1) bidders.push(a);
  }
  yield;
  const auction = openAuction(s, n, arcs);
  yield;
  for (let k = 0; k < bidders.length; k += CHUNK_LISTS) {
    openSlots(s, auction, bidders, k, Math.min(bidders.length, k + CHUNK_LISTS), next);
    yield;
  }
  while (!bidRounds(s, auction, CHUNK_BIDS)) yield;
  const won = auction.won;
  const wonN = auction.wonN;
  for (let k = 0; k < order.length; k += CHUNK_LIGHT) {
    for (let x = k; x < Math.min(order.length, k + CHUNK_LIGHT); x++) {
      const ai = order[x]!.idx;
      const list = next[ai]!;
      for (let c = 0; c < wonN[ai]!; c++) {
        const e = won[ai * p + c]!;
        list.push({ t: eB[e]!, units: eU[e]!, since: now, pinned: false, overflow: false });
        load[eB[e]!]!++;
      }
    }
    yield;
  }

  // 3. Lists the auction left short (their few candidates were all taken): look wider.
  let widened = 0;
  for (let k = 0; k < order.length; k++) {
    const a = order[k]!;
    if ((k & (CHUNK_LIGHT - 1)) === 0) yield;
    if (next[a.idx]!.length >= p || !inPass(s, a.idx)) continue;
    widen(s, a, edge, next, load, now);
    if (++widened === CHUNK_WIDEN) {
      widened = 0;
      yield;
    }
  }
  yield;

  // 4. The guaranteed slot: a candidate with room, else anyone compatible with room, else
  // a place taken from a list that keeps others, else one past the cap.
  for (let x = 0; x < edges.length; x++) {
    if ((x & (CHUNK_LIGHT - 1)) === CHUNK_LIGHT - 1) yield;
    const a = edges[x]!;
    if (next[a.idx]!.length > 0 || !inPass(s, a.idx)) continue;
    let pick = -1;
    for (let e = start[a.idx]!; e < end[a.idx]!; e++) {
      if (load[eB[e]!]! < m && (pick < 0 || eK[e]! > eK[pick]!)) pick = e;
    }
    if (pick >= 0) {
      take(a, eB[pick]!, eU[pick]!, false, false);
      continue;
    }
    // The rest scans the room: a checkpoint after each.
    yield;
    const roomy = scanCompatible(s, a, (b) => b.idx < n && inPass(s, b.idx) && load[b.idx]! < m);
    if (roomy) {
      take(a, roomy.idx, unitsAt(s, a.idx, roomy.idx, true, edge[roomy.idx] === 1), false, false);
      continue;
    }
    const pool: Rec[] = [];
    for (let e = start[a.idx]!; e < end[a.idx]!; e++) pool.push(s.recs[eB[e]!]!);
    if (pool.length === 0) {
      const any = scanCompatible(s, a, (b) => b.idx < n && inPass(s, b.idx));
      if (any) pool.push(any);
    }
    let placed = false;
    for (const b of pool) {
      let from: Rec | null = null;
      let weakest = Infinity;
      for (let k = 0; k < order.length; k++) {
        if ((k & (CHUNK_LIGHT - 1)) === CHUNK_LIGHT - 1) yield;
        const o = order[k]!;
        const list = next[o.idx]!;
        if (list.length < 2) continue;
        const e = list.find((x) => x.t === b.idx && !x.pinned && !x.overflow);
        if (e && e.units < weakest) {
          weakest = e.units;
          from = o;
        }
      }
      if (!from) continue;
      const list = next[from.idx]!;
      list.splice(
        list.findIndex((x) => x.t === b.idx),
        1,
      );
      load[b.idx]!--;
      take(a, b.idx, unitsAt(s, a.idx, b.idx, true, edge[b.idx] === 1), false, false);
      placed = true;
      break;
    }
    const first = pool[0];
    if (!placed && first) take(a, first.idx, unitsAt(s, a.idx, first.idx, true, edge[first.idx] === 1), false, true);
  }
  return { next, pinnedTaken };
}

/** Step 3 of the pass for one short list: a wider look, among people with room. */
function widen(s: Room, a: Rec, edge: Int32Array, next: Entry[][], load: Int32Array, now: number) {
  const p = s.perPerson;
  const m = s.maxExposure;
  const list = next[a.idx]!;
  const edgeA = edge[a.idx] === 1;
  const count = gather(s, a, Math.min(1, 2 * s.budget.globalScale), edgeA, true);
  const intro = markIntroductions(s, a);
  const pool: { b: number; u: number }[] = [];
  for (let c = 0; c < count; c++) {
    const bi = s.cand[c]!;
    if (load[bi]! >= m || list.some((e) => e.t === bi)) continue;
    const u = unitsAt(s, a.idx, bi, edgeA, edge[bi] === 1, intro);
    if (u > 0) pool.push({ b: bi, u });
  }
  pool.sort((x, y) => y.u - x.u || s.recs[x.b]!.rank - s.recs[y.b]!.rank);
  for (const { b, u } of pool) {
    if (list.length >= p) break;
    if (load[b]! >= m) continue;
    list.push({ t: b, units: u, since: now, pinned: false, overflow: false });
    load[b]!++;
  }
}

