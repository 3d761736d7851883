import { topicLookup, type TopicLookup } from '@edgewise/shared';
import { hashString } from './hash';
import { defaultBudget, type CandidateBudget, type MatchingOptions, type PairState, type PassRun } from './types';

/**
 * The room's packed state, which every other module of the engine reads and writes: one
 * record per person (`Rec`), their current lists, the pair history, the indexes, the global
 * pass's cache and scratch, and what a running pass tracks. Here too are the rules every
 * module asks (who may be matched, who is at the edges, which pairs are blocked) and the
 * bookkeeping of a running pass (`touch`). The algorithms live elsewhere: people.ts writes
 * people in, pair-score.ts scores pairs, candidates.ts looks candidates up, lists.ts edits
 * lists under the caps, updates.ts repairs lists after a change, pass/ is the global pass.
 *
 * Layout: what candidate generation and scoring read for every candidate (tag sets as
 * 64-bit masks, flags, stamps, pair counts) sits in one 64-byte record per person in a
 * typed array (`hot`), so examining a candidate costs one memory fetch instead of a walk
 * through objects; the rest stays on `Rec`. The work is memory-bound, hence the care.
 */

export interface Entry {
  t: number;
  units: number;
  since: number;
  pinned: boolean;
  overflow: boolean;
}

export class Rec {
  /** Upserted at least once; ids only seen in someone's `knows` stay unknown. */
  known = false;
  name: string | undefined = undefined;
  role: string | undefined = undefined;
  /** Tag ids, ascending: seeks and offers in the intent space, interests in their own. */
  seeks: number[] = [];
  offers: number[] = [];
  interests: number[] = [];
  firstTime = false;
  host = false;
  present = false;
  optedOut = false;
  arrivedAt = 0;
  hasAccepted = false;
  /** Said yes to someone, as recorded here; counts even if the caller's flag lags behind. */
  saidYes = false;
  /** This person's own `knows`, as indexes. */
  declared: number[] = [];
  /** The two-way acquaintance relation (either side declared it), as a set and in order. */
  adj: Set<number> | null = null;
  adjList: number[] = [];
  /** Intent tags offered by present acquaintances, ascending; see `reach`. */
  reach: number[] = [];
  indexed = false;
  presentPos = -1;
  out: Entry[] = [];
  inOwners: number[] = [];
  pinnedIn = 0;
  overflowIn = 0;
  pinned: Set<number> | null = null;
  /** In `Room.ordered`. */
  ordered = false;
  /** In `Room.unordered`. */
  queued = false;

  constructor(
    readonly idx: number,
    readonly id: string,
    readonly rank: number,
  ) {}
}

export class TagSpace {
  readonly ids = new Map<string, number>();
  readonly labels: string[] = [];

  /** Ids of the tags, ascending and distinct; new tags get the next id. */
  intern(tags: readonly string[], onNew: () => void): number[] {
    const out: number[] = [];
    for (const raw of tags) {
      const label = raw.trim();
      if (!label) continue;
      const key = label.toLowerCase();
      let t = this.ids.get(key);
      if (t === undefined) {
        t = this.labels.length;
        this.ids.set(key, t);
        this.labels.push(label);
        onNew();
      }
      if (!out.includes(t)) out.push(t);
    }
    return out.sort((x, y) => x - y);
  }
}

/**
 * Per person, one 64-byte record in `hot` (a cache line): what scoring and candidate
 * generation read for every candidate, so examining one costs one memory fetch.
 */
export const HOT = 16;
export const H_FLAGS = 0;
/** Stamp of the last `gather` that took this person. */
export const H_MARK = 1;
/** Stamp of the owner whose acquaintances know this person (see `markIntroductions` in pair-score.ts). */
export const H_INTRO = 2;
/** Recorded pair states; zero lets the hot path skip the pair map. */
export const H_PAIRS = 3;
/** Acquaintances held in `adjacency` (up to `ADJ_CAP`). */
export const H_ADJN = 4;
/** Global pass scratch: at the edges, top-K size, smallest key of a full top-K (else -1). */
export const H_EDGE = 5;
export const H_TOPN = 6;
export const H_FLOOR = 7;
/** Tag masks, two words each: seeks, offers, interests, and what acquaintances offer. */
export const SEEKS = 8;
export const OFFERS = 10;
export const INTERESTS = 12;
export const REACH = 14;
export const STRIDE = HOT;
/** Tags with ids beyond the masks are still matched exactly, on the arrays. */
export const MASK_BITS = 64;

export const F_HOST = 1;
export const F_ADJ = 2;
export const F_WIDE = 4;
export const F_REACH_DIRTY = 8;
export const F_REACH_WIDE = 16;
/** Knows more people than `ADJ_CAP`: acquaintance tests use the sets on `Rec`. */
export const F_ADJ_WIDE = 32;
/** Present and not opted out (in the indexes). */
export const F_LIVE = 64;
/**
 * Something that may change this person's pair scores or candidates happened since the last
 * global pass (arrival, departure, intent, acquaintances, a pair state, an acquaintance
 * coming or going): the pass looks their candidates up afresh and rescores cached arcs to them.
 */
