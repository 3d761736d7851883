import { scanCompatible, scored, type Scored } from './candidates';
import { addEntry, evictFor, hasEntry, pinEntry, removeEntry, unpinEntry, weakestEntry, weakestShowing } from './lists';
import { pairUnits } from './pair-score';
import { assign, setKnows, unindexPerson } from './people';
import {
  H_FLAGS,
  H_PAIRS,
  HOT,
  compatible,
  eligible,
  isFinal,
  isPinning,
  loadOf,
  needsSlot,
  pairKey,
  recOf,
  touch,
  touchAll,
  type Entry,
  type Rec,
  type Room,
} from './room';
import { replacementThreshold } from './score';
import type { PairState, Person } from './types';

/**
 * Incremental updates: each change the engine hears of (an arrival, a departure, an intent,
 * an answer, time passing, a restored list) applied to the state and repaired around the
 * people it concerns, at a cost that does not grow with the room: their own list, their
 * place in others' lists, and the people at the edges who had nobody.
 */

/** People at the edges served per update when someone compatible appears. */
const STARVING_SCAN = 64;

/** Strong matches at the exposure cap looked at for a list that is still short. */
const AT_CAP_LOOKS = 4;

/** Best matches looked at for the one list that takes in someone nobody else's list took. */
const FALLBACK_OWNERS = 8;

/**
 * Adds or updates a person (arrival, departure, intent change, opt-out) and repairs the
 * lists around them. Returns the ids whose lists changed.
 */
export function upsertPerson(s: Room, p: Person, now: number): Set<string> {
  s.lastNow = now;
  const changed = new Set<string>();
  const r = recOf(s, p.id);
  touch(s, r.idx);
  const wasEligible = eligible(r);
  const profileChanged = assign(s, r, p, wasEligible);
  if (eligible(r)) settle(s, r, now, changed, profileChanged || !wasEligible);
  else if (wasEligible) detach(s, r, now, changed);
  return touchAll(s, changed);
}

/**
 * Loads people without building any list, for a start-up rebuild followed by
 * `restoreList` and `globalPass`.
 */
export function loadPeople(s: Room, people: readonly Person[], now: number): void {
  s.lastNow = now;
  for (const p of people) {
    const r = recOf(s, p.id);
    touch(s, r.idx);
    if (r.out.length > 0 || r.inOwners.length > 0) {
      // Already live: take the careful path.
      upsertPerson(s, p, now);
      continue;
    }
    assign(s, r, p, eligible(r));
  }
}

/** The record of an id seen before, touched for a running pass (undefined for a stranger); notes the time. */
function seenBefore(s: Room, id: string, now: number): Rec | undefined {
  s.lastNow = now;
  const i = s.byId.get(id);
  if (i === undefined) return undefined;
  touch(s, i);
  return s.recs[i]!;
}

/** Forgets a person (deleted from the event). Returns the ids whose lists changed. */
export function removePerson(s: Room, id: string, now: number): Set<string> {
  const changed = new Set<string>();
  const r = seenBefore(s, id, now);
  if (!r) return changed;
  const wasEligible = eligible(r);
  // Gone first, so the lists refilled below cannot take them back.
  r.known = false;
  r.present = false;
  if (wasEligible) detach(s, r, now, changed);
  setKnows(s, r, []);
  changed.delete(id);
  return touchAll(s, changed);
}

/**
 * Records the state of a pair and applies it: final states take the pair out of both
 * lists for good, yes-states pin it in both. `by` is who answered, so they no longer
 * count as waiting alone. Returns the ids whose lists changed.
 */
