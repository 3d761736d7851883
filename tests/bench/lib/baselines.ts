import { shuffle, type Rng } from './rng';

/**
 * Two naive assignments under the same caps, so the engine's gain is visible: anyone at
 * random, and "people who share interests" greedily. `units[i * n + j]` is the pair score
 * of owner i and target j in integer units, or -1 when j may not be in i's list.
 */

export interface Dense {
  n: number;
  units: Int32Array;
  /** Shared interests of i and j (the only thing the second baseline looks at). */
  common: Int32Array;
}

/** Each owner, in random order, takes random allowed targets that still have room. */
export function randomPairing(d: Dense, p: number, m: number, rng: Rng): number {
  const { n, units } = d;
  const load = new Int32Array(n);
  let total = 0;
  const targets = Array.from({ length: n }, (_, j) => j);
  for (const i of shuffle(rng, Array.from({ length: n }, (_, k) => k))) {
    let taken = 0;
    for (const j of shuffle(rng, targets)) {
      if (taken === p) break;
      const u = units[i * n + j]!;
      if (u < 0 || load[j]! >= m) continue;
      load[j]!++;
      taken++;
      total += u;
    }
  }
  return total;
}

/** Pairs by descending shared interests (random among ties), capped like the engine. */
export function greedyByInterests(d: Dense, p: number, m: number, rng: Rng): number {
  const { n, units, common } = d;
  const byCommon: number[][] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const c = common[i * n + j]!;
      if (c <= 0 || units[i * n + j]! < 0) continue;
      (byCommon[c] ??= []).push(i * n + j);
    }
  }
  const outDeg = new Int32Array(n);
  const load = new Int32Array(n);
  let total = 0;
  for (let c = byCommon.length - 1; c > 0; c--) {
    for (const k of shuffle(rng, byCommon[c] ?? [])) {
      const i = Math.floor(k / n);
      const j = k - i * n;
      if (outDeg[i]! >= p || load[j]! >= m) continue;
      outDeg[i]!++;
      load[j]!++;
      total += units[k]!;
    }
  }
  return total;
}
