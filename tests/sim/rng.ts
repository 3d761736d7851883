/**
 * Seeded randomness for the simulator: a trace and a replay with the same seed make the
 * same choices, so two runs differ only by what the server does.
 */
import { seededRng, type Rng } from '../bench/lib/rng';

// One mulberry32 for the benchmarks and the simulator.
export { intBetween, normal, seededRng, type Rng } from '../bench/lib/rng';

/** A stream of its own for one name under one seed (FNV-1a of the name, mixed with the seed). */
export function rngFor(seed: number, name: string): Rng {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return seededRng(h >>> 0);
}

/** Zipf-like weights for ranks 1..k: the first few items take most of the mass. */
export const zipfWeights = (k: number, s = 1) => Array.from({ length: k }, (_, i) => 1 / Math.pow(i + 1, s));

/** One index, with probability proportional to its weight (weights need not sum to 1). */
export function pickIndex(rng: Rng, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new Error('pickIndex needs at least one positive weight');
  let x = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (x < w) return i;
    x -= w;
  }
  // Rounding can leave x a hair above the last weight: the last positive one takes it.
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
  return weights.length - 1;
}

/** Up to `count` distinct items, each draw proportional to weight among those not yet drawn. */
export function pickDistinct<T>(rng: Rng, items: readonly T[], weights: readonly number[], count: number): T[] {
  const w = [...weights];
  const out: T[] = [];
  for (let c = 0; c < count && w.some((x) => x > 0); c++) {
    const i = pickIndex(rng, w);
    out.push(items[i]!);
    w[i] = 0;
  }
  return out;
}

export function shuffle<T>(rng: Rng, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}