export function recordPairState(s: Room, aId: string, bId: string, state: PairState, now: number, by?: string): Set<string> {
  s.lastNow = now;
  const changed = new Set<string>();
  if (aId === bId) return changed;
  const a = recOf(s, aId);
  const b = recOf(s, bId);
  touch(s, a.idx);
  touch(s, b.idx);
  const key = pairKey(a.idx, b.idx);
  if (!s.pairs.has(key)) {
    s.hot[a.idx * HOT + H_PAIRS]!++;
    s.hot[b.idx * HOT + H_PAIRS]!++;
  }
  s.pairs.set(key, state);
  s.hot[a.idx * HOT + H_FLAGS]! |= s.dirtyBits;
  s.hot[b.idx * HOT + H_FLAGS]! |= s.dirtyBits;
  if (state === 'mutual') {
    a.saidYes = true;
    b.saidYes = true;
  } else if (state === 'accepted_by_one' && (by === aId || by === bId)) {
    (by === aId ? a : b).saidYes = true;
  }

  if (isPinning(state)) {
    (a.pinned ??= new Set()).add(b.idx);
    (b.pinned ??= new Set()).add(a.idx);
    if (compatible(s, a, b)) {
      if (pinEntry(s, a, b, now)) changed.add(a.id);
      if (pinEntry(s, b, a, now)) changed.add(b.id);
    }
  } else {
    a.pinned?.delete(b.idx);
    b.pinned?.delete(a.idx);
    unpinEntry(s, a, b, changed);
    unpinEntry(s, b, a, changed);
    if (isFinal(state)) {
      if (removeEntry(s, a, b.idx)) changed.add(a.id);
      if (removeEntry(s, b, a.idx)) changed.add(b.id);
    }
  }
  for (const r of [a, b]) if (eligible(r)) improve(s, r, now, changed);
  if (!isFinal(state)) {
    for (const r of [a, b]) if (eligible(r)) serveStarving(s, r, now, changed);
  }
  return touchAll(s, changed);
}

/**
 * Recomputes one person's list (stable: only clear improvements replace entries) and lets
 * them into other lists where they clearly help. For time-driven changes, such as someone
 * reaching the edges after `edgeMinutes`.
 */
export function updateFor(s: Room, id: string, now: number): Set<string> {
  const changed = new Set<string>();
  const r = seenBefore(s, id, now);
  if (!r) return changed;
  if (eligible(r)) settle(s, r, now, changed, false);
  return touchAll(s, changed);
}

/**
 * Restores the lists that were live before a restart, so a rebuild does not reshuffle
 * what people see. Entries that break a rule or a cap are skipped.
 */
export function restoreList(s: Room, ownerId: string, entries: readonly { targetId: string; since: number }[], now: number): void {
  s.lastNow = now;
  const a = s.byId.get(ownerId);
  if (a === undefined) return;
  const owner = s.recs[a]!;
  touch(s, a);
  if (!eligible(owner)) return;
  const edge = needsSlot(s, owner, now);
  for (const { targetId, since } of entries) {
    const t = s.byId.get(targetId);
    if (t === undefined) continue;
    const target = s.recs[t]!;
    if (!compatible(s, owner, target) || hasEntry(owner, t)) continue;
    const pinned = owner.pinned?.has(t) ?? false;
    if (!pinned && (owner.out.length >= s.perPerson || loadOf(target) >= s.maxExposure)) continue;
    addEntry(s, owner, target, pairUnits(s, owner, target, edge, needsSlot(s, target, now)), since, pinned, false);
  }
}

/** After a person's arrival or change: their own list, their place in others', the starving. */
function settle(s: Room, r: Rec, now: number, changed: Set<string>, profileChanged: boolean) {
  const weakened: Rec[] = [];
  if (profileChanged) {
    // Cards that show this person carry reasons made from their profile.
    for (const o of r.inOwners) {
      const owner = s.recs[o]!;
      const e = owner.out.find((x) => x.t === r.idx)!;
      const u = pairUnits(s, owner, r, needsSlot(s, owner, now), needsSlot(s, r, now));
      if (u < e.units) weakened.push(owner);
      e.units = u;
      changed.add(owner.id);
    }
  }
  const cands = improve(s, r, now, changed);
  offerSelf(s, r, cands, now, changed);
  serveStarving(s, r, now, changed);
  for (const o of weakened) if (eligible(o)) improve(s, o, now, changed);
}

/**
 * Repairs and improves one list: drops what is no longer allowed, restores pinned pairs,
 * fills free slots, replaces entries only when clearly beaten, and guarantees a first
 * suggestion to someone at the edges. Returns the scored candidates for reuse.
 *
 * `takeSlots`: a list still short may take slots at the cap (see `takeSlotsAtCap`). Off for
 * the lists that gave way to it, and for the repairs after a pass's commit, whose places
 * the pass has weighed already.
 */
