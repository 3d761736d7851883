import { hashString } from './hash';
import { topicLookup, type TopicLookup } from '@edgewise/shared';
import { renderReasons, sameRole, type NamedRef } from './reasons';
import { commonOf, countCommon, replacementThreshold, tagUnits, toPoints, weights } from './score';
import {
  defaultBudget,
  type CandidateBudget,
  type Exposure,
  type MatchingOptions,
  type PairState,
  type Person,
  type Suggestion,
} from './types';

/**
 * The live matching engine: people, pair history, the current lists, and the indexes that
 * keep one update's cost independent of how many people are present.
 *
 * Lists are directed: B in A's list means "A should meet B". Each list holds at most
 * `perPerson` entries and each person sits in at most `maxExposure` lists. Two kinds of
 * entry may go past those caps, and nothing else:
 *  - pinned pairs (one or both said yes), which stay in both lists until declined or met;
 *  - the guaranteed first suggestion of someone at the edges when every compatible person
 *    is already at their cap and no list can spare its entry ("overflow").
 *
 * Everything is deterministic: no clock (callers pass `now`), no randomness (ties and
 * sampling offsets come from a seeded hash of the ids).
 *
 * Layout: what candidate generation and scoring read for every candidate (tag sets as
 * 64-bit masks, flags, stamps, pair counts) sits in one 64-byte record per person in a
 * typed array, so examining a candidate costs one memory fetch instead of a walk through
 * objects; the rest stays on `Rec`. The work is memory-bound, hence the care.
 */

interface Entry {
  t: number;
  units: number;
  since: number;
  pinned: boolean;
  overflow: boolean;
}

class Rec {
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
  /** In `MatchingEngine.ordered`. */
  ordered = false;
  /** In `MatchingEngine.unordered`. */
  queued = false;

  constructor(
    readonly idx: number,
    readonly id: string,
    readonly rank: number,
  ) {}
}

/** A scored candidate list: targets and units, best first. */
interface Scored {
  ids: number[];
  units: number[];
}

/**
 * The global pass's arcs per owner: `eB` targets, `eU` units, `eK` keys (2 x units, or a
 * current entry's threshold), owner o's in [start[o], end[o]), best first; `count` in all.
 */
interface ArcLists {
  eB: Int32Array;
  eU: Int32Array;
  eK: Int32Array;
  start: Int32Array;
  end: Int32Array;
  count: number;
}

/** Per owner, what the commit does with the planned list (see `checkPlan`). */
const PLAN_KEEP = 0;
const PLAN_SAME = 1;
const PLAN_REPLACE = 2;
const PLAN_REPAIR = 3;

/** The plan as checked before the commit (see `checkPlan`). */
interface PlanCheck {
  n: number;
  next: Entry[][];
  state: Int32Array;
  /** Per target, the planned entries that count against its cap. */
  held: Int32Array;
  /** Per target, the owners planning it: a linked list through `linkNext`, -1 ends it. */
  linkHead: Int32Array;
  linkNext: Int32Array;
  linkOwner: Int32Array;
  links: number;
  /** Owners whose planned list differs from their current one, in order. */
  replacing: number[];
  /** Owners at the edges the plan leaves without anyone, in order. */
  starving: number[];
}

