import { intBetween, normal, pickDistinct, pickIndex, seededRng, shuffle, zipfWeights, type Rng } from './rng';
import { eventTemplate, type Topic } from '@edgewise/shared';
import type { TraceRow } from './trace';

/**
 * Seeded traces that look like a real evening:
 * - people come as personas whose seeks and offers fit together the way a room does
 *   (job hunters and the people hiring, founders and investors, mentors and mentees), each
 *   a topic's id (SIM_TOPICS), with more demand than supply for the scarce things
 *   (investment, co-founders);
 * - tag popularity is skewed (Zipf-like) inside and across personas, so a few tags are
 *   everywhere and many are rare;
 * - about 30% are first-timers, who mostly come alone;
 * - arrivals come in two or three waves, friends and colleagues often together;
 * - about 15% leave early;
 * - small circles of colleagues and friends already know each other.
 */

/**
 * The event's topics, each with a "looking for" and an "offering" side (the same label
 * twice when it reads the same both ways): a startup evening's, as the startup-night
 * template has them and a few more, so a room has common and rare topics.
 */
export const SIM_TOPICS: readonly Topic[] = [
  ...(eventTemplate('startup-night')?.topics ?? []),
  { id: 'feedback', seekLabel: 'Feedback on my idea', offerLabel: "I'll give honest feedback" },
  { id: 'partners', seekLabel: 'Partners', offerLabel: 'Partners' },
  { id: 'data-science', seekLabel: 'Data science help', offerLabel: 'I do data science' },
  { id: 'marketing', seekLabel: 'Marketing help', offerLabel: 'I do marketing' },
  { id: 'sales', seekLabel: 'Sales help', offerLabel: 'I sell' },
  { id: 'speakers', seekLabel: 'Speakers', offerLabel: 'I give talks' },
  { id: 'grants', seekLabel: 'Grant funding', offerLabel: 'I fund research' },
  { id: 'research', seekLabel: 'Research collaborators', offerLabel: 'Research collaborators' },
  { id: 'press', seekLabel: 'Press coverage', offerLabel: 'I write about startups' },
  { id: 'legal', seekLabel: 'Legal advice', offerLabel: 'I give legal advice' },
  { id: 'operations', seekLabel: 'Operations help', offerLabel: 'I run operations' },
  { id: 'volunteers', seekLabel: 'Volunteers', offerLabel: 'I volunteer' },
  { id: 'open-source', seekLabel: 'Open-source contributors', offerLabel: 'I contribute to open source' },
  { id: 'suppliers', seekLabel: 'Suppliers', offerLabel: 'I supply' },
  { id: 'community', seekLabel: 'A community to join', offerLabel: 'I run a community' },
  { id: 'friends', seekLabel: 'New friends', offerLabel: 'New friends' },
];

/** The topics' ids, most popular first (their global Zipf rank). */
export const INTENT_TAGS = [
  'advisors', 'jobs', 'investment', 'engineering', 'mentor', 'customers', 'co-founder', 'design', 'feedback', 'partners',
  'early-access', 'data-science', 'beta-testers', 'community', 'speakers', 'marketing', 'sales', 'research', 'grants', 'press',
  'legal', 'operations', 'volunteers', 'open-source', 'suppliers', 'friends', 'intros',
] as const;

/** Topics, most popular first. */
export const INTEREST_TAGS = [
  'AI', 'Climate', 'Fintech', 'Health', 'Open source', 'Education', 'Data', 'Security', 'Community', 'Hardware',
  'Mobility', 'Energy', 'Food', 'Biotech', 'Cities', 'Privacy', 'Gaming', 'Music', 'Space', 'Retail',
] as const;

type IntentTag = (typeof INTENT_TAGS)[number];

interface Persona {
  name: string;
  /** Share of the room. */
  weight: number;
  /** Most typical first. */
  seeks: IntentTag[];
  offers: IntentTag[];
}

/**
 * Each role seeks one side of a topic and offers the other's, as people do: a job hunter
 * looks for a job, which the recruiter offers ("I'm hiring"); a founder looks for
 * investment, which investors offer, and offers early access, which investors look for;
 * a student looks for a job and a mentor and offers to test products.
 */