export const F_DIRTY = 128;
/**
 * Became live while a global pass was running: not part of that pass (its buffers are sized
 * for the people it began with). Cleared when the pass ends.
 */
export const F_NEW = 256;
/** Marked dirty while a global pass was running: that pass's end leaves them dirty. */
export const F_REDIRTY = 512;
/** Acquaintances kept in the flat `adjacency` array per person. */
export const ADJ_CAP = 16;
/** Top-K keys pack units and target: targets below 2^22, units capped (scores stay far below). */
export const PACK = 1 << 22;
export const TARGET_MASK = PACK - 1;
export const MAX_PACKED_UNITS = 511;

export const TAG_KEY = 1 << 20;
/**
 * Combination indexes: people who have two features at once, so the strongest candidates
 * are found directly rather than by luck in a big single-tag list. For an owner a:
 *  RECIPROCAL  offers a tag a seeks and seeks a tag a offers (the best kind);
 *  OFFERS_TWO  offers two tags a seeks;       SEEKS_TWO  seeks two tags a offers;
 *  OFFERS_TOPIC offers a tag a seeks and shares a topic; SEEKS_TOPIC the same, giving.
 */
export const RECIPROCAL = 0;
export const OFFERS_TWO = 1;
export const SEEKS_TWO = 2;
export const OFFERS_TOPIC = 3;
export const SEEKS_TOPIC = 4;
export const COMBO_KINDS = 5;
export const PAIR_KEY = 67_108_864;
export const pairKey = (a: number, b: number) => (a < b ? a * PAIR_KEY + b : b * PAIR_KEY + a);

export const isFinal = (s: PairState | undefined) => s === 'declined' || s === 'met';
export const isPinning = (s: PairState | undefined) => s === 'accepted_by_one' || s === 'mutual';

export function removeValue(list: number[], v: number) {
  const i = list.indexOf(v);
  if (i < 0) return;
  const last = list.pop()!;
  if (i < list.length) list[i] = last;
}

function growInt32(x: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const y = new Int32Array(size);
  y.set(x);
  return y;
}

/** Everything the engine knows, as the modules share it; see the header. */
export class Room {
  readonly perPerson: number;
  readonly maxExposure: number;
  readonly edgeMs: number;
  readonly seed: number;
  readonly budget: CandidateBudget;

  readonly recs: Rec[] = [];
  readonly byId = new Map<string, number>();
  readonly intentTags = new TagSpace();
  readonly interestTags = new TagSpace();
  readonly offersIdx: number[][] = [];
  readonly seeksIdx: number[][] = [];
  readonly interestsIdx: number[][] = [];
  /** Per combination kind: (first tag x 2^20 + second tag) -> people having both. */
  readonly comboIdx = Array.from({ length: COMBO_KINDS }, () => new Map<number, number[]>());
  readonly hosts: number[] = [];
  readonly firstTimers: number[] = [];
  /** Everyone who can be matched (present, not opted out); `Rec.presentPos` indexes it. */
  readonly present: number[] = [];
  readonly pairs = new Map<number, PairState>();
  /** People at the edges with an empty list because nobody compatible was present. */
  readonly starving = new Set<number>();

  capacity = 0;
  hot = new Int32Array(0);
  /** The first `ADJ_CAP` acquaintances of each person. */
  adjacency = new Int32Array(0);
  stamp = 0;
  /** What the last `gather` found (see candidates.ts). */
  cand: number[] = [];
  /** Scratch state of the current `gather`. */
  readonly g = { owner: 0, rank: 0, stamp: 0, count: 0, salt: 0, perList: 0, checkPairs: false, live: F_LIVE };
  readonly lists: ArrayLike<number>[] = [];
  lastNow = 0;
  /**
   * The global pass's cache: per person, the candidate arcs their last lookup found, packed
   * as units x 2^22 + target, `arcSlot` places each; `arcN` is -1 until the first lookup.
   */
  arcs = new Int32Array(0);
  arcN = new Int32Array(0);
  readonly arcSlot: number;
  /** Whether each person was at the edges at the last global pass. */
  lastEdge = new Uint8Array(0);
  passes = 0;
  /** The global pass's best arcs per person, `keep` each (see `offer` in pass/arcs.ts). */
  top: Int32Array = new Int32Array(0);
  keep = 0;
  /** Who became matchable and is not in `ordered` yet (see `presentByRank` in pass/order.ts). */
  unordered: number[] = [];
  /** Present people by rank as of the last global pass. */
  ordered: Rec[] = [];
  /** People at the edges by how long they waited, as of the last global pass. */
  edgeOrder: Rec[] = [];
  /** Buffers of the global pass, kept between passes: allocating them each time feeds the collector. */
  readonly scratch = new Map<string, Int32Array>();
  /** The stepwise pass under way, if any. */
  running: PassRun | null = null;
  /** While a pass runs (from its first step): people whose list or state changed meanwhile. */
  touched: Set<number> | null = null;
  /** After a pass's commit, until its repairs are done: who was touched since (see `touch`). */
  touchedAfter: Set<number> | null = null;
  /** While a pass runs: who became live meanwhile (flagged F_NEW). */
  joined: number[] = [];
  /** What marking someone dirty sets: F_REDIRTY too while a pass runs. */
  dirtyBits = F_DIRTY;
  /** The people whose dirty marks the running pass has cleared, as it checked its plan. */
  checked: readonly Rec[] | null = null;

