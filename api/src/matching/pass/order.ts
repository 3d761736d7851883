import { F_DIRTY, H_EDGE, H_FLAGS, H_FLOOR, H_TOPN, HOT, buffer, inPass, needsSlot, type Rec, type Room } from '../room';
import { CHUNK_LIGHT } from './chunks';

/**
 * The order the global pass works in, and who it serves first: everyone present by rank,
 * and the people at the edges longest waiting first, both kept from pass to pass and
 * merged with who changed, in steps; and who is at the edges for this pass.
 */

/** Who is at the edges for this pass; the per-pass fields of their records reset. */
export function markEdges(s: Room, order: readonly Rec[], from: number, to: number, edge: Int32Array, now: number) {
  const hot = s.hot;
  const lastEdge = s.lastEdge;
  for (let k = from; k < to; k++) {
    const r = order[k]!;
    const i = r.idx;
    const e = needsSlot(s, r, now) ? 1 : 0;
    edge[i] = e;
    // The host bonus and the guaranteed slot depend on it. (F_DIRTY alone: the pass reads
    // this mark and clears it.)
    if (lastEdge[i] !== e) hot[i * HOT + H_FLAGS]! |= F_DIRTY;
    lastEdge[i] = e;
    hot[i * HOT + H_EDGE] = e;
    hot[i * HOT + H_TOPN] = 0;
    hot[i * HOT + H_FLOOR] = -1;
  }
}

/**
 * Everyone present by rank (ties by index), kept from pass to pass: between two passes
 * few people arrive or leave, so the last order is filtered and merged with the newcomers
 * (`unordered`) sorted alone, instead of sorting the whole room again. In steps; who
 * joins meanwhile waits for the next pass.
 */
export function* presentByRank(s: Room, n: number): Generator<void, Rec[], void> {
  const before = (x: Rec, y: Rec) => x.rank < y.rank || (x.rank === y.rank && x.idx < y.idx);
  const last = s.ordered;
  const kept: Rec[] = [];
  for (let k = 0; k < last.length; k++) {
    if ((k & (CHUNK_LIGHT - 1)) === CHUNK_LIGHT - 1) yield;
    const r = last[k]!;
    if (r.indexed) kept.push(r);
    else r.ordered = false;
  }
  const added: Rec[] = [];
  const later: number[] = [];
  for (const i of s.unordered) {
    const r = s.recs[i]!;
    if (i >= n) {
      later.push(i);
      continue;
    }
    r.queued = false;
    if (r.ordered || !r.indexed) continue;
    r.ordered = true;
    added.push(r);
  }
  s.unordered = later;
  added.sort((x, y) => x.rank - y.rank || x.idx - y.idx);
  yield;
  const out: Rec[] = new Array<Rec>(kept.length + added.length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < out.length; k++) {
    if ((k & (CHUNK_LIGHT - 1)) === CHUNK_LIGHT - 1) yield;
    out[k] = j >= added.length || (i < kept.length && before(kept[i]!, added[j]!)) ? kept[i++]! : added[j++]!;
  }
  s.ordered = out;
  return out;
}

/**
 * The people at the edges, longest waiting first (ties by rank). The last pass's order,
 * filtered, is nearly all still sorted: only the newly arrived (and the few whose arrival
 * time was edited) are sorted, then merged in, in steps.
 */
export function* edgesByWait(s: Room, order: readonly Rec[], edge: Int32Array, n: number): Generator<void, Rec[], void> {
  const cmp = (x: Rec, y: Rec) => x.arrivedAt - y.arrivedAt || x.rank - y.rank || x.idx - y.idx;
  const seen = buffer(s, 'seen', n).fill(0, 0, n);
  const last = s.edgeOrder;
  const kept: Rec[] = [];
  const added: Rec[] = [];
  for (let k = 0; k < last.length; k++) {
    if ((k & (CHUNK_LIGHT - 1)) === CHUNK_LIGHT - 1) yield;
    const r = last[k]!;
    if (!inPass(s, r.idx) || edge[r.idx] !== 1 || seen[r.idx] === 1) continue;
    seen[r.idx] = 1;
    // Out of place now (their arrival time was edited): sorted with the newcomers.
    if (kept.length > 0 && cmp(kept[kept.length - 1]!, r) > 0) added.push(r);
    else kept.push(r);
  }
  for (let k = 0; k < order.length; k++) {
    if ((k & (CHUNK_LIGHT - 1)) === CHUNK_LIGHT - 1) yield;
    const r = order[k]!;
    if (edge[r.idx] !== 1 || seen[r.idx] === 1) continue;
    seen[r.idx] = 1;
    added.push(r);
  }
  added.sort(cmp);
  yield;
  const out = new Array<Rec>(kept.length + added.length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < out.length; k++) {
    if ((k & (CHUNK_LIGHT - 1)) === CHUNK_LIGHT - 1) yield;
    out[k] = j >= added.length || (i < kept.length && cmp(kept[i]!, added[j]!) < 0) ? kept[i++]! : added[j++]!;
  }
  s.edgeOrder = out;
  return out;
}

