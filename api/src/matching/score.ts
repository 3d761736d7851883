/**
 * Pair scores, in integer units (10 units = 1 point) so that sorting, thresholds and the
 * benchmark's exact optimum all work on exact numbers.
 *
 * For a pair A, B:
 *   ab = |A.seeks ∩ B.offers|   what B can give A      (each capped at 3)
 *   ba = |B.seeks ∩ A.offers|   what A can give B
 *   c  = |A.interests ∩ B.interests|                    (capped at 3)
 *   units = 20·(ab + ba) + 30·min(ab, ba) + 10·c
 *         + 20 when one is a host and the other is at the edges (and not a host)
 *         + 5 when a present third person knows them both (an introducer)
 *         + 5 when one knows someone here who offers what the other seeks (a connector)
 *   and when A and B already know each other: units / 4 (rounded down), no introduction
 *   bonus: they need no suggestion to talk.
 *
 * The min term is what makes reciprocity pay and one-sided pitches sink: one tag each
 * way (1/1) scores 70, three tags one way (3/0) only 60, two one way (2/0) 40. The score is
 * symmetric, so A's card for B and B's card for A rank the pair alike.
 */

export const UNITS_PER_POINT = 10;

export const weights = {
  give: 20,
  reciprocity: 30,
  common: 10,
  tagCap: 3,
  hostWelcome: 20,
  introducer: 5,
  connector: 5,
  knownDivisor: 4,
} as const;

/** Size of the intersection of two ascending arrays of tag ids. */
export function countCommon(a: readonly number[], b: readonly number[]): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}

/** The intersection itself, for reasons. */
export function commonOf(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out;
}

/** The tag part of the score, from the three overlap counts. */
export function tagUnits(ab: number, ba: number, common: number): number {
  const cap = weights.tagCap;
  const x = ab < cap ? ab : cap;
  const y = ba < cap ? ba : cap;
  const c = common < cap ? common : cap;
  return weights.give * (x + y) + weights.reciprocity * (x < y ? x : y) + weights.common * c;
}

/**
 * The score a newcomer must reach to take an existing suggestion's place: clearly
 * better, by a quarter and by at least one point, so lists do not churn on noise.
 */
export function replacementThreshold(units: number): number {
  const relative = Math.ceil(units * 1.25);
  const absolute = units + UNITS_PER_POINT;
  return relative > absolute ? relative : absolute;
}

export const toPoints = (units: number) => units / UNITS_PER_POINT;