export const PERSONAS: readonly Persona[] = [
  { name: 'founder', weight: 0.2, seeks: ['investment', 'customers', 'co-founder', 'engineering', 'advisors', 'design', 'beta-testers', 'press', 'intros'], offers: ['jobs', 'early-access', 'feedback', 'partners'] },
  { name: 'investor', weight: 0.05, seeks: ['early-access', 'co-founder', 'speakers'], offers: ['investment', 'advisors', 'mentor', 'intros'] },
  { name: 'job hunter', weight: 0.15, seeks: ['jobs', 'advisors', 'mentor', 'friends'], offers: ['engineering', 'design', 'data-science', 'marketing', 'beta-testers'] },
  { name: 'recruiter', weight: 0.08, seeks: ['community', 'partners', 'speakers'], offers: ['jobs', 'feedback'] },
  { name: 'engineer', weight: 0.14, seeks: ['open-source', 'feedback', 'community', 'co-founder', 'speakers'], offers: ['engineering', 'beta-testers', 'mentor', 'open-source'] },
  { name: 'designer', weight: 0.06, seeks: ['feedback', 'jobs', 'customers', 'community'], offers: ['design', 'beta-testers', 'feedback'] },
  { name: 'mentor', weight: 0.06, seeks: ['speakers', 'early-access', 'community'], offers: ['mentor', 'advisors', 'feedback'] },
  { name: 'student', weight: 0.08, seeks: ['jobs', 'mentor', 'advisors', 'friends'], offers: ['beta-testers', 'volunteers', 'research'] },
  { name: 'seller', weight: 0.07, seeks: ['customers', 'partners', 'suppliers'], offers: ['sales', 'marketing', 'partners', 'suppliers'] },
  { name: 'researcher', weight: 0.04, seeks: ['grants', 'partners', 'data-science', 'investment'], offers: ['research', 'data-science', 'speakers'] },
  { name: 'organiser', weight: 0.03, seeks: ['speakers', 'volunteers', 'community', 'partners'], offers: ['community', 'speakers', 'grants', 'friends'] },
  { name: 'services', weight: 0.04, seeks: ['customers', 'early-access'], offers: ['legal', 'operations', 'press', 'advisors'] },
];

export interface GenerateOptions {
  n: number;
  seed: number;
  /** Length of the evening in seconds (default 3 hours). */
  durationS?: number;
}

const FIRST_TIME_SHARE = 0.3;
const EARLY_LEAVER_SHARE = 0.15;
const IN_CIRCLE_SHARE = 0.4;
/** People in circles are regulars more often; the solo share is raised to keep the overall share. */
const FIRST_TIME_IN_CIRCLE = 0.15;
const FIRST_TIME_SOLO = (FIRST_TIME_SHARE - IN_CIRCLE_SHARE * FIRST_TIME_IN_CIRCLE) / (1 - IN_CIRCLE_SHARE);

const globalIntentWeight = new Map<string, number>(INTENT_TAGS.map((t, i) => [t, zipfWeights(INTENT_TAGS.length, 1)[i]!]));

/** Tags from a persona's list: typical ones first, tempered by how popular each is overall. */
function personaTags(rng: Rng, pool: readonly IntentTag[], count: number, exclude: readonly string[] = []): string[] {
  const local = zipfWeights(pool.length, 1.1);
  // Nobody offers what they are looking for themselves.
  const w = pool.map((t, i) => (exclude.includes(t) ? 0 : local[i]! * globalIntentWeight.get(t)!));
  return pickDistinct(rng, pool, w, count);
}

/** A count from a small distribution: `dist[i]` is the chance of `i + 1`. */
function countFrom(rng: Rng, dist: readonly number[]): number {
  return pickIndex(rng, dist) + 1;
}

interface Wave {
  centre: number;
  spread: number;
  weight: number;
}

/** Two or three waves: doors opening, after-work, and sometimes a late crowd. */
function wavesFor(rng: Rng, durationS: number): Wave[] {
  const three = rng() < 0.6;
  const waves: Wave[] = [
    { centre: durationS * (0.04 + rng() * 0.04), spread: durationS * 0.04, weight: 0.45 + rng() * 0.1 },
    { centre: durationS * (0.28 + rng() * 0.08), spread: durationS * 0.06, weight: 0.35 },
  ];
  if (three) waves.push({ centre: durationS * (0.55 + rng() * 0.1), spread: durationS * 0.05, weight: 0.15 });
  return waves;
}

function arrivalIn(rng: Rng, waves: readonly Wave[], durationS: number): number {
  const wave = waves[pickIndex(rng, waves.map((w) => w.weight))]!;
  const t = wave.centre + Math.abs(normal(rng)) * wave.spread * (rng() < 0.2 ? -0.5 : 1);
  // Nobody arrives before doors open, and the last arrivals still have a while to stay.
  return Math.round(Math.min(durationS * 0.8, Math.max(0, t)));
}

