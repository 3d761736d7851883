import { cardsFor } from './cards';
import { pairUnits } from './pair-score';
import { startPass } from './pass/run';
import { Room, compatible, eligible, needsSlot, pairKey } from './room';
import { toPoints } from './score';
import type { Exposure, MatchingOptions, PairState, PassRun, Person, Suggestion } from './types';
import { loadPeople, recordPairState, removePerson, restoreList, updateFor, upsertPerson } from './updates';

export type { PassRun } from './types';

/**
 * The live matching engine: people, pair history, the current lists, and the indexes that
 * keep one update's cost independent of how many people are present. This class is its
 * public face and holds no logic of its own; the work is done by the modules below it:
 *  room.ts        the packed state every module shares, and the rules (who may be matched,
 *                 who is at the edges, which pairs are blocked)
 *  people.ts      people written in: records, tag masks, indexes, acquaintances
 *  pair-score.ts  the pair score on the packed state (score.ts has the formula)
 *  cards.ts       what a list shows, with reasons (reasons.ts words them)
 *  candidates.ts  candidate lookup in the indexes
 *  lists.ts       list entries under the caps
 *  updates.ts     incremental updates after each change
 *  pass/          the global pass: run.ts outlines it (order, arcs, plan, auction, commit)
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
 */
export class MatchingEngine {
  private readonly room: Room;

  constructor(options: MatchingOptions) {
    this.room = new Room(options);
  }

  // ---------------------------------------------------------------- changes

  /**
   * Adds or updates a person (arrival, departure, intent change, opt-out) and repairs the
   * lists around them. Returns the ids whose lists changed.
   */
  upsertPerson(p: Person, now: number): Set<string> {
    return upsertPerson(this.room, p, now);
  }

  /**
   * Loads people without building any list, for a start-up rebuild followed by
   * `restoreList` and `globalPass`.
   */
  loadPeople(people: readonly Person[], now: number): void {
    loadPeople(this.room, people, now);
  }

  /** Forgets a person (deleted from the event). Returns the ids whose lists changed. */
  removePerson(id: string, now: number): Set<string> {
    return removePerson(this.room, id, now);
  }

  /**
   * Records the state of a pair and applies it: final states take the pair out of both
   * lists for good, yes-states pin it in both. `by` is who answered, so they no longer
   * count as waiting alone. Returns the ids whose lists changed.
   */
  recordPairState(aId: string, bId: string, state: PairState, now: number, by?: string): Set<string> {
    return recordPairState(this.room, aId, bId, state, now, by);
  }

  /**
   * Recomputes one person's list (stable: only clear improvements replace entries) and lets
   * them into other lists where they clearly help. For time-driven changes, such as someone
   * reaching the edges after `edgeMinutes`.
   */
  updateFor(id: string, now: number): Set<string> {
    return updateFor(this.room, id, now);
  }

  /**
   * Restores the lists that were live before a restart, so a rebuild does not reshuffle
   * what people see. Entries that break a rule or a cap are skipped.
   */
  restoreList(ownerId: string, entries: readonly { targetId: string; since: number }[], now: number): void {
    restoreList(this.room, ownerId, entries, now);
  }

  /**
   * Recomputes every list for quality under the caps:
   *  1. pinned pairs, whatever the caps;
   *  2. an auction over each person's best candidate arcs (see pass/auction.ts), the people
   *     at the edges bidding first; current entries bid at their replacement threshold, so
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
    return startPass(this.room, now, mode.full === true);
  }

  // ---------------------------------------------------------------- reading

  /** The person's current suggestions, in display order, with fresh scores and reasons. */
  listFor(id: string, now: number = this.room.lastNow): Suggestion[] {
    return cardsFor(this.room, id, now);
  }

  /** The pair's score in points, or null when the pair may not be suggested. */
  pairScore(aId: string, bId: string, now: number = this.room.lastNow): number | null {
    const s = this.room;
    const a = s.byId.get(aId);
    const b = s.byId.get(bId);
    if (a === undefined || b === undefined) return null;
    const ra = s.recs[a]!;
    const rb = s.recs[b]!;
    if (!compatible(s, ra, rb)) return null;
    return toPoints(pairUnits(s, ra, rb, needsSlot(s, ra, now), needsSlot(s, rb, now)));
  }

  /** Whether B may appear in A's list at all (both present, not opted out, no final state). */
  canSuggest(aId: string, bId: string): boolean {
    const s = this.room;
    const a = s.byId.get(aId);
    const b = s.byId.get(bId);
    return a !== undefined && b !== undefined && compatible(s, s.recs[a]!, s.recs[b]!);
  }

  /** Is this person at the edges now: a first-timer, or waiting with no accepted suggestion. */
  atEdges(id: string, now: number = this.room.lastNow): boolean {
    const s = this.room;
    const i = s.byId.get(id);
    return i !== undefined && eligible(s.recs[i]!) && needsSlot(s, s.recs[i]!, now);
  }

  exposureOf(id: string): Exposure {
    const s = this.room;
    const i = s.byId.get(id);
    if (i === undefined) return { listed: 0, pinned: 0, overflow: 0 };
    const r = s.recs[i]!;
    return { listed: r.inOwners.length, pinned: r.pinnedIn, overflow: r.overflowIn };
  }

  /** Ids of everyone who can be matched now, in no particular order. */
  presentIds(): string[] {
    const s = this.room;
    return s.present.map((i) => s.recs[i]!.id);
  }

  pairStateOf(aId: string, bId: string): PairState | undefined {
    const s = this.room;
    const a = s.byId.get(aId);
    const b = s.byId.get(bId);
    if (a === undefined || b === undefined) return undefined;
    return s.pairs.get(pairKey(a, b));
  }
}

const never = () => false;