export function improve(s: Room, a: Rec, now: number, changed: Set<string>, takeSlots = true): Scored {
  const p = s.perPerson;
  const m = s.maxExposure;
  const edgeA = needsSlot(s, a, now);
  let modified = false;
  for (const e of [...a.out]) {
    if (!compatible(s, a, s.recs[e.t]!)) {
      removeEntry(s, a, e.t);
      modified = true;
    }
  }
  // A place past the cap is only for someone at the edges with nothing else.
  for (const e of [...a.out]) {
    if (!e.overflow) continue;
    const b = s.recs[e.t]!;
    if (loadOf(b) < m) {
      touch(s, a.idx);
      e.overflow = false;
      b.overflowIn--;
    } else if (!edgeA || a.out.length > 1) {
      removeEntry(s, a, e.t);
      modified = true;
    }
  }
  if (a.pinned) {
    for (const bi of a.pinned) {
      const b = s.recs[bi]!;
      if (!compatible(s, a, b)) continue;
      if (pinEntry(s, a, b, now)) modified = true;
      if (pinEntry(s, b, a, now)) changed.add(b.id);
    }
  }
  for (const e of a.out) e.units = pairUnits(s, a, s.recs[e.t]!, edgeA, needsSlot(s, s.recs[e.t]!, now));
  while (a.out.length > p) {
    const w = weakestEntry(a);
    if (!w) break;
    removeEntry(s, a, w.t);
    modified = true;
  }

  const cands = scored(s, a, now, edgeA);
  const { ids, units } = cands;
  let next = 0;
  while (a.out.length < p) {
    next = nextFree(s, ids, next);
    if (next >= ids.length || units[next]! <= 0) break;
    addEntry(s, a, s.recs[ids[next]!]!, units[next]!, now, false, false);
    next++;
    modified = true;
  }
  for (;;) {
    const w = weakestEntry(a);
    next = nextFree(s, ids, next);
    if (!w || next >= ids.length || units[next]! < replacementThreshold(w.units)) break;
    removeEntry(s, a, w.t);
    addEntry(s, a, s.recs[ids[next]!]!, units[next]!, now, false, false);
    next++;
    modified = true;
  }
  if (takeSlots && a.out.length < p && takeSlotsAtCap(s, a, cands, now, changed)) modified = true;
  if (a.out.length === 0 && edgeA && guarantee(s, a, cands, now, changed)) modified = true;
  if (a.out.length === 0 && edgeA) s.starving.add(a.idx);
  else s.starving.delete(a.idx);
  if (modified) changed.add(a.id);
  return cands;
}

/**
 * Fills what is still free in `a`'s list with strong matches who are at the exposure cap:
 * each takes the place of the weakest entry that shows them in another list, when `a`'s
 * match is clearly better than that one. So someone who arrives with a fitting intent is not
 * left with nobody because the people they should meet are already listed by people who
 * merely fit anyone (a newcomer with no intent yet, say); the list that gave way refills at
 * once, and someone at the edges still gets their guaranteed first suggestion.
 */
function takeSlotsAtCap(s: Room, a: Rec, cands: Scored, now: number, changed: Set<string>): boolean {
  const { ids, units } = cands;
  const refill: Rec[] = [];
  for (let c = 0, looked = 0; c < ids.length && a.out.length < s.perPerson && looked < AT_CAP_LOOKS; c++) {
    const u = units[c]!;
    if (u <= 0) break;
    const b = s.recs[ids[c]!]!;
    if (loadOf(b) < s.maxExposure || hasEntry(a, b.idx)) continue;
    looked++;
    const weakest = weakestShowing(s, b, false);
    if (!weakest || u < replacementThreshold(weakest.units)) continue;
    removeEntry(s, weakest.owner, b.idx, false);
    changed.add(weakest.owner.id);
    addEntry(s, a, b, u, now, false, false);
    refill.push(weakest.owner);
  }
  // The lists that gave way refill at once, taking no slots themselves.
  for (const o of refill) if (eligible(o)) improve(s, o, now, changed, false);
  return refill.length > 0;
}

/** The first of `ids` from `from` on who has room under the exposure cap, or `ids.length`. */
function nextFree(s: Room, ids: readonly number[], from: number): number {
  let c = from;
  while (c < ids.length && loadOf(s.recs[ids[c]!]!) >= s.maxExposure) c++;
  return c;
}

/**
 * The first suggestion of someone at the edges: the best candidate with room; else anyone
 * compatible with room; else a slot taken from a list that keeps others; else past the
 * cap (overflow). Fails only when nobody compatible is present.
 */