  /** The event's topics, for the labels reasons are written with. */
  readonly topics: TopicLookup;

  constructor(options: MatchingOptions) {
    if (!(options.perPerson >= 1) || !(options.maxExposure >= 1)) {
      throw new RangeError('perPerson and maxExposure must be at least 1');
    }
    this.perPerson = Math.floor(options.perPerson);
    this.maxExposure = Math.floor(options.maxExposure);
    this.edgeMs = options.edgeMinutes * 60_000;
    this.seed = options.seed | 0;
    this.budget = { ...defaultBudget, ...options.budget };
    this.topics = topicLookup(options.topics ?? []);
    const b = this.budget;
    const s = b.globalScale;
    // What one `gather` at the global scale can return at most (see `gather` in candidates.ts).
    this.arcSlot =
      Math.round(b.reciprocal * s) + Math.round(b.combined * s) + Math.round(b.oneWay * s) + Math.round(b.interests * s) + b.routing + b.introductions + b.fallback;
  }
}

/** The record of `id`, made (unknown, with room in the packed arrays) when first seen. */
export function recOf(s: Room, id: string): Rec {
  const i = s.byId.get(id);
  if (i !== undefined) return s.recs[i]!;
  if (s.recs.length >= PACK) throw new RangeError(`matching holds at most ${PACK} people per engine`);
  const r = new Rec(s.recs.length, id, hashString(id, s.seed));
  s.recs.push(r);
  s.byId.set(id, r.idx);
  if (s.recs.length > s.capacity) {
    const size = Math.max(1024, s.capacity * 2);
    s.hot = growInt32(s.hot, size * HOT);
    s.adjacency = growInt32(s.adjacency, size * ADJ_CAP);
    s.arcs = growInt32(s.arcs, size * s.arcSlot);
    const arcN = new Int32Array(size).fill(-1);
    arcN.set(s.arcN);
    s.arcN = arcN;
    const lastEdge = new Uint8Array(size);
    lastEdge.set(s.lastEdge);
    s.lastEdge = lastEdge;
    s.capacity = size;
  }
  return r;
}

/** Can be matched: upserted, present, not opted out. */
export function eligible(r: Rec): boolean {
  return r.known && r.present && !r.optedOut;
}

/** At the edges: a first-timer, or here `edgeMinutes` without a yes. */
export function needsSlot(s: Room, r: Rec, now: number): boolean {
  return r.firstTime || (!r.hasAccepted && !r.saidYes && now - r.arrivedAt >= s.edgeMs);
}

/** The pair has a final answer (declined, met). */
export function blockedAt(s: Room, a: number, b: number): boolean {
  if (s.hot[a * HOT + H_PAIRS] === 0 || s.hot[b * HOT + H_PAIRS] === 0) return false;
  return isFinal(s.pairs.get(pairKey(a, b)));
}

/** B may be in A's list: two people, both matchable, no final answer. */
export function compatible(s: Room, a: Rec, b: Rec): boolean {
  return a !== b && eligible(a) && eligible(b) && !blockedAt(s, a.idx, b.idx);
}

/** Entries that count against the exposure cap: neither pinned nor overflow. */
export function loadOf(r: Rec): number {
  return r.inOwners.length - r.overflowIn - r.pinnedIn;
}

/** Part of the running pass: live when it began and not gone (or gone and back) since. */
export function inPass(s: Room, i: number): boolean {
  return (s.hot[i * HOT + H_FLAGS]! & (F_LIVE | F_NEW)) === F_LIVE;
}

/** While a pass runs: this person's list or state changed, so the pass must not overwrite their list. */
export function touch(s: Room, i: number) {
  s.touched?.add(i);
  s.touchedAfter?.add(i);
}

/** While a pass runs: the lists an update reports changed (their cards too) are newer than the plan. */
export function touchAll(s: Room, changed: Set<string>): Set<string> {
  if (s.touched) for (const id of changed) s.touched.add(s.byId.get(id)!);
  if (s.touchedAfter) for (const id of changed) s.touchedAfter.add(s.byId.get(id)!);
  return changed;
}

/** Stops tracking what happens while the pass runs: at its commit, or when it is abandoned. */
export function stopTracking(s: Room) {
  for (const i of s.joined) s.hot[i * HOT + H_FLAGS]! &= ~F_NEW;
  s.joined = [];
  s.touched = null;
  s.touchedAfter = null;
  s.checked = null;
  s.dirtyBits = F_DIRTY;
}

/** A scratch buffer of at least `size` entries, kept for the next pass; contents are left over. */
export function buffer(s: Room, name: string, size: number): Int32Array {
  let b = s.scratch.get(name);
  if (!b || b.length < size) {
    b = new Int32Array(Math.max(size, Math.ceil((b?.length ?? 0) * 1.5)));
    s.scratch.set(name, b);
  }
  return b;
}

