import type { Topic } from '@edgewise/shared';

/**
 * The matching engine's input and output. Plain data: the live wiring maps attendees,
 * intents, presence and suggestion history onto these, and maps lists back to rows.
 */

/** One attendee as matching sees them. */
export interface Person {
  id: string;
  /** Used in reasons ("Ana offers Design"); reasons say "This person" without it. */
  name?: string;
  /** Job title from the guest list: someone who said nothing of their intent hears of a shared one. */
  role?: string;
  seeks: string[];
  offers: string[];
  interests: string[];
  firstTime: boolean;
  /** Volunteered to welcome newcomers. */
  host: boolean;
  present: boolean;
  /** Milliseconds since the epoch of the current stay's arrival. */
  arrivedAt: number;
  /** Has said yes to someone (an accepted or mutual suggestion). */
  hasAccepted: boolean;
  /** Ids of people this person already knows; the relation is taken as two-way. */
  knows: string[];
  /** Out of matching: gets no list and is in nobody's list. */
  optedOut: boolean;
}

/**
 * The history of one unordered pair. `declined` and `met` are final: the pair is never
 * suggested again. `accepted_by_one` and `mutual` pin the pair in both lists so each can
 * answer or act. `proposed` and `expired` are history only and change nothing.
 */
export type PairState = 'proposed' | 'accepted_by_one' | 'mutual' | 'declined' | 'met' | 'expired';

export type Reason =
  /** The target offers what the viewer seeks. */
  | { kind: 'receives'; tags: string[]; text: string }
  /** The target seeks what the viewer offers: giving counts. */
  | { kind: 'gives'; tags: string[]; text: string }
  | { kind: 'common'; tags: string[]; text: string }
  | { kind: 'first_time'; text: string }
  | { kind: 'host'; text: string }
  /** The viewer stated no intent and the target has the same role. */
  | { kind: 'role'; text: string }
  /** A present person knows them both. */
  | { kind: 'introducer'; by: string; text: string }
  /** One of the two knows someone here who offers what the other seeks. */
  | { kind: 'connector'; via: string; tags: string[]; direction: 'to_you' | 'from_you'; text: string }
  /** The guaranteed first suggestion for someone at the edges, when nothing else links them. */
  | { kind: 'open'; text: string };

export interface Suggestion {
  targetId: string;
  /** Pair score in points (see score.ts); higher is a better match. */
  score: number;
  reasons: Reason[];
  /** When this suggestion entered the list (ms since the epoch). */
  since: number;
  /** The pair's recorded state; `proposed` when nothing has been recorded. */
  state: PairState;
  /** Held in the list because someone said yes; never replaced. */
  pinned: boolean;
}

export interface MatchingOptions {
  /** Suggestions per list (event setting `suggestionsPerPerson`). */
  perPerson: number;
  /** How many other people's lists one person may appear in. */
  maxExposure: number;
  /** Minutes present without an accepted suggestion before someone is at the edges. */
  edgeMinutes: number;
  /** Seeds the tie-breaks, so equal inputs give equal lists and equal ties spread evenly. */
  seed: number;
  /** How many candidates each lookup examines; see `defaultBudget`. */
  budget?: Partial<CandidateBudget>;
  /**
   * The event's topics (`seeks` and `offers` hold their ids), for the labels in reasons:
   * each side where it fits. Without them an id reads as its own one-label topic.
   */
  topics?: readonly Topic[];
}

/**
 * Bounds on candidate generation, so an update costs the same at 500 or 50,000 present.
 * Counts are distinct candidates per source, taken in this order, each source passing what
 * it leaves unused to the next (reciprocal, combined, oneWay, interests); then routing
 * (hosts for people at the edges, first-timers for hosts), friends of friends, and a
 * fallback for people the indexes say little about.
 */
export interface CandidateBudget {
  /** People who offer what one seeks and seek what one offers. */
  reciprocal: number;
  /** Two tags one way, or one tag and a shared topic. */
  combined: number;
  /** One tag one way. */
  oneWay: number;
  /** A shared topic. */
  interests: number;
  routing: number;
  introductions: number;
  /** Used only when the sources above found fewer than `perPerson * 2` people. */
  fallback: number;
  /** At most this many from one posting list (lists are read rarest first). */
  perPostingList: number;
  /** Fraction of the source budgets used per person in a global pass, which looks at everyone. */
  globalScale: number;
  /** Arcs per person kept for the global assignment, best first. */
  globalKeep: number;
  /**
   * Share of people whose candidates a global pass looks up afresh although nothing about
   * them changed, in rotation, so everyone's cached candidates also come to include the
   * people who arrived since (who found them from their own side meanwhile).
   */
  globalRefresh: number;
}

/**
 * Chosen with tests/bench/matching.ts: the global pass then examines about 27 candidates
 * per person and reaches about 0.975 of the exact optimum at 1,000 present; an incremental
 * update examines up to about 150.
 */
export const defaultBudget: CandidateBudget = {
  reciprocal: 48,
  combined: 32,
  oneWay: 32,
  interests: 24,
  routing: 8,
  introductions: 12,
  fallback: 16,
  perPostingList: 16,
  globalScale: 0.2,
  globalKeep: 16,
  globalRefresh: 0.1,
};

/** How one person currently appears in others' lists. */
export interface Exposure {
  /** Lists this person is in. */
  listed: number;
  /** Of those, pinned pairs (exempt from the cap). */
  pinned: number;
  /** Of those, guaranteed first suggestions for people at the edges given past a full cap. */
  overflow: number;
}

/** A global pass running in steps; the engine's other methods may be called between steps. */
export interface PassRun {
  /**
   * Runs the pass on until it has ended or `pause()` returns true at a checkpoint.
   * Returns the ids whose lists the pass changed once it has ended (and committed), else null.
   */
  step(pause: () => boolean): Set<string> | null;
  /** Abandons the pass: nothing it planned is applied, and another may start. */
  cancel(): void;
}