/** The state of the pass's auction between rounds (see `openAuction`). */
interface Auction {
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

class TagSpace {
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
const HOT = 16;
const H_FLAGS = 0;
/** Stamp of the last `gather` that took this person. */
const H_MARK = 1;
/** Stamp of the owner whose acquaintances know this person (see `markIntroductions`). */
const H_INTRO = 2;
/** Recorded pair states; zero lets the hot path skip the pair map. */
const H_PAIRS = 3;
/** Acquaintances held in `adjacency` (up to `ADJ_CAP`). */
const H_ADJN = 4;
/** Global pass scratch: at the edges, top-K size, smallest key of a full top-K (else -1). */
const H_EDGE = 5;
const H_TOPN = 6;
const H_FLOOR = 7;
/** Tag masks, two words each: seeks, offers, interests, and what acquaintances offer. */
const SEEKS = 8;
const OFFERS = 10;
const INTERESTS = 12;
const REACH = 14;
const STRIDE = HOT;
/** Tags with ids beyond the masks are still matched exactly, on the arrays. */
const MASK_BITS = 64;

const F_HOST = 1;
const F_ADJ = 2;
const F_WIDE = 4;
const F_REACH_DIRTY = 8;
const F_REACH_WIDE = 16;
/** Knows more people than `ADJ_CAP`: acquaintance tests use the sets on `Rec`. */
const F_ADJ_WIDE = 32;
/** Present and not opted out (in the indexes). */
const F_LIVE = 64;
/**
 * Something that may change this person's pair scores or candidates happened since the last
 * global pass (arrival, departure, intent, acquaintances, a pair state, an acquaintance
 * coming or going): the pass looks their candidates up afresh and rescores cached arcs to them.
 */
const F_DIRTY = 128;
/**
 * Became live while a global pass was running: not part of that pass (its buffers are sized
 * for the people it began with). Cleared when the pass ends.
 */
const F_NEW = 256;
/** Marked dirty while a global pass was running: that pass's end leaves them dirty. */
const F_REDIRTY = 512;
/** Acquaintances kept in the flat `adjacency` array per person. */
const ADJ_CAP = 16;
/** Top-K keys pack units and target: targets below 2^22, units capped (scores stay far below). */
const PACK = 1 << 22;
const TARGET_MASK = PACK - 1;
const MAX_PACKED_UNITS = 511;

const TAG_KEY = 1 << 20;
/**
 * Combination indexes: people who have two features at once, so the strongest candidates
 * are found directly rather than by luck in a big single-tag list. For an owner a:
 *  RECIPROCAL  offers a tag a seeks and seeks a tag a offers (the best kind);
 *  OFFERS_TWO  offers two tags a seeks;       SEEKS_TWO  seeks two tags a offers;
 *  OFFERS_TOPIC offers a tag a seeks and shares a topic; SEEKS_TOPIC the same, giving.
 */
const RECIPROCAL = 0;
const OFFERS_TWO = 1;
const SEEKS_TWO = 2;
const OFFERS_TOPIC = 3;
const SEEKS_TOPIC = 4;
const COMBO_KINDS = 5;
const PAIR_KEY = 67_108_864;
const pairKey = (a: number, b: number) => (a < b ? a * PAIR_KEY + b : b * PAIR_KEY + a);
const GOLDEN = 0x9e3779b1;
/** Acquaintances examined per person when looking for introducers and friends of friends. */
const ADJ_SCAN = 8;
/** People at the edges served per update when someone compatible appears. */
const STARVING_SCAN = 64;
/** Auction bid increment, in keys (half units): the result is within slots x this of the best. */
const EPSILON = 8;

/**
 * People per checkpoint of the global pass, by the cost of what it does for each: at 50,000
 * present, on a busy 2-core machine, these keep the gap between checkpoints around a
 * millisecond or two (garbage collection pauses aside).
 */
const CHUNK_LOOKUP = 16;
const CHUNK_LISTS = 128;
const CHUNK_LIGHT = 1024;
/** Short lists widened or repaired (each looks for candidates), and auction bidders, per checkpoint. */
const CHUNK_WIDEN = 8;
const CHUNK_BIDS = 128;

const never = () => false;

const HOST_WELCOME = weights.hostWelcome;
const INTRODUCER = weights.introducer;
const CONNECTOR = weights.connector;
const KNOWN_DIVISOR = weights.knownDivisor;

const isFinal = (s: PairState | undefined) => s === 'declined' || s === 'met';
const isPinning = (s: PairState | undefined) => s === 'accepted_by_one' || s === 'mutual';

function pop32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

function removeValue(list: number[], v: number) {
  const i = list.indexOf(v);
  if (i < 0) return;
  const last = list.pop()!;
  if (i < list.length) list[i] = last;
}

function sameNumbers(a: readonly number[], b: readonly number[]) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function growInt32(x: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const y = new Int32Array(size);
  y.set(x);
  return y;
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

export class MatchingEngine {
  private readonly perPerson: number;
  private readonly maxExposure: number;
  private readonly edgeMs: number;
  private readonly seed: number;
  private readonly budget: CandidateBudget;

  private readonly recs: Rec[] = [];
  private readonly byId = new Map<string, number>();
  private readonly intentTags = new TagSpace();
  private readonly interestTags = new TagSpace();
  private readonly offersIdx: number[][] = [];
  private readonly seeksIdx: number[][] = [];
  private readonly interestsIdx: number[][] = [];
  /** Per combination kind: (first tag x 2^20 + second tag) -> people having both. */
  private readonly comboIdx = Array.from({ length: COMBO_KINDS }, () => new Map<number, number[]>());
  private readonly hosts: number[] = [];
  private readonly firstTimers: number[] = [];
  /** Everyone who can be matched (present, not opted out); `Rec.presentPos` indexes it. */
  private readonly present: number[] = [];
  private readonly pairs = new Map<number, PairState>();
  /** People at the edges with an empty list because nobody compatible was present. */
  private readonly starving = new Set<number>();

  private capacity = 0;
  private hot = new Int32Array(0);
  /** The first `ADJ_CAP` acquaintances of each person. */
  private adjacency = new Int32Array(0);
  private stamp = 0;
  private cand: number[] = [];
  /** Scratch state of the current `gather`. */
  private readonly g = { owner: 0, rank: 0, stamp: 0, count: 0, salt: 0, perList: 0, checkPairs: false, live: F_LIVE };
  private readonly lists: ArrayLike<number>[] = [];
  private lastNow = 0;
  /**
   * The global pass's cache: per person, the candidate arcs their last lookup found, packed
   * as units x 2^22 + target, `arcSlot` places each; `arcN` is -1 until the first lookup.
   */
  private arcs = new Int32Array(0);
  private arcN = new Int32Array(0);
  private readonly arcSlot: number;
  /** Whether each person was at the edges at the last global pass. */
  private lastEdge = new Uint8Array(0);
  private passes = 0;
  /** The global pass's best arcs per person, `keep` each (see `offer`). */
  private top: Int32Array = new Int32Array(0);
  private keep = 0;
  /** Who became matchable and is not in `ordered` yet (see `presentByRank`). */
  private unordered: number[] = [];
  /** Present people by rank as of the last global pass (see `presentByRank`). */
  private ordered: Rec[] = [];
  /** People at the edges by how long they waited, as of the last global pass. */
  private edgeOrder: Rec[] = [];
  /** Buffers of the global pass, kept between passes: allocating them each time feeds the collector. */
  private readonly scratch = new Map<string, Int32Array>();
  /** The stepwise pass under way, if any. */
  private running: PassRun | null = null;
  /** While a pass runs (from its first step): people whose list or state changed meanwhile. */
  private touched: Set<number> | null = null;
  /** After a pass's commit, until its repairs are done: who was touched since (see `touch`). */
  private touchedAfter: Set<number> | null = null;
  /** While a pass runs: who became live meanwhile (flagged F_NEW). */
  private joined: number[] = [];
  /** What marking someone dirty sets: F_REDIRTY too while a pass runs. */
  private dirtyBits = F_DIRTY;
  /** The people whose dirty marks the running pass has cleared, as it checked its plan. */
  private checked: readonly Rec[] | null = null;

  /** The event's topics, for the labels reasons are written with. */
  private readonly topics: TopicLookup;

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
    // What one `gather` at the global scale can return at most (see `gather`).
    this.arcSlot =
      Math.round(b.reciprocal * s) + Math.round(b.combined * s) + Math.round(b.oneWay * s) + Math.round(b.interests * s) + b.routing + b.introductions + b.fallback;
  }

  // ---------------------------------------------------------------- public: changes

  /**
   * Adds or updates a person (arrival, departure, intent change, opt-out) and repairs the
   * lists around them. Returns the ids whose lists changed.
   */
  upsertPerson(p: Person, now: number): Set<string> {
    this.lastNow = now;
    const changed = new Set<string>();
    const r = this.recOf(p.id);
    this.touch(r.idx);
    const wasEligible = this.eligible(r);
    const profileChanged = this.assign(r, p, wasEligible);
    if (this.eligible(r)) this.settle(r, now, changed, profileChanged || !wasEligible);
    else if (wasEligible) this.detach(r, now, changed);
    return this.touchAll(changed);
  }

  /**
   * Loads people without building any list, for a start-up rebuild followed by
   * `restoreList` and `globalPass`.
   */
  loadPeople(people: readonly Person[], now: number): void {
    this.lastNow = now;
    for (const p of people) {
      const r = this.recOf(p.id);
      this.touch(r.idx);
      if (r.out.length > 0 || r.inOwners.length > 0) {
        // Already live: take the careful path.
        this.upsertPerson(p, now);
        continue;
      }
      this.assign(r, p, this.eligible(r));
    }
  }

  /** Forgets a person (deleted from the event). Returns the ids whose lists changed. */
  removePerson(id: string, now: number): Set<string> {
    this.lastNow = now;
    const changed = new Set<string>();
    const i = this.byId.get(id);
    if (i === undefined) return changed;
    const r = this.recs[i]!;
    this.touch(i);
    const wasEligible = this.eligible(r);
    // Gone first, so the lists refilled below cannot take them back.
    r.known = false;
    r.present = false;
    if (wasEligible) this.detach(r, now, changed);
    this.setKnows(r, []);
    changed.delete(id);
    return this.touchAll(changed);
  }

  /**
   * Records the state of a pair and applies it: final states take the pair out of both
   * lists for good, yes-states pin it in both. `by` is who answered, so they no longer
   * count as waiting alone. Returns the ids whose lists changed.
   */
  recordPairState(aId: string, bId: string, state: PairState, now: number, by?: string): Set<string> {
    this.lastNow = now;
    const changed = new Set<string>();
    if (aId === bId) return changed;
    const a = this.recOf(aId);
    const b = this.recOf(bId);
    this.touch(a.idx);
    this.touch(b.idx);
    const key = pairKey(a.idx, b.idx);
    if (!this.pairs.has(key)) {
      this.hot[a.idx * HOT + H_PAIRS]!++;
      this.hot[b.idx * HOT + H_PAIRS]!++;
    }
    this.pairs.set(key, state);
    this.hot[a.idx * HOT + H_FLAGS]! |= this.dirtyBits;
    this.hot[b.idx * HOT + H_FLAGS]! |= this.dirtyBits;
    if (state === 'mutual') {
      a.saidYes = true;
      b.saidYes = true;
    } else if (state === 'accepted_by_one' && (by === aId || by === bId)) {
      (by === aId ? a : b).saidYes = true;
    }

    if (isPinning(state)) {
      (a.pinned ??= new Set()).add(b.idx);
      (b.pinned ??= new Set()).add(a.idx);
      if (this.compatible(a, b)) {
        if (this.pinEntry(a, b, now)) changed.add(a.id);
        if (this.pinEntry(b, a, now)) changed.add(b.id);
      }
    } else {
      a.pinned?.delete(b.idx);
      b.pinned?.delete(a.idx);
      this.unpinEntry(a, b, changed);
      this.unpinEntry(b, a, changed);
      if (isFinal(state)) {
        if (this.removeEntry(a, b.idx)) changed.add(a.id);
        if (this.removeEntry(b, a.idx)) changed.add(b.id);
      }
    }
    for (const r of [a, b]) if (this.eligible(r)) this.improve(r, now, changed);
    if (!isFinal(state)) {
      for (const r of [a, b]) if (this.eligible(r)) this.serveStarving(r, now, changed);
    }
    return this.touchAll(changed);
  }

  /**
   * Recomputes one person's list (stable: only clear improvements replace entries) and lets
   * them into other lists where they clearly help. For time-driven changes, such as someone
   * reaching the edges after `edgeMinutes`.
   */
  updateFor(id: string, now: number): Set<string> {
    this.lastNow = now;
    const changed = new Set<string>();
    const i = this.byId.get(id);
    if (i === undefined) return changed;
    const r = this.recs[i]!;
    this.touch(i);
    if (this.eligible(r)) this.settle(r, now, changed, false);
    return this.touchAll(changed);
  }

  /**
   * Restores the lists that were live before a restart, so a rebuild does not reshuffle
   * what people see. Entries that break a rule or a cap are skipped.
   */
  restoreList(ownerId: string, entries: readonly { targetId: string; since: number }[], now: number): void {
    this.lastNow = now;
    const a = this.byId.get(ownerId);
    if (a === undefined) return;
    const owner = this.recs[a]!;
    this.touch(a);
    if (!this.eligible(owner)) return;
    const edge = this.needsSlot(owner, now);
    for (const { targetId, since } of entries) {
      const t = this.byId.get(targetId);
      if (t === undefined) continue;
      const target = this.recs[t]!;
      if (!this.compatible(owner, target) || this.hasEntry(owner, t)) continue;
      const pinned = owner.pinned?.has(t) ?? false;
      if (!pinned && (owner.out.length >= this.perPerson || this.load(target) >= this.maxExposure)) continue;
      this.addEntry(owner, target, this.units(owner, target, edge, this.needsSlot(target, now)), since, pinned, false);
    }
  }

  /**
   * Recomputes every list for quality under the caps:
   *  1. pinned pairs, whatever the caps;
   *  2. an auction over each person's best candidate arcs (see `auction`), the people at
   *     the edges bidding first; current entries bid at their replacement threshold, so
   *     they stay unless clearly beaten;
   *  3. lists left short look wider, among people with room;
   *  4. anyone at the edges still without a suggestion gets the guaranteed one.
   * Returns the ids whose lists changed. The same pass as `startPass`, run in one go.
   */
  globalPass(now: number, mode: { full?: boolean } = {}): Set<string> {
    return this.startPass(now, mode).step(never)!;
  }

  /**
   * Starts a global pass that runs in steps (see `PassRun`), so that incremental updates
   * need not wait for all of it. Those updates keep working on the current state between
   * steps; at the end the pass commits in one go: owners touched meanwhile (upserted,
   * removed, updated, in a recorded pair, or whose list an update changed) keep their
   * list, which is newer than the plan; everyone else gets the planned list, checked
   * against the state at that moment (targets still matchable and compatible, pins, and
   * both caps counting what the kept lists hold). A list that lost entries in that check is
   * repaired as an update would, in the steps after the commit; the run ends after them.
   * Cancelling a run undoes nothing already committed. Throws if a pass of this engine is
   * still running.
   */
  startPass(now: number, mode: { full?: boolean } = {}): PassRun {
    if (this.running) throw new Error('a global pass of this engine is still running: step it to the end or cancel it first');
    const steps = this.passSteps(now, mode.full === true);
    const run: PassRun = {
      step: (pause) => {
        if (this.running !== run) throw new Error('this global pass has already ended or been cancelled');
        try {
          for (;;) {
            const r = steps.next();
            if (r.done) {
              this.running = null;
              return r.value;
            }
            if (pause()) return null;
          }
        } catch (err) {
          this.stopTracking();
          this.running = null;
          throw err;
        }
      },
      cancel: () => {
        if (this.running !== run) return;
        // Their lists stay as they were: what made them dirty is still to be seen.
        if (this.checked) for (const r of this.checked) this.hot[r.idx * HOT + H_FLAGS]! |= F_DIRTY;
        this.checked = null;
        this.stopTracking();
        this.running = null;
        steps.return(new Set());
      },
    };
    this.running = run;
    return run;
  }

  /** Stops tracking what happens while the pass runs: at its commit, or when it is abandoned. */
  private stopTracking() {
    for (const i of this.joined) this.hot[i * HOT + H_FLAGS]! &= ~F_NEW;
    this.joined = [];
    this.touched = null;
    this.touchedAfter = null;
    this.checked = null;
    this.dirtyBits = F_DIRTY;
  }

  /** Part of the running pass: live when it began and not gone (or gone and back) since. */
  private inPass(i: number): boolean {
    return (this.hot[i * HOT + H_FLAGS]! & (F_LIVE | F_NEW)) === F_LIVE;
  }

  /**
   * The global pass, yielding at checkpoints (every few dozen to a few hundred people), when
   * the engine's other methods may run. Nothing here keeps an alias of an engine array
   * across a yield: adding a person can reallocate them. People who join while it runs
   * (flagged F_NEW) are not part of it, as owners or as targets.
   */
  private *passSteps(now: number, full: boolean): Generator<void, Set<string>, void> {
    this.lastNow = now;
    this.touched = new Set();
    this.dirtyBits = F_DIRTY | F_REDIRTY;
    const p = this.perPerson;
    const m = this.maxExposure;
    const n = this.recs.length;
    const order = yield* this.presentByRank(n);
    const edge = this.buffer('edge', n);
    for (let k = 0; k < order.length; k += CHUNK_LIGHT) {
      this.markEdges(order, k, Math.min(order.length, k + CHUNK_LIGHT), edge, now);
      yield;
    }

    // Each person's best few arcs, from their indexed candidates. The score is symmetric,
    // so a pair found from either side is offered to both: twice the choice, no extra scoring.
    const keep = Math.max(this.budget.globalKeep, p);
    // Packed as units x 2^22 + target, so one read compares and one write stores.
    this.top = this.buffer('top', n * keep);
    this.keep = keep;
    // Looking candidates up is most of a pass's cost, and between two passes most people's
    // candidates stay what they were: those arcs come from the cache, rescored where the
    // other side changed; people who changed, and a rotating share of everyone, look afresh.
    const period = this.budget.globalRefresh > 0 ? Math.max(1, Math.round(1 / this.budget.globalRefresh)) : 0;
    const turn = this.passes++;
    const looked = this.buffer('looked', order.length);
    let nLooked = 0;
    for (let k = 0; k < order.length; k += CHUNK_LOOKUP) {
      nLooked = this.findArcs(order, k, Math.min(order.length, k + CHUNK_LOOKUP), edge, looked, nLooked, full, period, turn);
      yield;
    }
    for (let k = 0; k < nLooked; k += CHUNK_LIGHT) {
      this.trimArcs(looked, k, Math.min(nLooked, k + CHUNK_LIGHT));
      yield;
    }

    // Arcs per owner: current entries first, at their replacement threshold, then the rest.
    // Keys are 2 x units so a threshold can sit half a unit below the score that beats it.
    const arcCap = order.length * (keep + p);
    const arcs: ArcLists = {
      eB: this.buffer('eB', arcCap),
      eU: this.buffer('eU', arcCap),
      eK: this.buffer('eK', arcCap),
      start: this.buffer('start', n),
      end: this.buffer('end', n),
      count: 0,
    };
    for (let k = 0; k < order.length; k += CHUNK_LISTS) {
      this.arcLists(order, k, Math.min(order.length, k + CHUNK_LISTS), edge, arcs);
      yield;
    }
    const { eB, eU, eK, start, end } = arcs;

    const next: Entry[][] = new Array<Entry[]>(n);
    for (let k = 0; k < order.length; k++) {
      if ((k & (CHUNK_LIGHT - 1)) === CHUNK_LIGHT - 1) yield;
      next[order[k]!.idx] = [];
    }
    const load = this.buffer('load', n).fill(0, 0, n);
    let pinnedTaken = 0;
    const take = (a: Rec, b: number, units: number, pinned: boolean, overflow: boolean) => {
      next[a.idx]!.push({ t: b, units, since: now, pinned, overflow });
      if (pinned) pinnedTaken++;
      else if (!overflow) load[b]!++;
    };

    // 1. Pinned pairs, whatever the caps.
    for (let k = 0; k < order.length; k++) {
      if ((k & (CHUNK_LIGHT - 1)) === CHUNK_LIGHT - 1) yield;
      const a = order[k]!;
      if (!a.pinned || !this.inPass(a.idx)) continue;
      for (const bi of a.pinned) {
        const b = this.recs[bi]!;
        if (this.inPass(bi) && this.compatible(a, b)) take(a, bi, this.unitsAt(a.idx, bi, edge[a.idx] === 1, edge[bi] === 1), true, false);
      }
    }
    yield;

    // 2. The open slots, by auction; the edges bid first, longest waiting first.
    const edges = yield* this.edgesByWait(order, edge, n);
    yield;
    const bidders = edges.slice();
    for (let k = 0; k < order.length; k++) {
      if ((k & (CHUNK_LIGHT - 1)) === CHUNK_LIGHT - 1) yield;
      const a = order[k]!;
      if (edge[a.idx] !== 1) bidders.push(a);
    }
    yield;
    const auction = this.openAuction(n, arcs);
    yield;
    for (let k = 0; k < bidders.length; k += CHUNK_LISTS) {
      this.openSlots(auction, bidders, k, Math.min(bidders.length, k + CHUNK_LISTS), next);
      yield;
    }
    while (!this.bid(auction, CHUNK_BIDS)) yield;
    const won = auction.won;
    const wonN = auction.wonN;
    for (let k = 0; k < order.length; k += CHUNK_LIGHT) {
      for (let x = k; x < Math.min(order.length, k + CHUNK_LIGHT); x++) {
        const ai = order[x]!.idx;
        const list = next[ai]!;
        for (let c = 0; c < wonN[ai]!; c++) {
          const e = won[ai * p + c]!;
          list.push({ t: eB[e]!, units: eU[e]!, since: now, pinned: false, overflow: false });
          load[eB[e]!]!++;
        }
      }
      yield;
    }

    // 3. Lists the auction left short (their few candidates were all taken): look wider.
    let widened = 0;
    for (let k = 0; k < order.length; k++) {
      const a = order[k]!;
      if ((k & (CHUNK_LIGHT - 1)) === 0) yield;
      if (next[a.idx]!.length >= p || !this.inPass(a.idx)) continue;
      this.widen(a, edge, next, load, now);
      if (++widened === CHUNK_WIDEN) {
        widened = 0;
        yield;
      }
    }
    yield;

    // 4. The guaranteed slot: a candidate with room, else anyone compatible with room, else
    // a place taken from a list that keeps others, else one past the cap.
    for (let x = 0; x < edges.length; x++) {
      if ((x & (CHUNK_LIGHT - 1)) === CHUNK_LIGHT - 1) yield;
      const a = edges[x]!;
      if (next[a.idx]!.length > 0 || !this.inPass(a.idx)) continue;
      let pick = -1;
      for (let e = start[a.idx]!; e < end[a.idx]!; e++) {
        if (load[eB[e]!]! < m && (pick < 0 || eK[e]! > eK[pick]!)) pick = e;
      }
      if (pick >= 0) {
        take(a, eB[pick]!, eU[pick]!, false, false);
        continue;
      }
      // The rest scans the room: a checkpoint after each.
      yield;
      const roomy = this.scanCompatible(a, (b) => b.idx < n && this.inPass(b.idx) && load[b.idx]! < m);
      if (roomy) {
        take(a, roomy.idx, this.unitsAt(a.idx, roomy.idx, true, edge[roomy.idx] === 1), false, false);
        continue;
      }
      const pool: Rec[] = [];
      for (let e = start[a.idx]!; e < end[a.idx]!; e++) pool.push(this.recs[eB[e]!]!);
      if (pool.length === 0) {
        const any = this.scanCompatible(a, (b) => b.idx < n && this.inPass(b.idx));
        if (any) pool.push(any);
      }
      let placed = false;
      for (const b of pool) {
        let from: Rec | null = null;
        let weakest = Infinity;
        for (let k = 0; k < order.length; k++) {
          if ((k & (CHUNK_LIGHT - 1)) === CHUNK_LIGHT - 1) yield;
          const o = order[k]!;
          const list = next[o.idx]!;
          if (list.length < 2) continue;
          const e = list.find((x) => x.t === b.idx && !x.pinned && !x.overflow);
          if (e && e.units < weakest) {
            weakest = e.units;
            from = o;
          }
        }
        if (!from) continue;
        const list = next[from.idx]!;
        list.splice(
          list.findIndex((x) => x.t === b.idx),
          1,
        );
        load[b.idx]!--;
        take(a, b.idx, this.unitsAt(a.idx, b.idx, true, edge[b.idx] === 1), false, false);
        placed = true;
        break;
      }
      const first = pool[0];
      if (!placed && first) take(a, first.idx, this.unitsAt(a.idx, first.idx, true, edge[first.idx] === 1), false, true);
    }

    // The plan checked against the state now, a few hundred lists a step, so that the
    // commit re-checks only what changes after (see `commitPlan`).
    const check: PlanCheck = {
      n,
      next,
      state: this.buffer('plan', n).fill(PLAN_KEEP, 0, n),
      held: this.buffer('held', n).fill(0, 0, n),
      linkHead: this.buffer('linkHead', n).fill(-1, 0, n),
      linkNext: this.buffer('linkNext', order.length * p + pinnedTaken),
      linkOwner: this.buffer('linkOwner', order.length * p + pinnedTaken),
      links: 0,
      replacing: [],
      starving: [],
    };
    this.checked = order;
    for (let k = 0; k < order.length; k += CHUNK_LISTS) {
      this.checkPlan(check, order, k, Math.min(order.length, k + CHUNK_LISTS), edge);
      yield;
    }
    const { changed, repair } = this.commitPlan(check);
    // Lists the commit left short, repaired as an update would, on the state as it is then:
    // a few a step, since each looks for candidates. An update since did that already.
    const after = new Set<number>();
    this.touchedAfter = after;
    try {
      for (let k = 0; k < repair.length; k++) {
        if (k % CHUNK_WIDEN === 0) yield;
        const a = repair[k]!;
        if (this.eligible(a) && !after.has(a.idx)) this.improve(a, this.lastNow, changed);
      }
    } finally {
      this.touchedAfter = null;
    }
    return changed;
  }

  /** Who is at the edges for this pass; the per-pass fields of their records reset. */
  private markEdges(order: readonly Rec[], from: number, to: number, edge: Int32Array, now: number) {
    const hot = this.hot;
    const lastEdge = this.lastEdge;
    for (let k = from; k < to; k++) {
      const r = order[k]!;
      const i = r.idx;
      const e = this.needsSlot(r, now) ? 1 : 0;
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

  /** The candidate arcs of `order[from..to)`, looked up afresh or replayed from the cache. */
  private findArcs(
    order: readonly Rec[],
    from: number,
    to: number,
    edge: Int32Array,
    looked: Int32Array,
    nLooked: number,
    full: boolean,
    period: number,
    turn: number,
  ): number {
    const hot = this.hot;
    const arcN = this.arcN;
    for (let k = from; k < to; k++) {
      const a = order[k]!;
      const ai = a.idx;
      const f = hot[ai * HOT + H_FLAGS]!;
      if ((f & (F_LIVE | F_NEW)) !== F_LIVE) continue;
      const fresh = full || arcN[ai]! < 0 || (f & F_DIRTY) !== 0 || (period > 0 && (a.rank + turn) % period === 0);
      if (fresh) {
        looked[nLooked++] = ai;
        this.lookUpArcs(a, edge);
      } else this.replayArcs(ai, edge);
    }
    return nLooked;
  }

  /**
   * What the next passes replay: an arc below both its people's cut-offs now will nearly
   * always stay below them, so only the arcs that made either side's best few are kept.
   */
  private trimArcs(looked: Int32Array, from: number, to: number) {
    const hot = this.hot;
    const arcs = this.arcs;
    const arcN = this.arcN;
    const slot = this.arcSlot;
    for (let k = from; k < to; k++) {
      const ai = looked[k]!;
      const base = ai * slot;
      const floorA = hot[ai * HOT + H_FLOOR]!;
      let kept = 0;
      for (let c = 0; c < arcN[ai]!; c++) {
        const key = arcs[base + c]!;
        const bi = key & TARGET_MASK;
        if (key >= floorA || key - bi + ai >= hot[bi * HOT + H_FLOOR]!) arcs[base + kept++] = key;
      }
      arcN[ai] = kept;
    }
  }

  /** Each owner's arcs (see `ArcLists`), best first, for `order[from..to)`. */
  private arcLists(order: readonly Rec[], from: number, to: number, edge: Int32Array, arcs: ArcLists) {
    const hot = this.hot;
    const top = this.top;
    const keep = this.keep;
    const { eB, eU, eK, start, end } = arcs;
    let ne = arcs.count;
    for (let x = from; x < to; x++) {
      const a = order[x]!;
      const ai = a.idx;
      start[ai] = ne;
      end[ai] = ne;
      const fa = hot[ai * HOT + H_FLAGS]!;
      if ((fa & (F_LIVE | F_NEW)) !== F_LIVE) continue;
      const edgeA = edge[ai] === 1;
      const dirtyA = fa & F_DIRTY;
      for (const e of a.out) {
        if (e.pinned) continue;
        const ft = hot[e.t * HOT + H_FLAGS]!;
        if ((ft & (F_LIVE | F_NEW)) !== F_LIVE || this.blockedAt(ai, e.t)) continue;
        // Nothing that scores the pair changed unless one of the two is marked.
        const u = (dirtyA | ft) & F_DIRTY ? this.unitsAt(ai, e.t, edgeA, edge[e.t] === 1) : e.units;
        eB[ne] = e.t;
        eU[ne] = u;
        eK[ne] = 2 * replacementThreshold(u) - 1;
        ne++;
      }
      const base = ai * keep;
      const current = ne;
      for (let k = 0; k < hot[ai * HOT + H_TOPN]!; k++) {
        const key = top[base + k]!;
        const t = key & TARGET_MASK;
        let listed = false;
        for (let y = start[ai]!; y < current; y++) if (eB[y] === t) listed = true;
        if (listed) continue;
        const u = (key - t) / PACK;
        eB[ne] = t;
        eU[ne] = u;
        eK[ne] = 2 * u;
        ne++;
      }
      end[ai] = ne;
      // Best first (current entries sit among the rest by their threshold), so a bid can
      // stop reading as soon as no arc left could beat its second choice.
      for (let i = start[ai]! + 1; i < ne; i++) {
        const k = eK[i]!;
        const b = eB[i]!;
        const u = eU[i]!;
        let j = i - 1;
        while (j >= start[ai]! && eK[j]! < k) {
          eK[j + 1] = eK[j]!;
          eB[j + 1] = eB[j]!;
          eU[j + 1] = eU[j]!;
          j--;
        }
        eK[j + 1] = k;
        eB[j + 1] = b;
        eU[j + 1] = u;
      }
    }
    arcs.count = ne;
  }

  /** Step 3 of the pass for one short list: a wider look, among people with room. */
  private widen(a: Rec, edge: Int32Array, next: Entry[][], load: Int32Array, now: number) {
    const p = this.perPerson;
    const m = this.maxExposure;
    const list = next[a.idx]!;
    const edgeA = edge[a.idx] === 1;
    const count = this.gather(a, Math.min(1, 2 * this.budget.globalScale), edgeA, true);
    const intro = this.markIntroductions(a);
    const pool: { b: number; u: number }[] = [];
    for (let c = 0; c < count; c++) {
      const bi = this.cand[c]!;
      if (load[bi]! >= m || list.some((e) => e.t === bi)) continue;
      const u = this.unitsAt(a.idx, bi, edgeA, edge[bi] === 1, intro);
      if (u > 0) pool.push({ b: bi, u });
    }
    pool.sort((x, y) => y.u - x.u || this.recs[x.b]!.rank - this.recs[y.b]!.rank);
    for (const { b, u } of pool) {
      if (list.length >= p) break;
      if (load[b]! >= m) continue;
      list.push({ t: b, units: u, since: now, pinned: false, overflow: false });
      load[b]!++;
    }
  }

  /**
   * Checks the plan of `order[from..to)` against the state now. Owners touched so far keep
   * their lists (PLAN_KEEP). The others' planned entries must still be in the pass and
   * compatible, with pins as recorded; those that are count against their targets' cap
   * (`held`) and are linked from their targets, so the commit can find them. A list that
   * comes out as it is now keeps its entries, rescored (PLAN_SAME); else it replaces the
   * current one at the commit (PLAN_REPLACE), repaired afterwards if the check dropped
   * entries (PLAN_REPAIR). The pass has now seen what made these people dirty.
   */
  private checkPlan(c: PlanCheck, order: readonly Rec[], from: number, to: number, edge: Int32Array) {
    const touched = this.touched!;
    const recs = this.recs;
    const hot = this.hot;
    const { state, held, linkHead, linkNext, linkOwner } = c;
    for (let x = from; x < to; x++) {
      const a = order[x]!;
      const ai = a.idx;
      const h = ai * HOT + H_FLAGS;
      const f = hot[h]!;
      hot[h] = (f & F_REDIRTY) !== 0 ? f & ~F_REDIRTY : f & ~F_DIRTY;
      if (touched.has(ai) || (f & (F_LIVE | F_NEW)) !== F_LIVE || !this.eligible(a)) continue;
      const fresh = c.next[ai]!;
      if (a.pinned && !this.pinsAsPlanned(a, fresh)) {
        // A pin made or lifted meanwhile touches both people: this only guards.
        touched.add(ai);
        continue;
      }
      let kept = 0;
      for (const e of fresh) {
        if (!this.inPass(e.t) || !this.compatible(a, recs[e.t]!)) continue;
        if (!e.pinned && !e.overflow) held[e.t]!++;
        fresh[kept++] = e;
        linkOwner[c.links] = ai;
        linkNext[c.links] = linkHead[e.t]!;
        linkHead[e.t] = c.links++;
      }
      let s = PLAN_SAME;
      if (kept < fresh.length) {
        fresh.length = kept;
        s = PLAN_REPAIR;
      }
      const old = a.out;
      if (s === PLAN_SAME && fresh.length === old.length) {
        for (let k = 0; s === PLAN_SAME && k < fresh.length; k++) {
          const e = fresh[k]!;
          const o = old.find((y) => y.t === e.t);
          // An entry's overflow mark moves a cap count: left to the commit.
          if (!o || o.pinned !== e.pinned || o.overflow !== e.overflow) s = PLAN_REPLACE;
        }
      } else if (s === PLAN_SAME) s = PLAN_REPLACE;
      if (s === PLAN_SAME) {
        for (const e of fresh) old.find((y) => y.t === e.t)!.units = e.units;
      } else c.replacing.push(ai);
      state[ai] = s;
      if (fresh.length === 0 && edge[ai] === 1) c.starving.push(ai);
    }
  }

  /** Whether the planned list pins exactly the pinned partners compatible now. */
  private pinsAsPlanned(a: Rec, fresh: readonly Entry[]): boolean {
    let pins = 0;
    for (const e of fresh) {
      if (!e.pinned) continue;
      if (!a.pinned!.has(e.t)) return false;
      pins++;
    }
    let live = 0;
    for (const bi of a.pinned!) if (this.compatible(a, this.recs[bi]!)) live++;
    return pins === live;
  }

  /**
   * The pass's end, in one go, from the checked plan (see `checkPlan`): it re-checks only
   * what changed since, which is what touched people hold or are. Owners touched while the
   * pass ran keep their lists; planned entries to someone touched are checked again; each
   * target's cap counts the kept lists first, the weakest planned entries giving way.
   * Keeps `since` of surviving entries; reports lists whose targets changed, and returns the
   * lists that lost planned entries, to be repaired after.
   */
  private commitPlan(c: PlanCheck): { changed: Set<string>; repair: Rec[] } {
    const m = this.maxExposure;
    const recs = this.recs;
    const touched = this.touched!;
    const { n, next, state, held, linkHead, linkNext, linkOwner } = c;
    const counted = (e: Entry) => !e.pinned && !e.overflow;
    // Touched after their check: they keep their lists, and their plan no longer counts.
    for (const x of touched) {
      if (x >= n || state[x] === PLAN_KEEP) continue;
      for (const e of next[x]!) if (counted(e)) held[e.t]!--;
      state[x] = PLAN_KEEP;
    }
    const drop = (o: number, t: number): boolean => {
      const list = next[o]!;
      const j = list.findIndex((e) => e.t === t);
      if (j < 0) return false;
      if (counted(list[j]!)) held[t]!--;
      list.splice(j, 1);
      if (state[o] === PLAN_SAME) c.replacing.push(o);
      state[o] = PLAN_REPAIR;
      return true;
    };
    // Planned entries to someone touched, checked again.
    for (const x of touched) {
      if (x >= n) continue;
      const target = recs[x]!;
      for (let k = linkHead[x]!; k >= 0; k = linkNext[k]!) {
        const o = linkOwner[k]!;
        if (state[o] === PLAN_KEEP) continue;
        const a = recs[o]!;
        const e = next[o]!.find((y) => y.t === x);
        if (!e) continue;
        if (this.inPass(x) && this.compatible(a, target) && e.pinned === (a.pinned?.has(x) ?? false)) continue;
        drop(o, x);
      }
    }
    // The caps, counting what the kept lists hold.
    const full: number[] = [];
    for (const x of touched) {
      for (const e of recs[x]!.out) {
        if (!counted(e) || e.t >= n) continue;
        if (++held[e.t]! > m) full.push(e.t);
      }
    }
    for (const t of full) {
      while (held[t]! > m) {
        let weakest = -1;
        let units = Infinity;
        for (let k = linkHead[t]!; k >= 0; k = linkNext[k]!) {
          const o = linkOwner[k]!;
          if (state[o] === PLAN_KEEP) continue;
          const e = next[o]!.find((y) => y.t === t);
          if (e && counted(e) && e.units < units) {
            units = e.units;
            weakest = o;
          }
        }
        if (weakest < 0 || !drop(weakest, t)) break;
      }
    }

    const changed = new Set<string>();
    const repair: Rec[] = [];
    for (const ai of c.replacing) {
      const s = state[ai]!;
      if (s !== PLAN_REPLACE && s !== PLAN_REPAIR) continue;
      // Listed once: a list dropped from twice is pushed once, as PLAN_SAME turns PLAN_REPAIR once.
      state[ai] = PLAN_KEEP;
      const a = recs[ai]!;
      if (s === PLAN_REPAIR) repair.push(a);
      this.replaceList(a, next[ai]!, changed);
    }

    // The starving: those the plan left without anyone, then those the updates keep.
    const kept = [...this.starving].filter((i) => (touched.has(i) || !recs[i]!.ordered) && this.eligible(recs[i]!));
    this.starving.clear();
    for (const i of c.starving) {
      if (touched.has(i) || recs[i]!.out.length > 0) continue;
      this.starving.add(i);
      // The plan found nobody for them, but the room may have changed since: someone who
      // came in or opted back in meanwhile is looked for now, as an update would.
      if (!repair.includes(recs[i]!)) repair.push(recs[i]!);
    }
    for (const i of kept) this.starving.add(i);

    for (const i of touched) this.hot[i * HOT + H_FLAGS] = (this.hot[i * HOT + H_FLAGS]! | F_DIRTY) & ~F_REDIRTY;
    this.stopTracking();
    return { changed, repair };
  }

  /**
   * Gives `a` the list `fresh` at a commit, keeping `since` of surviving entries and the
   * reverse index right; a list with the same targets and pins only takes the new scores.
   */
  private replaceList(a: Rec, fresh: Entry[], changed: Set<string>) {
    const recs = this.recs;
    const ai = a.idx;
    const old = a.out;
    let same = fresh.length === old.length;
    for (let k = 0; same && k < fresh.length; k++) {
      const e = fresh[k]!;
      const o = old.find((y) => y.t === e.t);
      if (!o || o.pinned !== e.pinned) same = false;
    }
    if (same) {
      for (const e of fresh) {
        const o = old.find((y) => y.t === e.t)!;
        o.units = e.units;
        if (o.overflow !== e.overflow) {
          recs[o.t]!.overflowIn += e.overflow ? 1 : -1;
          o.overflow = e.overflow;
        }
      }
      return;
    }
    changed.add(a.id);
    for (const o of old) {
      const t = recs[o.t]!;
      removeValue(t.inOwners, ai);
      if (o.pinned) t.pinnedIn--;
      if (o.overflow) t.overflowIn--;
    }
    for (const e of fresh) {
      const o = old.find((y) => y.t === e.t);
      if (o) e.since = o.since;
      const t = recs[e.t]!;
      t.inOwners.push(ai);
      if (e.pinned) t.pinnedIn++;
      if (e.overflow) t.overflowIn++;
    }
    a.out = fresh;
  }

  /**
   * One person's candidates looked up afresh and offered to both sides; the arcs worth
   * anything are kept for the next passes. (Its own method, like `replayArcs`: the JIT then
   * optimises each loop on its own, whichever of the two a pass starts with.)
   */
  private lookUpArcs(a: Rec, edge: Int32Array) {
    const ai = a.idx;
    const edgeA = edge[ai] === 1;
    const arcs = this.arcs;
    const slot = this.arcSlot;
    const base = ai * slot;
    const count = this.gather(a, this.budget.globalScale, edgeA, true);
    const cand = this.cand;
    const intro = this.markIntroductions(a);
    let kept = 0;
    for (let c = 0; c < count; c++) {
      const bi = cand[c]!;
      const u = this.unitsAt(ai, bi, edgeA, edge[bi] === 1, intro);
      // Zero-score arcs serve only the guaranteed slot of someone at the edges.
      if (u > 0) {
        this.offer(ai, bi, u);
        this.offer(bi, ai, u);
      } else if (edgeA) this.offer(ai, bi, 0);
      else continue;
      if (kept < slot) arcs[base + kept++] = u * PACK + bi;
    }
    this.arcN[ai] = kept;
  }

  /** One person's cached arcs offered again: gone or blocked people dropped, changed ones rescored. */
  private replayArcs(ai: number, edge: Int32Array) {
    const hot = this.hot;
    const arcs = this.arcs;
    const base = ai * this.arcSlot;
    const edgeA = edge[ai] === 1;
    const checkPairs = hot[ai * HOT + H_PAIRS]! > 0;
    const count = this.arcN[ai]!;
    let kept = 0;
    for (let k = 0; k < count; k++) {
      const key = arcs[base + k]!;
      const bi = key & TARGET_MASK;
      const fb = hot[bi * HOT + H_FLAGS]!;
      if ((fb & (F_LIVE | F_NEW)) !== F_LIVE || (checkPairs && this.blockedAt(ai, bi))) continue;
      let u = (key - bi) / PACK;
      if ((fb & F_DIRTY) !== 0) u = this.unitsAt(ai, bi, edgeA, edge[bi] === 1);
      if (u > 0) {
        this.offer(ai, bi, u);
        this.offer(bi, ai, u);
      } else if (edgeA) this.offer(ai, bi, 0);
      else continue;
      arcs[base + kept++] = u * PACK + bi;
    }
    this.arcN[ai] = kept;
  }

  /** Offers the arc o -> t to o's best few of this pass (`top`, `keep` per person, best first). */
  private offer(o: number, t: number, u: number) {
    const hot = this.hot;
    const top = this.top;
    const keep = this.keep;
    const key = (u > MAX_PACKED_UNITS ? MAX_PACKED_UNITS : u) * PACK + t;
    const h = o * HOT;
    // Most offers stop here, on the record already fetched, without touching `top`.
    if (key <= hot[h + H_FLOOR]!) return;
    const base = o * keep;
    const size = hot[h + H_TOPN]!;
    let k = size;
    while (k > 0 && top[base + k - 1]! < key) k--;
    // A pair found from both sides arrives twice with the very same key.
    if (k > 0 && top[base + k - 1] === key) return;
    for (let q = size < keep ? size : keep - 1; q > k; q--) top[base + q] = top[base + q - 1]!;
    top[base + k] = key;
    if (size < keep) hot[h + H_TOPN] = size + 1;
    if (size + 1 >= keep) hot[h + H_FLOOR] = top[base + keep - 1]!;
  }

  /**
   * Assigns the open slots by an auction (Bertsekas's, with several slots per owner and
   * several places per target): each owner with a free slot bids for the target worth most
   * to it at current prices, by how much it prefers it to its next option plus epsilon; a
   * full target drops its lowest bid, whose owner bids again. Prices end where contention
   * puts them, which a plain greedy misses: it hands the popular few to whoever comes
   * first, not to those with no alternative. The result is within (slots x epsilon) of the
   * best assignment of these arcs. Values are the arcs' keys. `openAuction` sets it up,
   * `bid` runs it in rounds.
   */
  private openAuction(n: number, lists: ArcLists): Auction {
    const p = this.perPerson;
    const m = this.maxExposure;
    const arcCount = lists.count;
    return {
      n,
      lists,
      won: this.buffer('won', n * p),
      wonN: this.buffer('count', n).fill(0, 0, n),
      // What a place costs now: 0 while the target has room, its lowest held bid once full.
      // (Pinned pairs, already in `fixed`, do not count against the cap.)
      price: this.buffer('price', n).fill(0, 0, n),
      heldOwner: this.buffer('heldOwner', n * m),
      heldArc: this.buffer('heldArc', n * m),
      heldBid: this.buffer('heldBid', n * m),
      heldN: this.buffer('heldN', n).fill(0, 0, n),
      // 0: free to bid on, 1: held by its owner, 2: never (the pair is already pinned).
      arcState: this.buffer('arcState', arcCount).fill(0, 0, arcCount),
      slots: this.buffer('slots', n),
      queue: this.buffer('queue', n + 1),
      queued: this.buffer('queued', n).fill(0, 0, n),
      qh: 0,
      qt: 0,
    };
  }

  /** The free slots of `bidders[from..to)`, their arcs to pinned partners closed, in the queue. */
  private openSlots(s: Auction, bidders: readonly Rec[], from: number, to: number, fixed: Entry[][]) {
    const p = this.perPerson;
    const { start, end, eB } = s.lists;
    for (let k = from; k < to; k++) {
      const a = bidders[k]!;
      const fixedTargets = fixed[a.idx]!;
      s.slots[a.idx] = p - fixedTargets.length;
      if (fixedTargets.length > 0) {
        for (let e = start[a.idx]!; e < end[a.idx]!; e++) if (fixedTargets.some((x) => x.t === eB[e])) s.arcState[e] = 2;
      }
      if (end[a.idx]! > start[a.idx]!) this.enqueue(s, a.idx);
    }
  }

  private enqueue(s: Auction, a: number) {
    if (s.queued[a]) return;
    s.queued[a] = 1;
    s.queue[s.qt] = a;
    s.qt = s.qt === s.n ? 0 : s.qt + 1;
  }

  /** Lets up to `rounds` owners bid for all their free slots. Returns whether the auction has ended. */
  private bid(s: Auction, rounds: number): boolean {
    const p = this.perPerson;
    const m = this.maxExposure;
    const { start, end, eB, eK } = s.lists;
    const { won, wonN, price, heldOwner, heldArc, heldBid, heldN, arcState, slots, queue, queued } = s;
    const n = s.n;
    for (let r = 0; r < rounds; r++) {
      if (s.qh === s.qt) return true;
      const a = queue[s.qh]!;
      s.qh = s.qh === n ? 0 : s.qh + 1;
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
          this.enqueue(s, loser);
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
    return s.qh === s.qt;
  }

  /**
   * Everyone present by rank (ties by index), kept from pass to pass: between two passes
   * few people arrive or leave, so the last order is filtered and merged with the newcomers
   * (`unordered`) sorted alone, instead of sorting the whole room again. In steps; who
   * joins meanwhile waits for the next pass.
   */
  private *presentByRank(n: number): Generator<void, Rec[], void> {
    const before = (x: Rec, y: Rec) => x.rank < y.rank || (x.rank === y.rank && x.idx < y.idx);
    const last = this.ordered;
    const kept: Rec[] = [];
    for (let k = 0; k < last.length; k++) {
      if ((k & (CHUNK_LIGHT - 1)) === CHUNK_LIGHT - 1) yield;
      const r = last[k]!;
      if (r.indexed) kept.push(r);
      else r.ordered = false;
    }
    const added: Rec[] = [];
    const later: number[] = [];
    for (const i of this.unordered) {
      const r = this.recs[i]!;
      if (i >= n) {
        later.push(i);
        continue;
      }
      r.queued = false;
      if (r.ordered || !r.indexed) continue;
      r.ordered = true;
      added.push(r);
    }
    this.unordered = later;
    added.sort((x, y) => x.rank - y.rank || x.idx - y.idx);
    yield;
    const out: Rec[] = new Array<Rec>(kept.length + added.length);
    let i = 0;
    let j = 0;
    for (let k = 0; k < out.length; k++) {
      if ((k & (CHUNK_LIGHT - 1)) === CHUNK_LIGHT - 1) yield;
      out[k] = j >= added.length || (i < kept.length && before(kept[i]!, added[j]!)) ? kept[i++]! : added[j++]!;
    }
    this.ordered = out;
    return out;
  }

  /**
   * The people at the edges, longest waiting first (ties by rank). The last pass's order,
   * filtered, is nearly all still sorted: only the newly arrived (and the few whose arrival
   * time was edited) are sorted, then merged in, in steps.
   */
  private *edgesByWait(order: readonly Rec[], edge: Int32Array, n: number): Generator<void, Rec[], void> {
    const cmp = (x: Rec, y: Rec) => x.arrivedAt - y.arrivedAt || x.rank - y.rank || x.idx - y.idx;
    const seen = this.buffer('seen', n).fill(0, 0, n);
    const last = this.edgeOrder;
    const kept: Rec[] = [];
    const added: Rec[] = [];
    for (let k = 0; k < last.length; k++) {
      if ((k & (CHUNK_LIGHT - 1)) === CHUNK_LIGHT - 1) yield;
      const r = last[k]!;
      if (!this.inPass(r.idx) || edge[r.idx] !== 1 || seen[r.idx] === 1) continue;
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
    this.edgeOrder = out;
    return out;
  }

  /** A scratch buffer of at least `size` entries, kept for the next pass; contents are left over. */
  private buffer(name: string, size: number): Int32Array {
    let b = this.scratch.get(name);
    if (!b || b.length < size) {
      b = new Int32Array(Math.max(size, Math.ceil((b?.length ?? 0) * 1.5)));
      this.scratch.set(name, b);
    }
    return b;
  }

  // ---------------------------------------------------------------- public: reading

  /** The person's current suggestions, in display order, with fresh scores and reasons. */
  listFor(id: string, now: number = this.lastNow): Suggestion[] {
    const i = this.byId.get(id);
    if (i === undefined) return [];
    const a = this.recs[i]!;
    if (!this.eligible(a)) return [];
    const edgeA = this.needsSlot(a, now);
    const entries = [...a.out].sort(
      (x, y) =>
        Number(y.pinned) - Number(x.pinned) || x.since - y.since || y.units - x.units || this.recs[x.t]!.rank - this.recs[y.t]!.rank,
    );
    return entries.map((e) => {
      const b = this.recs[e.t]!;
      const edgeB = this.needsSlot(b, now);
      return {
        targetId: b.id,
        score: toPoints(this.units(a, b, edgeA, edgeB)),
        reasons: this.reasonsFor(a, b, edgeA),
        since: e.since,
        state: this.pairs.get(pairKey(a.idx, b.idx)) ?? 'proposed',
        pinned: e.pinned,
      };
    });
  }

  /** The pair's score in points, or null when the pair may not be suggested. */
  pairScore(aId: string, bId: string, now: number = this.lastNow): number | null {
    const a = this.byId.get(aId);
    const b = this.byId.get(bId);
    if (a === undefined || b === undefined) return null;
    const ra = this.recs[a]!;
    const rb = this.recs[b]!;
    if (!this.compatible(ra, rb)) return null;
    return toPoints(this.units(ra, rb, this.needsSlot(ra, now), this.needsSlot(rb, now)));
  }

  /** Whether B may appear in A's list at all (both present, not opted out, no final state). */
  canSuggest(aId: string, bId: string): boolean {
    const a = this.byId.get(aId);
    const b = this.byId.get(bId);
    return a !== undefined && b !== undefined && this.compatible(this.recs[a]!, this.recs[b]!);
  }

  /** Is this person at the edges now: a first-timer, or waiting with no accepted suggestion. */
  atEdges(id: string, now: number = this.lastNow): boolean {
    const i = this.byId.get(id);
    return i !== undefined && this.eligible(this.recs[i]!) && this.needsSlot(this.recs[i]!, now);
  }

  exposureOf(id: string): Exposure {
    const i = this.byId.get(id);
    if (i === undefined) return { listed: 0, pinned: 0, overflow: 0 };
    const r = this.recs[i]!;
    return { listed: r.inOwners.length, pinned: r.pinnedIn, overflow: r.overflowIn };
  }

  /** Ids of everyone who can be matched now, in no particular order. */
  presentIds(): string[] {
    return this.present.map((i) => this.recs[i]!.id);
  }

  pairStateOf(aId: string, bId: string): PairState | undefined {
    const a = this.byId.get(aId);
    const b = this.byId.get(bId);
    if (a === undefined || b === undefined) return undefined;
    return this.pairs.get(pairKey(a, b));
  }

  // ---------------------------------------------------------------- people and indexes

  private recOf(id: string): Rec {
    const i = this.byId.get(id);
    if (i !== undefined) return this.recs[i]!;
    if (this.recs.length >= PACK) throw new RangeError(`matching holds at most ${PACK} people per engine`);
    const r = new Rec(this.recs.length, id, hashString(id, this.seed));
    this.recs.push(r);
    this.byId.set(id, r.idx);
    if (this.recs.length > this.capacity) {
      const size = Math.max(1024, this.capacity * 2);
      this.hot = growInt32(this.hot, size * HOT);
      this.adjacency = growInt32(this.adjacency, size * ADJ_CAP);
      this.arcs = growInt32(this.arcs, size * this.arcSlot);
      const arcN = new Int32Array(size).fill(-1);
      arcN.set(this.arcN);
      this.arcN = arcN;
      const lastEdge = new Uint8Array(size);
      lastEdge.set(this.lastEdge);
      this.lastEdge = lastEdge;
      this.capacity = size;
    }
    return r;
  }

  /** Copies a Person onto its record and keeps the indexes right. Returns whether what others see of them changed. */
  private assign(r: Rec, p: Person, wasEligible: boolean): boolean {
    const newIntent = () => {
      this.offersIdx.push([]);
      this.seeksIdx.push([]);
    };
    const seeks = this.intentTags.intern(p.seeks, newIntent);
    const offers = this.intentTags.intern(p.offers, newIntent);
    const interests = this.interestTags.intern(p.interests, () => this.interestsIdx.push([]));
    const knows: number[] = [];
    for (const k of p.knows) {
      if (k === p.id) continue;
      const i = this.recOf(k).idx;
      if (!knows.includes(i)) knows.push(i);
    }
    const indexedFieldsChanged =
      !r.known ||
      !sameNumbers(seeks, r.seeks) ||
      !sameNumbers(offers, r.offers) ||
      !sameNumbers(interests, r.interests) ||
      p.firstTime !== r.firstTime ||
      p.host !== r.host;
    const profileChanged =
      indexedFieldsChanged || (p.name ?? undefined) !== r.name || (p.role ?? undefined) !== r.role || !sameNumbers(knows, r.declared);
    const willBeEligible = p.present && !p.optedOut;
    if (wasEligible && (!willBeEligible || indexedFieldsChanged)) this.unindex(r);
    r.known = true;
    r.name = p.name;
    r.role = p.role;
    r.seeks = seeks;
    r.offers = offers;
    r.interests = interests;
    r.firstTime = p.firstTime;
    r.host = p.host;
    r.present = p.present;
    r.optedOut = p.optedOut;
    r.arrivedAt = p.arrivedAt;
    r.hasAccepted = p.hasAccepted;
    this.writeMasks(r);
    this.setKnows(r, knows);
    this.hot[r.idx * HOT + H_FLAGS]! |= this.dirtyBits;
    if (willBeEligible && !r.indexed) this.index(r);
    return profileChanged;
  }

  private writeMasks(r: Rec) {
    const base = r.idx * STRIDE;
    let wide = false;
    const put = (slot: number, ids: readonly number[]) => {
      let lo = 0;
      let hi = 0;
      for (const t of ids) {
        if (t < 32) lo |= 1 << t;
        else if (t < MASK_BITS) hi |= 1 << (t - 32);
        else wide = true;
      }
      this.hot[base + slot] = lo;
      this.hot[base + slot + 1] = hi;
    };
    put(SEEKS, r.seeks);
    put(OFFERS, r.offers);
    put(INTERESTS, r.interests);
    let f = this.hot[r.idx * HOT + H_FLAGS]! & ~(F_HOST | F_WIDE);
    if (r.host) f |= F_HOST;
    if (wide) f |= F_WIDE;
    this.hot[r.idx * HOT + H_FLAGS] = f;
  }

  private setKnows(r: Rec, knows: number[]) {
    for (const x of r.declared) {
      if (knows.includes(x)) continue;
      const other = this.recs[x]!;
      if (!other.declared.includes(r.idx)) this.unlink(r, other);
    }
    for (const x of knows) this.link(r, this.recs[x]!);
    r.declared = knows;
  }

  private link(a: Rec, b: Rec) {
    if (a.adj?.has(b.idx)) return;
    (a.adj ??= new Set()).add(b.idx);
    (b.adj ??= new Set()).add(a.idx);
    a.adjList.push(b.idx);
    b.adjList.push(a.idx);
    this.flatAdjacency(a);
    this.flatAdjacency(b);
  }

  private unlink(a: Rec, b: Rec) {
    if (!a.adj?.has(b.idx)) return;
    a.adj.delete(b.idx);
    b.adj?.delete(a.idx);
    a.adjList.splice(a.adjList.indexOf(b.idx), 1);
    b.adjList.splice(b.adjList.indexOf(a.idx), 1);
    this.flatAdjacency(a);
    this.flatAdjacency(b);
  }

  private flatAdjacency(r: Rec) {
    const n = Math.min(r.adjList.length, ADJ_CAP);
    for (let k = 0; k < n; k++) this.adjacency[r.idx * ADJ_CAP + k] = r.adjList[k]!;
    this.hot[r.idx * HOT + H_ADJN] = n;
    let f = (this.hot[r.idx * HOT + H_FLAGS]! | F_REACH_DIRTY | this.dirtyBits) & ~(F_ADJ | F_ADJ_WIDE);
    if (n > 0) f |= F_ADJ;
    if (r.adjList.length > ADJ_CAP) f |= F_ADJ_WIDE;
    this.hot[r.idx * HOT + H_FLAGS] = f;
  }

  /**
   * What this person's present acquaintances offer: the tags they can introduce others to.
   * Rebuilt lazily, since presence changes would otherwise touch every acquaintance's mask.
   */
  private reachOf(i: number): number[] {
    const r = this.recs[i]!;
    if ((this.hot[i * HOT + H_FLAGS]! & F_REACH_DIRTY) === 0) return r.reach;
    const tags: number[] = [];
    for (const x of r.adjList) {
      const other = this.recs[x]!;
      if (!this.eligible(other)) continue;
      for (const t of other.offers) if (!tags.includes(t)) tags.push(t);
    }
    r.reach = tags.sort((a, b) => a - b);
    let lo = 0;
    let hi = 0;
    let wide = false;
    for (const t of r.reach) {
      if (t < 32) lo |= 1 << t;
      else if (t < MASK_BITS) hi |= 1 << (t - 32);
      else wide = true;
    }
    this.hot[i * STRIDE + REACH] = lo;
    this.hot[i * STRIDE + REACH + 1] = hi;
    let f = this.hot[i * HOT + H_FLAGS]! & ~(F_REACH_DIRTY | F_REACH_WIDE);
    if (wide) f |= F_REACH_WIDE;
    this.hot[i * HOT + H_FLAGS] = f;
    return r.reach;
  }

  /** Presence or offers changed: acquaintances' reach must be rebuilt. */
  private dirtyReach(r: Rec) {
    // Their scores move too: they gain or lose an introducer, or someone to connect others to.
    for (const x of r.adjList) this.hot[x * HOT + H_FLAGS]! |= F_REACH_DIRTY | this.dirtyBits;
    this.hot[r.idx * HOT + H_FLAGS]! |= this.dirtyBits;
  }

  /** The i-th acquaintance in the flat array (i < adjCount). */
  private knownAt(r: number, k: number): number {
    return this.adjacency[r * ADJ_CAP + k]!;
  }

  private knows(a: number, b: number): boolean {
    if ((this.hot[a * HOT + H_FLAGS]! & F_ADJ_WIDE) !== 0) return this.recs[a]!.adj!.has(b);
    const base = a * ADJ_CAP;
    const n = this.hot[a * HOT + H_ADJN]!;
    for (let k = 0; k < n; k++) if (this.adjacency[base + k] === b) return true;
    return false;
  }

  private index(r: Rec) {
    const i = r.idx;
    for (const t of r.offers) this.offersIdx[t]!.push(i);
    for (const t of r.seeks) this.seeksIdx[t]!.push(i);
    for (const t of r.interests) this.interestsIdx[t]!.push(i);
    this.combos(r, (kind, key) => {
      const list = this.comboIdx[kind]!.get(key);
      if (list) list.push(i);
      else this.comboIdx[kind]!.set(key, [i]);
    });
    if (r.host) this.hosts.push(i);
    if (r.firstTime) this.firstTimers.push(i);
    r.presentPos = this.present.length;
    this.present.push(i);
    r.indexed = true;
    if (!r.ordered && !r.queued) {
      r.queued = true;
      this.unordered.push(i);
    }
    this.hot[i * HOT + H_FLAGS]! |= F_LIVE;
    if (this.touched && (this.hot[i * HOT + H_FLAGS]! & F_NEW) === 0) {
      this.hot[i * HOT + H_FLAGS]! |= F_NEW;
      this.joined.push(i);
    }
    this.dirtyReach(r);
  }

  /** The combination keys a person is indexed under (see `RECIPROCAL`). */
  private combos(r: Rec, visit: (kind: number, key: number) => void) {
    const { offers, seeks, interests } = r;
    for (const o of offers) for (const s of seeks) visit(RECIPROCAL, o * TAG_KEY + s);
    for (let x = 0; x < offers.length; x++) for (let y = x + 1; y < offers.length; y++) visit(OFFERS_TWO, offers[x]! * TAG_KEY + offers[y]!);
    for (let x = 0; x < seeks.length; x++) for (let y = x + 1; y < seeks.length; y++) visit(SEEKS_TWO, seeks[x]! * TAG_KEY + seeks[y]!);
    for (const o of offers) for (const t of interests) visit(OFFERS_TOPIC, o * TAG_KEY + t);
    for (const s of seeks) for (const t of interests) visit(SEEKS_TOPIC, s * TAG_KEY + t);
  }

  private unindex(r: Rec) {
    if (!r.indexed) return;
    const i = r.idx;
    for (const t of r.offers) removeValue(this.offersIdx[t]!, i);
    for (const t of r.seeks) removeValue(this.seeksIdx[t]!, i);
    for (const t of r.interests) removeValue(this.interestsIdx[t]!, i);
    this.combos(r, (kind, key) => {
      const list = this.comboIdx[kind]!.get(key);
      if (!list) return;
      removeValue(list, i);
      if (list.length === 0) this.comboIdx[kind]!.delete(key);
    });
    if (r.host) removeValue(this.hosts, i);
    if (r.firstTime) removeValue(this.firstTimers, i);
    const last = this.present.pop()!;
    if (last !== i) {
      this.present[r.presentPos] = last;
      this.recs[last]!.presentPos = r.presentPos;
    }
    r.presentPos = -1;
    r.indexed = false;
    this.hot[i * HOT + H_FLAGS]! &= ~F_LIVE;
    this.dirtyReach(r);
  }

  // ---------------------------------------------------------------- rules and scores

  private eligible(r: Rec): boolean {
    return r.known && r.present && !r.optedOut;
  }

  private needsSlot(r: Rec, now: number): boolean {
    return r.firstTime || (!r.hasAccepted && !r.saidYes && now - r.arrivedAt >= this.edgeMs);
  }

  private blockedAt(a: number, b: number): boolean {
    if (this.hot[a * HOT + H_PAIRS] === 0 || this.hot[b * HOT + H_PAIRS] === 0) return false;
    return isFinal(this.pairs.get(pairKey(a, b)));
  }

  private compatible(a: Rec, b: Rec): boolean {
    return a !== b && this.eligible(a) && this.eligible(b) && !this.blockedAt(a.idx, b.idx);
  }

  /** Entries that count against the exposure cap: neither pinned nor overflow. */
  private load(r: Rec): number {
    return r.inOwners.length - r.overflowIn - r.pinnedIn;
  }

  private units(a: Rec, b: Rec, edgeA: boolean, edgeB: boolean): number {
    return this.unitsAt(a.idx, b.idx, edgeA, edgeB);
  }

  /** The pair score in units; see score.ts for the formula. Symmetric in (a, b). */
  private unitsAt(a: number, b: number, edgeA: boolean, edgeB: boolean, intro = -1): number {
    const M = this.hot;
    const fa = this.hot[a * HOT + H_FLAGS]!;
    const fb = this.hot[b * HOT + H_FLAGS]!;
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
      const ra = this.recs[a]!;
      const rb = this.recs[b]!;
      u = tagUnits(countCommon(ra.seeks, rb.offers), countCommon(rb.seeks, ra.offers), countCommon(ra.interests, rb.interests));
    }
    const hostA = (fa & F_HOST) !== 0;
    const hostB = (fb & F_HOST) !== 0;
    if ((hostA && !hostB && edgeB) || (hostB && !hostA && edgeA)) u += HOST_WELCOME;
    if (((fa | fb) & F_ADJ) === 0) return u;
    return this.socialUnits(a, b, u, intro);
  }

  /** The acquaintance part of the score, for pairs where either knows someone. */
  private socialUnits(a: number, b: number, u: number, intro: number): number {
    const fa = this.hot[a * HOT + H_FLAGS]!;
    const fb = this.hot[b * HOT + H_FLAGS]!;
    if ((fa & F_ADJ) !== 0 && this.knows(a, b)) return Math.floor(u / KNOWN_DIVISOR);
    if ((fa & fb & F_ADJ) !== 0 && (intro >= 0 ? this.hot[b * HOT + H_INTRO] === intro : this.introducerAt(a, b) >= 0)) u += INTRODUCER;
    if (this.connects(a, b) || this.connects(b, a)) u += CONNECTOR;
    return u;
  }

  /** Does `knower` know someone present who offers what `other` seeks? */
  private connects(knower: number, other: number): boolean {
    const f = this.hot[knower * HOT + H_FLAGS]!;
    if ((f & F_ADJ) === 0) return false;
    if ((f & F_REACH_DIRTY) !== 0) this.reachOf(knower);
    if (((this.hot[knower * HOT + H_FLAGS]! & F_REACH_WIDE) | (this.hot[other * HOT + H_FLAGS]! & F_WIDE)) !== 0) {
      return countCommon(this.reachOf(knower), this.recs[other]!.seeks) > 0;
    }
    const M = this.hot;
    const k = knower * STRIDE + REACH;
    const o = other * STRIDE + SEEKS;
    return ((M[k]! & M[o]!) | (M[k + 1]! & M[o + 1]!)) !== 0;
  }

  /** A present person who knows both, or -1: the first such in the smaller circle. */
  private introducerAt(a: number, b: number): number {
    const ra = this.recs[a]!;
    const rb = this.recs[b]!;
    if (!ra.adj || !rb.adj) return -1;
    const small = ra.adjList.length <= rb.adjList.length ? ra : rb;
    const big = small === ra ? rb.adj : ra.adj;
    for (const c of small.adjList) {
      if (c === a || c === b || (this.hot[c * HOT + H_FLAGS]! & F_LIVE) === 0) continue;
      if (big.has(c)) return c;
    }
    return -1;
  }

  /**
   * Stamps everyone a present acquaintance of `a` knows, so "can someone introduce a to b"
   * is one read per candidate instead of a walk through b's circle. Returns the stamp, or -1
   * when a knows nobody.
   */
  private markIntroductions(a: Rec): number {
    if (a.adjList.length === 0) return -1;
    const stamp = ++this.stamp;
    const hot = this.hot;
    for (const c of a.adjList) {
      if ((hot[c * HOT + H_FLAGS]! & F_LIVE) === 0) continue;
      for (const x of this.recs[c]!.adjList) hot[x * HOT + H_INTRO] = stamp;
    }
    return stamp;
  }

  /**
   * Someone present known to one of the two who offers what the other seeks: `to_a` when
   * b can introduce a to them. The same test as `connects`, spelled out for reasons.
   */
  private connectorOf(a: Rec, b: Rec): { via: Rec; tags: number[]; direction: 'to_a' | 'to_b' } | null {
    const toA = this.knownOffering(b, a);
    if (toA) return { via: toA, tags: commonOf(toA.offers, a.seeks), direction: 'to_a' };
    const toB = this.knownOffering(a, b);
    if (toB) return { via: toB, tags: commonOf(toB.offers, b.seeks), direction: 'to_b' };
    return null;
  }

  /** Someone present whom `knower` knows, offering what `other` seeks. */
  private knownOffering(knower: Rec, other: Rec): Rec | null {
    if (other.seeks.length === 0) return null;
    for (const x of knower.adjList) {
      if (x === other.idx) continue;
      const r = this.recs[x]!;
      if (this.eligible(r) && countCommon(r.offers, other.seeks) > 0) return r;
    }
    return null;
  }

  private reasonsFor(a: Rec, b: Rec, edgeA: boolean) {
    const intent = (ids: number[]) => ids.map((t) => this.intentTags.labels[t]!);
    const ref = (r: Rec): NamedRef => ({ id: r.id, name: r.name });
    const known = a.adj?.has(b.idx) ?? false;
    const by = known ? -1 : this.introducerAt(a.idx, b.idx);
    const introducer = by >= 0 ? this.recs[by]! : null;
    const connector = known ? null : this.connectorOf(a, b);
    const withoutIntent = a.seeks.length === 0 && a.offers.length === 0;
    return renderReasons({
      target: ref(b),
      receives: intent(commonOf(a.seeks, b.offers)),
      gives: intent(commonOf(b.seeks, a.offers)),
      common: commonOf(a.interests, b.interests).map((t) => this.interestTags.labels[t]!),
      targetFirstTime: b.firstTime,
      targetWelcomes: b.host && !a.host && edgeA,
      introducer: introducer ? ref(introducer) : undefined,
      connector: connector
        ? { via: ref(connector.via), tags: intent(connector.tags), direction: connector.direction === 'to_a' ? 'to_you' : 'from_you' }
        : undefined,
      viewerWithoutIntent: withoutIntent,
      sameRole: withoutIntent ? sameRole(a.role, b.role) : undefined,
      topics: this.topics,
    });
  }

  // ---------------------------------------------------------------- candidates

  /**
   * Fills `this.cand` with distinct people worth scoring for `a`, from the indexes, rarest
   * tags first and a bounded number per source, so the cost does not grow with the room.
   * What a source leaves unused passes to the next, so everyone gets a full set. Current
   * entries of `a` are left out (callers score those separately).
   */
  private gather(a: Rec, scale: number, edgeA: boolean, forPass = false): number {
    const g = this.g;
    // The pass leaves out who joined after it began; updates take everyone live.
    g.live = forPass ? F_LIVE | F_NEW : F_LIVE;
    g.owner = a.idx;
    g.rank = a.rank;
    g.stamp = ++this.stamp;
    g.count = 0;
    g.salt = 0;
    g.checkPairs = this.hot[a.idx * HOT + H_PAIRS]! > 0;
    const b = this.budget;
    // Not scaled: the rarest lists hold the best candidates, so a smaller budget should
    // still take them whole.
    g.perList = Math.max(2, b.perPostingList);
    const hot = this.hot;
    hot[a.idx * HOT + H_MARK] = g.stamp;
    for (const e of a.out) hot[e.t * HOT + H_MARK] = g.stamp;
    const lists = this.lists;

    const combo = (kind: number, key: number) => {
      const list = this.comboIdx[kind]!.get(key);
      if (list) lists.push(list);
    };
    const { seeks, offers, interests } = a;
    lists.length = 0;
    for (const s of seeks) for (const o of offers) combo(RECIPROCAL, s * TAG_KEY + o);
    let spare = this.takeFrom(lists, Math.round(b.reciprocal * scale));
    lists.length = 0;
    for (let x = 0; x < seeks.length; x++) for (let y = x + 1; y < seeks.length; y++) combo(OFFERS_TWO, seeks[x]! * TAG_KEY + seeks[y]!);
    for (let x = 0; x < offers.length; x++) for (let y = x + 1; y < offers.length; y++) combo(SEEKS_TWO, offers[x]! * TAG_KEY + offers[y]!);
    for (const s of seeks) for (const t of interests) combo(OFFERS_TOPIC, s * TAG_KEY + t);
    for (const o of offers) for (const t of interests) combo(SEEKS_TOPIC, o * TAG_KEY + t);
    spare = this.takeFrom(lists, spare + Math.round(b.combined * scale));
    lists.length = 0;
    for (const s of a.seeks) lists.push(this.offersIdx[s]!);
    for (const o of a.offers) lists.push(this.seeksIdx[o]!);
    spare = this.takeFrom(lists, spare + Math.round(b.oneWay * scale));
    lists.length = 0;
    for (const t of a.interests) lists.push(this.interestsIdx[t]!);
    this.takeFrom(lists, spare + Math.round(b.interests * scale));
    lists.length = 0;
    if (edgeA && !a.host) lists.push(this.hosts);
    if (a.host) lists.push(this.firstTimers);
    this.takeFrom(lists, b.routing);
    const known = this.hot[a.idx * HOT + H_ADJN]!;
    if (known > 0) {
      // Friends of friends: someone who knows a can introduce them.
      lists.length = 0;
      for (let k = 0; k < Math.min(known, ADJ_SCAN); k++) {
        const c = this.knownAt(a.idx, k);
        if ((this.hot[c * HOT + H_FLAGS]! & F_LIVE) === 0) continue;
        lists.push(this.recs[c]!.adjList);
      }
      this.takeFrom(lists, b.introductions);
    }
    if (g.count < this.perPerson * 2) {
      lists.length = 0;
      lists.push(this.present);
      this.takeFrom(lists, b.fallback);
    }
    return g.count;
  }

  /**
   * Takes up to `budget` new candidates from the lists, shortest (rarest tag) first, at most
   * `perList` from each, starting each list at a per-person offset so that people with the
   * same tags do not all draw the same few. Returns the unused budget.
   */
  private takeFrom(lists: ArrayLike<number>[], budget: number): number {
    const g = this.g;
    const hot = this.hot;
    const out = this.cand;
    // Insertion sort: a handful of lists.
    for (let i = 1; i < lists.length; i++) {
      const x = lists[i]!;
      let j = i - 1;
      while (j >= 0 && lists[j]!.length > x.length) {
        lists[j + 1] = lists[j]!;
        j--;
      }
      lists[j + 1] = x;
    }
    let left = budget;
    // Lists overlap (the same people sit under several combinations), so what bounds the
    // cost is the number of entries read, not of lists.
    let reads = budget * 3 + 8;
    for (let l = 0; l < lists.length && left > 0 && reads > 0; l++) {
      const list = lists[l]!;
      const len = list.length;
      if (len === 0) continue;
      const quota = Math.min(g.perList, left);
      const visits = Math.min(len, quota * 3, reads);
      reads -= visits;
      let pos = len <= quota ? 0 : ((g.rank + Math.imul(++g.salt, GOLDEN)) >>> 0) % len;
      let got = 0;
      for (let v = 0; v < visits && got < quota; v++) {
        const i = list[pos]!;
        if (++pos === len) pos = 0;
        const h = i * HOT;
        if (hot[h + H_MARK] === g.stamp) continue;
        hot[h + H_MARK] = g.stamp;
        if ((hot[h + H_FLAGS]! & g.live) !== F_LIVE || (g.checkPairs && this.blockedAt(g.owner, i))) continue;
        out[g.count++] = i;
        got++;
      }
      left -= got;
    }
    return left > 0 ? left : 0;
  }

  /** `gather` plus scores, best first, ties by rank: what incremental updates work from. */
  private scored(a: Rec, now: number, edgeA: boolean): Scored {
    const count = this.gather(a, 1, edgeA);
    const intro = this.markIntroductions(a);
    const order: number[] = [];
    const unitsOf = new Map<number, number>();
    for (let c = 0; c < count; c++) {
      const i = this.cand[c]!;
      unitsOf.set(i, this.unitsAt(a.idx, i, edgeA, this.needsSlot(this.recs[i]!, now), intro));
      order.push(i);
    }
    order.sort((x, y) => unitsOf.get(y)! - unitsOf.get(x)! || this.recs[x]!.rank - this.recs[y]!.rank);
    return { ids: order, units: order.map((i) => unitsOf.get(i)!) };
  }

  /** The first compatible person satisfying `ok`, scanning everyone from a per-person offset. */
  private scanCompatible(a: Rec, ok: (b: Rec) => boolean): Rec | null {
    const len = this.present.length;
    if (len === 0) return null;
    let pos = a.rank % len;
    for (let v = 0; v < len; v++) {
      const b = this.recs[this.present[pos]!]!;
      if (++pos === len) pos = 0;
      if (this.compatible(a, b) && ok(b)) return b;
    }
    return null;
  }

  // ---------------------------------------------------------------- list edits

  private hasEntry(a: Rec, t: number): boolean {
    for (const e of a.out) if (e.t === t) return true;
    return false;
  }

  /** While a pass runs: this person's list or state changed, so the pass must not overwrite their list. */
  private touch(i: number) {
    this.touched?.add(i);
    this.touchedAfter?.add(i);
  }

  /** While a pass runs: the lists an update reports changed (their cards too) are newer than the plan. */
  private touchAll(changed: Set<string>): Set<string> {
    if (this.touched) for (const id of changed) this.touched.add(this.byId.get(id)!);
    if (this.touchedAfter) for (const id of changed) this.touchedAfter.add(this.byId.get(id)!);
    return changed;
  }

  private addEntry(a: Rec, b: Rec, units: number, since: number, pinned: boolean, overflow: boolean) {
    this.touch(a.idx);
    a.out.push({ t: b.idx, units, since, pinned, overflow });
    b.inOwners.push(a.idx);
    if (pinned) b.pinnedIn++;
    if (overflow) b.overflowIn++;
    this.starving.delete(a.idx);
  }

  /**
   * Takes `t` out of `a`'s list; a freed cap slot legitimises one overflow entry, unless the
   * slot is being freed for someone (`promote` false).
   */
  private removeEntry(a: Rec, t: number, promote = true): boolean {
    const k = a.out.findIndex((e) => e.t === t);
    if (k < 0) return false;
    this.touch(a.idx);
    const [e] = a.out.splice(k, 1);
    const b = this.recs[t]!;
    removeValue(b.inOwners, a.idx);
    if (e!.pinned) b.pinnedIn--;
    if (e!.overflow) b.overflowIn--;
    else if (promote) this.promoteOverflow(b);
    return true;
  }

  private promoteOverflow(b: Rec) {
    if (b.overflowIn === 0 || this.load(b) >= this.maxExposure) return;
    for (const o of b.inOwners) {
      const e = this.recs[o]!.out.find((x) => x.t === b.idx);
      if (e?.overflow) {
        e.overflow = false;
        b.overflowIn--;
        this.touch(o);
        return;
      }
    }
  }

  private weakest(a: Rec): Entry | null {
    let w: Entry | null = null;
    for (const e of a.out) {
      if (e.pinned) continue;
      if (!w || e.units < w.units || (e.units === w.units && e.since > w.since)) w = e;
    }
    return w;
  }

  /** Puts the pair in `a`'s list as pinned; trims the weakest entry if the list is now too long. */
  private pinEntry(a: Rec, b: Rec, now: number): boolean {
    const e = a.out.find((x) => x.t === b.idx);
    if (e) {
      if (e.pinned) return false;
      this.touch(a.idx);
      e.pinned = true;
      b.pinnedIn++;
      if (e.overflow) {
        e.overflow = false;
        b.overflowIn--;
      }
    } else {
      this.addEntry(a, b, this.units(a, b, this.needsSlot(a, now), this.needsSlot(b, now)), now, true, false);
    }
    while (a.out.length > this.perPerson) {
      const w = this.weakest(a);
      if (!w) break;
      this.removeEntry(a, w.t);
    }
    return true;
  }

  /** A pin lifted; if the target is now over its cap, the entry goes (its owner gets refilled). */
  private unpinEntry(a: Rec, b: Rec, changed: Set<string>) {
    const e = a.out.find((x) => x.t === b.idx);
    if (!e || !e.pinned) return;
    this.touch(a.idx);
    e.pinned = false;
    b.pinnedIn--;
    if (this.load(b) > this.maxExposure || a.out.length > this.perPerson) {
      this.removeEntry(a, b.idx);
      changed.add(a.id);
    }
  }

  // ---------------------------------------------------------------- incremental work

  /** After a person's arrival or change: their own list, their place in others', the starving. */
  private settle(r: Rec, now: number, changed: Set<string>, profileChanged: boolean) {
    const weakened: Rec[] = [];
    if (profileChanged) {
      // Cards that show this person carry reasons made from their profile.
      for (const o of r.inOwners) {
        const owner = this.recs[o]!;
        const e = owner.out.find((x) => x.t === r.idx)!;
        const u = this.units(owner, r, this.needsSlot(owner, now), this.needsSlot(r, now));
        if (u < e.units) weakened.push(owner);
        e.units = u;
        changed.add(owner.id);
      }
    }
    const cands = this.improve(r, now, changed);
    this.offerSelf(r, cands, now, changed);
    this.serveStarving(r, now, changed);
    for (const o of weakened) if (this.eligible(o)) this.improve(o, now, changed);
  }

  /**
   * Repairs and improves one list: drops what is no longer allowed, restores pinned pairs,
   * fills free slots, replaces entries only when clearly beaten, and guarantees a first
   * suggestion to someone at the edges. Returns the scored candidates for reuse.
   */
  private improve(a: Rec, now: number, changed: Set<string>): Scored {
    const p = this.perPerson;
    const m = this.maxExposure;
    const edgeA = this.needsSlot(a, now);
    let modified = false;
    for (const e of [...a.out]) {
      if (!this.compatible(a, this.recs[e.t]!)) {
        this.removeEntry(a, e.t);
        modified = true;
      }
    }
    // A place past the cap is only for someone at the edges with nothing else.
    for (const e of [...a.out]) {
      if (!e.overflow) continue;
      const b = this.recs[e.t]!;
      if (this.load(b) < m) {
        this.touch(a.idx);
        e.overflow = false;
        b.overflowIn--;
      } else if (!edgeA || a.out.length > 1) {
        this.removeEntry(a, e.t);
        modified = true;
      }
    }
    if (a.pinned) {
      for (const bi of a.pinned) {
        const b = this.recs[bi]!;
        if (!this.compatible(a, b)) continue;
        if (this.pinEntry(a, b, now)) modified = true;
        if (this.pinEntry(b, a, now)) changed.add(b.id);
      }
    }
    for (const e of a.out) e.units = this.units(a, this.recs[e.t]!, edgeA, this.needsSlot(this.recs[e.t]!, now));
    while (a.out.length > p) {
      const w = this.weakest(a);
      if (!w) break;
      this.removeEntry(a, w.t);
      modified = true;
    }

    const cands = this.scored(a, now, edgeA);
    const { ids, units } = cands;
    let next = 0;
    const nextFree = () => {
      while (next < ids.length && this.load(this.recs[ids[next]!]!) >= m) next++;
      return next < ids.length ? next : -1;
    };
    while (a.out.length < p) {
      const c = nextFree();
      if (c < 0 || units[c]! <= 0) break;
      this.addEntry(a, this.recs[ids[c]!]!, units[c]!, now, false, false);
      next++;
      modified = true;
    }
    for (;;) {
      const w = this.weakest(a);
      const c = nextFree();
      if (!w || c < 0 || units[c]! < replacementThreshold(w.units)) break;
      this.removeEntry(a, w.t);
      this.addEntry(a, this.recs[ids[c]!]!, units[c]!, now, false, false);
      next++;
      modified = true;
    }
    if (a.out.length === 0 && edgeA && this.guarantee(a, cands, now, changed)) modified = true;
    if (a.out.length === 0 && edgeA) this.starving.add(a.idx);
    else this.starving.delete(a.idx);
    if (modified) changed.add(a.id);
    return cands;
  }

  /**
   * The first suggestion of someone at the edges: the best candidate with room; else anyone
   * compatible with room; else a slot taken from a list that keeps others; else past the
   * cap (overflow). Fails only when nobody compatible is present.
   */
  private guarantee(a: Rec, cands: Scored, now: number, changed: Set<string>): boolean {
    const m = this.maxExposure;
    const { ids, units } = cands;
    const place = (b: Rec, overflow: boolean) =>
      this.addEntry(a, b, this.units(a, b, true, this.needsSlot(b, now)), now, false, overflow);
    for (let c = 0; c < ids.length; c++) {
      const b = this.recs[ids[c]!]!;
      if (this.load(b) < m) {
        this.addEntry(a, b, units[c]!, now, false, false);
        return true;
      }
    }
    const roomy = this.scanCompatible(a, (b) => this.load(b) < m);
    if (roomy) {
      place(roomy, false);
      return true;
    }
    const pool = ids.length > 0 ? ids.map((i) => this.recs[i]!) : [this.scanCompatible(a, () => true)].filter((x) => x !== null);
    for (const b of pool) {
      if (this.evictFor(b, changed)) {
        place(b, false);
        return true;
      }
    }
    const first = pool[0];
    if (!first) return false;
    place(first, true);
    return true;
  }

  /** Frees one of `b`'s cap slots from a list that keeps at least one other entry. */
  private evictFor(b: Rec, changed: Set<string>): boolean {
    let owner: Rec | null = null;
    let weakest = Infinity;
    for (const o of b.inOwners) {
      const r = this.recs[o]!;
      if (r.out.length < 2) continue;
      const e = r.out.find((x) => x.t === b.idx)!;
      if (e.pinned || e.overflow) continue;
      if (e.units < weakest) {
        weakest = e.units;
        owner = r;
      }
    }
    if (!owner) return false;
    this.removeEntry(owner, b.idx, false);
    changed.add(owner.id);
    return true;
  }

  /**
   * Enters the lists of good matches that have a free slot or a clearly weaker entry. The
   * people in `a`'s own list count too: `gather` leaves them out of `cands`, and they are
   * often the best matches of all (a newcomer whose intent arrives after their check-in
   * already lists the people it now fits best).
   */
  private offerSelf(a: Rec, cands: Scored, now: number, changed: Set<string>) {
    const m = this.maxExposure;
    const { ids, units } = cands;
    const own = a.out.filter((e) => !e.overflow && e.units > 0).sort((x, y) => y.units - x.units || this.recs[x.t]!.rank - this.recs[y.t]!.rank);
    let c = 0;
    let k = 0;
    for (;;) {
      if (this.load(a) >= m) return;
      // Merge the two lists, best first.
      const fromOwn = k < own.length && (c >= ids.length || own[k]!.units >= units[c]!);
      if (!fromOwn && c >= ids.length) return;
      const u = fromOwn ? own[k]!.units : units[c]!;
      const o = this.recs[fromOwn ? own[k++]!.t : ids[c++]!]!;
      if (u <= 0) return;
      if (this.hasEntry(o, a.idx)) continue;
      if (o.out.length < this.perPerson) {
        this.addEntry(o, a, u, now, false, false);
        changed.add(o.id);
        continue;
      }
      const w = this.weakest(o);
      if (w && u >= replacementThreshold(w.units)) {
        this.removeEntry(o, w.t);
        this.addEntry(o, a, u, now, false, false);
        changed.add(o.id);
      }
    }
  }

  /** Someone compatible just appeared for people at the edges who had nobody: they get them. */
  private serveStarving(x: Rec, now: number, changed: Set<string>) {
    if (this.starving.size === 0) return;
    let seen = 0;
    for (const s of [...this.starving]) {
      if (++seen > STARVING_SCAN) break;
      const r = this.recs[s]!;
      if (!this.eligible(r) || r.out.length > 0 || !this.needsSlot(r, now)) {
        this.starving.delete(s);
        continue;
      }
      if (!this.compatible(r, x)) continue;
      const roomy = this.load(x) < this.maxExposure || this.evictFor(x, changed);
      this.addEntry(r, x, this.units(r, x, true, this.needsSlot(x, now)), now, false, !roomy);
      changed.add(r.id);
    }
  }

  /** A person leaves matching: their list goes, they leave every list, those lists refill. */
  private detach(r: Rec, now: number, changed: Set<string>) {
    this.starving.delete(r.idx);
    if (r.out.length > 0) {
      for (const e of [...r.out]) this.removeEntry(r, e.t);
      changed.add(r.id);
    }
    const owners = [...r.inOwners].map((o) => this.recs[o]!);
    for (const o of owners) {
      this.removeEntry(o, r.idx);
      changed.add(o.id);
    }
    this.unindex(r);
    for (const o of owners) if (this.eligible(o)) this.improve(o, now, changed);
  }
}