function guarantee(s: Room, a: Rec, cands: Scored, now: number, changed: Set<string>): boolean {
  const m = s.maxExposure;
  const { ids, units } = cands;
  const place = (b: Rec, overflow: boolean) =>
    addEntry(s, a, b, pairUnits(s, a, b, true, needsSlot(s, b, now)), now, false, overflow);
  for (let c = 0; c < ids.length; c++) {
    const b = s.recs[ids[c]!]!;
    if (loadOf(b) < m) {
      addEntry(s, a, b, units[c]!, now, false, false);
      return true;
    }
  }
  const roomy = scanCompatible(s, a, (b) => loadOf(b) < m);
  if (roomy) {
    place(roomy, false);
    return true;
  }
  const pool = ids.length > 0 ? ids.map((i) => s.recs[i]!) : [scanCompatible(s, a, () => true)].filter((x) => x !== null);
  for (const b of pool) {
    if (evictFor(s, b, changed)) {
      place(b, false);
      return true;
    }
  }
  const first = pool[0];
  if (!first) return false;
  place(first, true);
  return true;
}

/**
 * Enters the lists of good matches that have a free slot or a clearly weaker entry. The
 * people in `a`'s own list count too: `gather` leaves them out of `cands`, and they are
 * often the best matches of all (a newcomer whose intent arrives after their check-in
 * already lists the people it now fits best).
 *
 * Someone who enters nobody's list that way (in a full room, every list holds someone
 * better) still reaches one person at once: the best of their matches whose weakest entry
 * another list shows too takes them in its place. The people already in the room are the
 * ones a newcomer should meet, and the next global pass is up to a period away; and nobody
 * is made invisible for it.
 */
function offerSelf(s: Room, a: Rec, cands: Scored, now: number, changed: Set<string>) {
  const m = s.maxExposure;
  const { ids, units } = cands;
  const own = a.out.filter((e) => !e.overflow && e.units > 0).sort((x, y) => y.units - x.units || s.recs[x.t]!.rank - s.recs[y.t]!.rank);
  // Full lists whose weakest entry did not give way, best match first: the fallback.
  const passedOver: { o: Rec; u: number; w: Entry }[] = [];
  let c = 0;
  let k = 0;
  for (;;) {
    if (loadOf(a) >= m) return;
    // Merge the two lists, best first.
    const fromOwn = k < own.length && (c >= ids.length || own[k]!.units >= units[c]!);
    if (!fromOwn && c >= ids.length) break;
    const u = fromOwn ? own[k]!.units : units[c]!;
    const o = s.recs[fromOwn ? own[k++]!.t : ids[c++]!]!;
    if (u <= 0) break;
    if (hasEntry(o, a.idx)) continue;
    if (o.out.length < s.perPerson) {
      addEntry(s, o, a, u, now, false, false);
      changed.add(o.id);
      continue;
    }
    const w = weakestEntry(o);
    if (w && u >= replacementThreshold(w.units)) {
      removeEntry(s, o, w.t);
      addEntry(s, o, a, u, now, false, false);
      changed.add(o.id);
    } else if (w && passedOver.length < FALLBACK_OWNERS) passedOver.push({ o, u, w });
  }
  if (a.inOwners.length > 0) return;
  // Each list passed over is untouched since (it did not take `a`): its weakest entry stands.
  const taker = passedOver.find(({ w }) => s.recs[w.t]!.inOwners.length > 1);
  if (!taker) return;
  removeEntry(s, taker.o, taker.w.t);
  addEntry(s, taker.o, a, taker.u, now, false, false);
  changed.add(taker.o.id);
}

/** Someone compatible just appeared for people at the edges who had nobody: they get them. */
function serveStarving(s: Room, x: Rec, now: number, changed: Set<string>) {
  if (s.starving.size === 0) return;
  let seen = 0;
  for (const i of [...s.starving]) {
    if (++seen > STARVING_SCAN) break;
    const r = s.recs[i]!;
    if (!eligible(r) || r.out.length > 0 || !needsSlot(s, r, now)) {
      s.starving.delete(i);
      continue;
    }
    if (!compatible(s, r, x)) continue;
    const roomy = loadOf(x) < s.maxExposure || evictFor(s, x, changed);
    addEntry(s, r, x, pairUnits(s, r, x, true, needsSlot(s, x, now)), now, false, !roomy);
    changed.add(r.id);
  }
}

/** A person leaves matching: their list goes, they leave every list, those lists refill. */
function detach(s: Room, r: Rec, now: number, changed: Set<string>) {
  s.starving.delete(r.idx);
  if (r.out.length > 0) {
    for (const e of [...r.out]) removeEntry(s, r, e.t);
    changed.add(r.id);
  }
  const owners = [...r.inOwners].map((o) => s.recs[o]!);
  for (const o of owners) {
    removeEntry(s, o, r.idx);
    changed.add(o.id);
  }
  unindexPerson(s, r);
  for (const o of owners) if (eligible(o)) improve(s, o, now, changed);
}