/** Generates a trace of `n` attendees; the same options always give the same trace. */
export function generateTrace(opts: GenerateOptions): TraceRow[] {
  const { n, seed } = opts;
  const durationS = opts.durationS ?? 3 * 3600;
  if (!Number.isInteger(n) || n < 1) throw new Error('generate: N must be a positive integer');
  if (!Number.isFinite(durationS) || durationS < 600) throw new Error('generate: the evening must last at least 600 s');
  const rng = seededRng(seed);
  const waves = wavesFor(rng, durationS);

  // Circles first (2 to 6 people: colleagues, friends), then everyone else alone.
  const order = shuffle(rng, Array.from({ length: n }, (_, i) => i));
  const circleOf = new Array<number>(n).fill(-1);
  const circles: number[][] = [];
  let cursor = 0;
  const inCircles = Math.round(n * IN_CIRCLE_SHARE);
  while (cursor < inCircles - 1) {
    const size = Math.min(inCircles - cursor, 2 + pickIndex(rng, [0.45, 0.25, 0.15, 0.08, 0.07]));
    if (size < 2) break;
    const members = order.slice(cursor, cursor + size);
    for (const m of members) circleOf[m] = circles.length;
    circles.push(members);
    cursor += size;
  }
  // A circle often shares a persona (colleagues) and some topics, and often arrives together.
  const circlePersona = circles.map(() => pickIndex(rng, PERSONAS.map((p) => p.weight)));
  const interestWeights = zipfWeights(INTEREST_TAGS.length, 0.9);
  const circleTopics = circles.map(() => pickDistinct(rng, INTEREST_TAGS, interestWeights, 2));
  const circleArrival = circles.map(() => arrivalIn(rng, waves, durationS));

  const people = Array.from({ length: n }, (_, i) => {
    const circle = circleOf[i]!;
    const inCircle = circle >= 0;
    const firstTime = rng() < (inCircle ? FIRST_TIME_IN_CIRCLE : FIRST_TIME_SOLO);
    const personaIndex = inCircle && rng() < 0.6 ? circlePersona[circle]! : pickIndex(rng, PERSONAS.map((p) => p.weight));
    const persona = PERSONAS[personaIndex]!;
    const seeks = personaTags(rng, persona.seeks, Math.min(persona.seeks.length, countFrom(rng, [0.35, 0.4, 0.2, 0.05])));
    const offers = personaTags(rng, persona.offers, Math.min(persona.offers.length, countFrom(rng, [0.4, 0.4, 0.15, 0.05])), seeks);
    // A few people also name something outside their persona, by overall popularity.
    if (rng() < 0.15 && seeks.length < 5) {
      const extra = pickDistinct(rng, INTENT_TAGS, INTENT_TAGS.map((t) => (seeks.includes(t) || offers.includes(t) ? 0 : globalIntentWeight.get(t)!)), 1);
      seeks.push(...extra);
    }
    const interestCount = countFrom(rng, [0.2, 0.35, 0.3, 0.15]);
    const shared = inCircle ? circleTopics[circle]!.filter(() => rng() < 0.6) : [];
    const own = pickDistinct(
      rng,
      INTEREST_TAGS,
      INTEREST_TAGS.map((t, k) => (shared.includes(t) ? 0 : interestWeights[k]!)),
      Math.max(0, interestCount - shared.length),
    );
    const interests = [...shared, ...own];
    const arrive = inCircle && rng() < 0.6 ? Math.min(Math.round(durationS * 0.8), circleArrival[circle]! + intBetween(rng, 0, 240)) : arrivalIn(rng, waves, durationS);
    let leave: number | null = null;
    if (rng() < EARLY_LEAVER_SHARE) {
      // Early leavers stay 20 to 80 minutes, and always leave before the end.
      const stay = intBetween(rng, 20 * 60, 80 * 60);
      leave = Math.min(arrive + stay, durationS - 60);
      if (leave <= arrive) leave = arrive + 60;
    }
    return { index: i, arrive, leave, firstTime, seeks, offers, interests };
  });

  // Ids follow arrival order, so a trace reads like the evening it describes.
  people.sort((a, b) => a.arrive - b.arrive || a.index - b.index);
  const width = String(n).length;
  const idOf = new Map<number, string>();
  people.forEach((p, k) => idOf.set(p.index, `p${String(k + 1).padStart(width, '0')}`));
  return people.map((p) => {
    const circle = circleOf[p.index]!;
    const knows = circle >= 0 ? circles[circle]!.filter((m) => m !== p.index).map((m) => idOf.get(m)!).sort() : [];
    return {
      id: idOf.get(p.index)!,
      arriveS: p.arrive,
      leaveS: p.leave,
      firstTime: p.firstTime,
      seeks: p.seeks,
      offers: p.offers,
      interests: p.interests,
      knows,
    };
  });
}
