import type { Entry, Rec, Room } from '../room';
import { buffer } from '../room';
import type { ArcLists } from './arcs';

/**
 * The global pass's open slots, assigned by an auction (Bertsekas's, with several slots per
 * owner and several places per target): each owner with a free slot bids for the target
 * worth most to it at current prices, by how much it prefers it to its next option plus
 * epsilon; a full target drops its lowest bid, whose owner bids again. Prices end where
 * contention puts them, which a plain greedy misses: it hands the popular few to whoever
 * comes first, not to those with no alternative. The result is within (slots x epsilon) of
 * the best assignment of these arcs. Values are the arcs' keys. `openAuction` sets it up,
 * `openSlots` queues the bidders, `bidRounds` runs it in rounds.
 */

/** Auction bid increment, in keys (half units): the result is within slots x this of the best. */
const EPSILON = 8;

/** The state of the pass's auction between rounds (see `openAuction`). */
export interface Auction {
  n: number;
  lists: ArcLists;
  /** Per owner, the arcs won (`perPerson` places each) and how many. */
  won: Int32Array;
  wonN: Int32Array;
  price: Int32Array;
  heldOwner: Int32Array;
  heldArc: Int32Array;
  heldBid: Int32Array;
  heldN: Int32Array;
  arcState: Int32Array;
  slots: Int32Array;
  queue: Int32Array;
  queued: Int32Array;
  qh: number;
  qt: number;
}

/** The auction over these arcs, every target free and nobody queued yet. */
export function openAuction(s: Room, n: number, lists: ArcLists): Auction {
  const p = s.perPerson;
  const m = s.maxExposure;
  const arcCount = lists.count;
  return {
    n,
    lists,
    won: buffer(s, 'won', n * p),
    wonN: buffer(s, 'count', n).fill(0, 0, n),
    // What a place costs now: 0 while the target has room, its lowest held bid once full.
    // (Pinned pairs, already in `fixed`, do not count against the cap.)
    price: buffer(s, 'price', n).fill(0, 0, n),
    heldOwner: buffer(s, 'heldOwner', n * m),
    heldArc: buffer(s, 'heldArc', n * m),
    heldBid: buffer(s, 'heldBid', n * m),
    heldN: buffer(s, 'heldN', n).fill(0, 0, n),
    // 0: free to bid on, 1: held by its owner, 2: never (the pair is already pinned).
    arcState: buffer(s, 'arcState', arcCount).fill(0, 0, arcCount),
    slots: buffer(s, 'slots', n),
    queue: buffer(s, 'queue', n + 1),
    queued: buffer(s, 'queued', n).fill(0, 0, n),
    qh: 0,
    qt: 0,
  };
}

/** The free slots of `bidders[from..to)`, their arcs to pinned partners closed, in the queue. */
export function openSlots(s: Room, au: Auction, bidders: readonly Rec[], from: number, to: number, fixed: Entry[][]) {
  const p = s.perPerson;
  const { start, end, eB } = au.lists;
  for (let k = from; k < to; k++) {
    const a = bidders[k]!;
    const fixedTargets = fixed[a.idx]!;
    au.slots[a.idx] = p - fixedTargets.length;
    if (fixedTargets.length > 0) {
      for (let e = start[a.idx]!; e < end[a.idx]!; e++) if (fixedTargets.some((x) => x.t === eB[e])) au.arcState[e] = 2;
    }
    if (end[a.idx]! > start[a.idx]!) enqueue(au, a.idx);
  }
}

function enqueue(au: Auction, a: number) {
  if (au.queued[a]) return;
  au.queued[a] = 1;
  au.queue[au.qt] = a;
  au.qt = au.qt === au.n ? 0 : au.qt + 1;
}

/** Lets up to `rounds` owners bid for all their free slots. Returns whether the auction has ended. */
export function bidRounds(s: Room, au: Auction, rounds: number): boolean {
  const p = s.perPerson;
  const m = s.maxExposure;
  const { start, end, eB, eK } = au.lists;
  const { won, wonN, price, heldOwner, heldArc, heldBid, heldN, arcState, slots, queue, queued } = au;
  const n = au.n;
  for (let r = 0; r < rounds; r++) {
    if (au.qh === au.qt) return true;
    const a = queue[au.qh]!;
    au.qh = au.qh === n ? 0 : au.qh + 1;
    queued[a] = 0;
    while (wonN[a]! < slots[a]!) {
      let best = -1;
      let v1 = 0;
      let v2 = 0;
      for (let e = start[a]!; e < end[a]!; e++) {
        // Prices are never negative: this arc and all after it are worth at most eK.
        if (eK[e]! <= v2) break;
        if (arcState[e] !== 0) continue;
        const v = eK[e]! - price[eB[e]!]!;
        if (v > v1) {
          v2 = v1;
          v1 = v;
          best = e;
        } else if (v > v2) v2 = v;
      }
      if (best < 0) break;
      const j = eB[best]!;
      const bid = eK[best]! - v2 + EPSILON;
      const base = j * m;
      let slot: number;
      if (heldN[j]! < m) {
        slot = base + heldN[j]!++;
      } else {
        slot = base;
        for (let k = 1; k < heldN[j]!; k++) if (heldBid[base + k]! < heldBid[slot]!) slot = base + k;
        const loser = heldOwner[slot]!;
        const lostArc = heldArc[slot]!;
        arcState[lostArc] = 0;
        for (let k = 0; k < wonN[loser]!; k++) {
          if (won[loser * p + k] === lostArc) {
            won[loser * p + k] = won[loser * p + --wonN[loser]!]!;
            break;
          }
        }
        enqueue(au, loser);
      }
      heldOwner[slot] = a;
      heldArc[slot] = best;
      heldBid[slot] = bid;
      arcState[best] = 1;
      won[a * p + wonN[a]!++] = best;
      if (heldN[j] === m) {
        let low = heldBid[base]!;
        for (let k = 1; k < heldN[j]!; k++) if (heldBid[base + k]! < low) low = heldBid[base + k]!;
        price[j] = low;
      }
    }
  }
  return au.qh === au.qt;
}
