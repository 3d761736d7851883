import { acquainted, reachOf } from './people';
import {
  F_ADJ,
  F_HOST,
  F_LIVE,
  F_REACH_DIRTY,
  F_REACH_WIDE,
  F_WIDE,
  H_FLAGS,
  H_INTRO,
  HOT,
  INTERESTS,
  OFFERS,
  REACH,
  SEEKS,
  STRIDE,
  type Rec,
  type Room,
} from './room';
import { countCommon, tagUnits, weights } from './score';

/**
 * The pair score on the room's packed state, in units (score.ts has the formula and the
 * weights): what each can give the other and shared interests from the tag masks (the tag
 * arrays when a tag lies beyond them), the host's welcome for someone at the edges, and the
 * acquaintance terms (known already, an introducer, a connector). The hottest code of the
 * engine: every candidate of every lookup is scored here.
 */

const HOST_WELCOME = weights.hostWelcome;
const INTRODUCER = weights.introducer;
const CONNECTOR = weights.connector;
const KNOWN_DIVISOR = weights.knownDivisor;

function pop32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

export function pairUnits(s: Room, a: Rec, b: Rec, edgeA: boolean, edgeB: boolean): number {
  return unitsAt(s, a.idx, b.idx, edgeA, edgeB);
}

/** The pair score in units; see score.ts for the formula. Symmetric in (a, b). */
export function unitsAt(s: Room, a: number, b: number, edgeA: boolean, edgeB: boolean, intro = -1): number {
  const M = s.hot;
  const fa = s.hot[a * HOT + H_FLAGS]!;
  const fb = s.hot[b * HOT + H_FLAGS]!;
  let u: number;
  if (((fa | fb) & F_WIDE) === 0) {
    const x = a * STRIDE;
    const y = b * STRIDE;
    u = tagUnits(
      pop32(M[x + SEEKS]! & M[y + OFFERS]!) + pop32(M[x + SEEKS + 1]! & M[y + OFFERS + 1]!),
      pop32(M[y + SEEKS]! & M[x + OFFERS]!) + pop32(M[y + SEEKS + 1]! & M[x + OFFERS + 1]!),
      pop32(M[x + INTERESTS]! & M[y + INTERESTS]!) + pop32(M[x + INTERESTS + 1]! & M[y + INTERESTS + 1]!),
    );
  } else {
    const ra = s.recs[a]!;
    const rb = s.recs[b]!;
    u = tagUnits(countCommon(ra.seeks, rb.offers), countCommon(rb.seeks, ra.offers), countCommon(ra.interests, rb.interests));
  }
  const hostA = (fa & F_HOST) !== 0;
  const hostB = (fb & F_HOST) !== 0;
  if ((hostA && !hostB && edgeB) || (hostB && !hostA && edgeA)) u += HOST_WELCOME;
  if (((fa | fb) & F_ADJ) === 0) return u;
  return socialUnits(s, a, b, u, intro);
}

/** The acquaintance part of the score, for pairs where either knows someone. */
function socialUnits(s: Room, a: number, b: number, u: number, intro: number): number {
  const fa = s.hot[a * HOT + H_FLAGS]!;
  const fb = s.hot[b * HOT + H_FLAGS]!;
  if ((fa & F_ADJ) !== 0 && acquainted(s, a, b)) return Math.floor(u / KNOWN_DIVISOR);
  if ((fa & fb & F_ADJ) !== 0 && (intro >= 0 ? s.hot[b * HOT + H_INTRO] === intro : introducerAt(s, a, b) >= 0)) u += INTRODUCER;
  if (connects(s, a, b) || connects(s, b, a)) u += CONNECTOR;
  return u;
}

/** Does `knower` know someone present who offers what `other` seeks? */
export function connects(s: Room, knower: number, other: number): boolean {
  const f = s.hot[knower * HOT + H_FLAGS]!;
  if ((f & F_ADJ) === 0) return false;
  if ((f & F_REACH_DIRTY) !== 0) reachOf(s, knower);
  if (((s.hot[knower * HOT + H_FLAGS]! & F_REACH_WIDE) | (s.hot[other * HOT + H_FLAGS]! & F_WIDE)) !== 0) {
    return countCommon(reachOf(s, knower), s.recs[other]!.seeks) > 0;
  }
  const M = s.hot;
  const k = knower * STRIDE + REACH;
  const o = other * STRIDE + SEEKS;
  return ((M[k]! & M[o]!) | (M[k + 1]! & M[o + 1]!)) !== 0;
}

/** A present person who knows both, or -1: the first such in the smaller circle. */
export function introducerAt(s: Room, a: number, b: number): number {
  const ra = s.recs[a]!;
  const rb = s.recs[b]!;
  if (!ra.adj || !rb.adj) return -1;
  const small = ra.adjList.length <= rb.adjList.length ? ra : rb;
  const big = small === ra ? rb.adj : ra.adj;
  for (const c of small.adjList) {
    if (c === a || c === b || (s.hot[c * HOT + H_FLAGS]! & F_LIVE) === 0) continue;
    if (big.has(c)) return c;
  }
  return -1;
}

/**
 * Stamps everyone a present acquaintance of `a` knows, so "can someone introduce a to b"
 * is one read per candidate instead of a walk through b's circle. Returns the stamp, or -1
 * when a knows nobody.
 */
export function markIntroductions(s: Room, a: Rec): number {
  if (a.adjList.length === 0) return -1;
  const stamp = ++s.stamp;
  const hot = s.hot;
  for (const c of a.adjList) {
    if ((hot[c * HOT + H_FLAGS]! & F_LIVE) === 0) continue;
    for (const x of s.recs[c]!.adjList) hot[x * HOT + H_INTRO] = stamp;
  }
  return stamp;
}

