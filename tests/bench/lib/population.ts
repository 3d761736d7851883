import type { Person } from '../../../api/src/matching';
import { intBetween, normal, seededRng, type Rng } from './rng';

/**
 * Seeded attendee populations that look like a real evening: a few topics everybody wants
 * (Zipf-like popularity), supply and demand that do not line up (many look for investment,
 * few offer it), a quarter of first-timers, a few hosts, and small circles of people who
 * already know each other. Seeks and offers are the ids of two-sided topics (the
 * simulator's vocabulary, `SIM_TOPICS`): a seek matches the same topic's offer.
 */

/** Sought topics, most wanted first. */
export const INTENT_TAGS = [
  'investment', 'jobs', 'co-founder', 'mentor', 'customers', 'advisors', 'grants', 'design', 'engineering', 'feedback',
  'sales', 'marketing', 'early-access', 'partners', 'data-science', 'legal', 'press', 'beta-testers', 'research', 'operations',
];
/** The same topics by how often they are offered: what is wanted most is offered least. */
const OFFER_ORDER = [
  'engineering', 'advisors', 'design', 'feedback', 'mentor', 'early-access', 'marketing', 'data-science', 'research', 'operations',
  'sales', 'beta-testers', 'jobs', 'partners', 'customers', 'legal', 'press', 'grants', 'co-founder', 'investment',
];
export const INTEREST_TAGS = [
  'AI', 'Climate', 'Fintech', 'Health', 'Open source', 'Education', 'Data', 'Security', 'Community', 'Hardware',
  'Mobility', 'Energy', 'Food', 'Biotech', 'Gaming', 'Music', 'Space', 'Retail', 'Cities', 'Privacy',
];

const zipf = (k: number, s = 1.05) => Array.from({ length: k }, (_, i) => 1 / Math.pow(i + 1, s));

/** `count` distinct picks, each with probability proportional to its weight. */
function pickWeighted(rng: Rng, tags: readonly string[], weightsOf: readonly number[], count: number): string[] {
  const out: string[] = [];
  const w = [...weightsOf];
  for (let c = 0; c < count; c++) {
    const total = w.reduce((a, b) => a + b, 0);
    let x = rng() * total;
    let i = 0;
    while (i < w.length - 1 && x >= w[i]!) x -= w[i++]!;
    out.push(tags[i]!);
    w[i] = 0;
  }
  return out;
}

const countOf = (rng: Rng, none: number, dist: readonly number[]) => {
  if (rng() < none) return 0;
  let x = rng();
  for (let i = 0; i < dist.length; i++) {
    if (x < dist[i]!) return i + 1;
    x -= dist[i]!;
  }
  return dist.length;
};

export interface PopulationOptions {
  n: number;
  seed: number;
  /** Id prefix, so several populations can share an engine. */
  prefix?: string;
  /** Ids `prefix0 .. prefix{knowsPool-1}` are the circles people may know (defaults to n). */
  knowsPool?: number;
}

export interface Profile extends Omit<Person, 'present' | 'arrivedAt' | 'hasAccepted'> {
  index: number;
}

const CIRCLE = 40;

export function generateProfiles(opts: PopulationOptions): Profile[] {
  const rng = seededRng(opts.seed);
  const prefix = opts.prefix ?? 'p';
  const pool = opts.knowsPool ?? opts.n;
  const seekW = zipf(INTENT_TAGS.length);
  const offerW = INTENT_TAGS.map((t) => seekW[OFFER_ORDER.indexOf(t)]!);
  const interestW = zipf(INTEREST_TAGS.length, 0.9);
  const people: Profile[] = [];
  for (let i = 0; i < opts.n; i++) {
    const firstTime = rng() < 0.25;
    const host = !firstTime && rng() < 0.05 / 0.75;
    const knows: string[] = [];
    if (rng() < 0.4) {
      const circle = Math.floor(i / CIRCLE) * CIRCLE;
      const k = intBetween(rng, 1, 3);
      for (let j = 0; j < k; j++) {
        const other = circle + Math.floor(rng() * CIRCLE);
        if (other !== i && other < pool && !knows.includes(`${prefix}${other}`)) knows.push(`${prefix}${other}`);
      }
    }
    people.push({
      index: i,
      id: `${prefix}${i}`,
      name: `Guest ${i}`,
      seeks: pickWeighted(rng, INTENT_TAGS, seekW, countOf(rng, 0.05, [0.45, 0.35, 0.2])),
      offers: pickWeighted(rng, INTENT_TAGS, offerW, countOf(rng, 0.05, [0.45, 0.35, 0.2])),
      interests: pickWeighted(rng, INTEREST_TAGS, interestW, countOf(rng, 0.05, [0.3, 0.35, 0.2, 0.15])),
      firstTime,
      host,
      knows,
      optedOut: false,
    });
  }
  return people;
}

/**
 * A room already in full swing at `now`: everyone arrived within the last 90 minutes, and
 * most of those who came more than ten minutes ago have said yes to someone.
 */
export function presentAt(profiles: readonly Profile[], now: number, seed: number): Person[] {
  const rng = seededRng(seed ^ 0x5bd1e995);
  return profiles.map(({ index: _index, ...p }) => {
    const arrivedAt = now - Math.floor(rng() * 90 * 60_000);
    const hasAccepted = now - arrivedAt > 10 * 60_000 && rng() < 0.6;
    return { ...p, present: true, arrivedAt, hasAccepted };
  });
}

/** Arrival times in seconds over an evening: three waves and a steady trickle. */
export function arrivalTimes(n: number, seed: number, evening_s = 3 * 3600): number[] {
  const rng = seededRng(seed ^ 0x27d4eb2f);
  const waves = [
    { at: 0.12, sd: 0.05, share: 0.35 },
    { at: 0.4, sd: 0.06, share: 0.3 },
    { at: 0.7, sd: 0.05, share: 0.15 },
  ];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let x = rng();
    let t = rng();
    for (const w of waves) {
      if (x < w.share) {
        t = w.at + w.sd * normal(rng);
        break;
      }
      x -= w.share;
    }
    out.push(Math.round(Math.min(0.95, Math.max(0, t)) * evening_s));
  }
  return out;
}
