import {
  compatible,
  eligible,
  F_DIRTY,
  F_LIVE,
  F_NEW,
  F_REDIRTY,
  H_FLAGS,
  HOT,
  buffer,
  inPass,
  removeValue,
  stopTracking,
  type Entry,
  type Rec,
  type Room,
} from '../room';
import { improve } from '../updates';
import { CHUNK_LISTS, CHUNK_WIDEN } from './chunks';
import type { Plan } from './plan';

/**
 * The global pass's end: the plan checked against the state as it is now (updates ran
 * between the pass's steps), in steps; the commit in one go, which re-checks only what
 * touched people hold or are, keeps the lists of owners touched meanwhile and holds the
 * caps counting them; then, in steps, the repair of lists the commit left short.
 */

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

/** Checks the plan, commits it and repairs what it left short, in steps. Returns the ids whose lists changed. */
export function* commitSteps(s: Room, plan: Plan, order: readonly Rec[], edge: Int32Array, n: number): Generator<void, Set<string>, void> {
  const p = s.perPerson;
  const { next, pinnedTaken } = plan;
  // The plan checked against the state now, a few hundred lists a step, so that the
  // commit re-checks only what changes after (see `commitPlan`).
  const check: PlanCheck = {
    n,
    next,
    state: buffer(s, 'plan', n).fill(PLAN_KEEP, 0, n),
    held: buffer(s, 'held', n).fill(0, 0, n),
    linkHead: buffer(s, 'linkHead', n).fill(-1, 0, n),
    linkNext: buffer(s, 'linkNext', order.length * p + pinnedTaken),
    linkOwner: buffer(s, 'linkOwner', order.length * p + pinnedTaken),
    links: 0,
    replacing: [],
    starving: [],
  };
  s.checked = order;
  for (let k = 0; k < order.length; k += CHUNK_LISTS) {
    checkPlan(s, check, order, k, Math.min(order.length, k + CHUNK_LISTS), edge);
    yield;
  }
  const { changed, repair } = commitPlan(s, check);
  // Lists the commit left short, repaired as an update would, on the state as it is then:
  // a few a step, since each looks for candidates. An update since did that already.
  const after = new Set<number>();
  s.touchedAfter = after;
  try {
    for (let k = 0; k < repair.length; k++) {
      if (k % CHUNK_WIDEN === 0) yield;
      const a = repair[k]!;
      // Taking no slots at the cap: the pass has weighed those places.
      if (eligible(a) && !after.has(a.idx)) improve(s, a, s.lastNow, changed, false);
    }
  } finally {
    s.touchedAfter = null;
  }
  return changed;
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
function checkPlan(s: Room, c: PlanCheck, order: readonly Rec[], from: number, to: number, edge: Int32Array) {
  const touched = s.touched!;
  const recs = s.recs;
  const hot = s.hot;
  const { state, held, linkHead, linkNext, linkOwner } = c;
  for (let x = from; x < to; x++) {
    const a = order[x]!;
    const ai = a.idx;
    const h = ai * HOT + H_FLAGS;
    const f = hot[h]!;
    hot[h] = (f & F_REDIRTY) !== 0 ? f & ~F_REDIRTY : f & ~F_DIRTY;
    if (touched.has(ai) || (f & (F_LIVE | F_NEW)) !== F_LIVE || !eligible(a)) continue;
    const fresh = c.next[ai]!;
    if (a.pinned && !pinsAsPlanned(s, a, fresh)) {
      // A pin made or lifted meanwhile touches both people: this only guards.
      touched.add(ai);
      continue;
    }
    let kept = 0;
    for (const e of fresh) {
      if (!inPass(s, e.t) || !compatible(s, a, recs[e.t]!)) continue;
      if (!e.pinned && !e.overflow) held[e.t]!++;
      fresh[kept++] = e;
      linkOwner[c.links] = ai;
      linkNext[c.links] = linkHead[e.t]!;
      linkHead[e.t] = c.links++;
    }
    let verdict = PLAN_SAME;
    if (kept < fresh.length) {
      fresh.length = kept;
      verdict = PLAN_REPAIR;
    }
    const old = a.out;
    if (verdict === PLAN_SAME && fresh.length === old.length) {
      for (let k = 0; verdict === PLAN_SAME && k < fresh.length; k++) {
        const e = fresh[k]!;
        const o = old.find((y) => y.t === e.t);
        // An entry's overflow mark moves a cap count: left to the commit.
        if (!o || o.pinned !== e.pinned || o.overflow !== e.overflow) verdict = PLAN_REPLACE;
      }
    } else if (verdict === PLAN_SAME) verdict = PLAN_REPLACE;
    if (verdict === PLAN_SAME) {
      for (const e of fresh) old.find((y) => y.t === e.t)!.units = e.units;
    } else c.replacing.push(ai);
    state[ai] = verdict;
    if (fresh.length === 0 && edge[ai] === 1) c.starving.push(ai);
  }
}

/** Whether the planned list pins exactly the pinned partners compatible now. */
function pinsAsPlanned(s: Room, a: Rec, fresh: readonly Entry[]): boolean {
  let pins = 0;
  for (const e of fresh) {
    if (!e.pinned) continue;
    if (!a.pinned!.has(e.t)) return false;
    pins++;
  }
  let live = 0;
  for (const bi of a.pinned!) if (compatible(s, a, s.recs[bi]!)) live++;
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
function commitPlan(s: Room, c: PlanCheck): { changed: Set<string>; repair: Rec[] } {
  const m = s.maxExposure;
  const recs = s.recs;
  const touched = s.touched!;
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
      if (inPass(s, x) && compatible(s, a, target) && e.pinned === (a.pinned?.has(x) ?? false)) continue;
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
    const planned = state[ai]!;
    if (planned !== PLAN_REPLACE && planned !== PLAN_REPAIR) continue;
    // Listed once: a list dropped from twice is pushed once, as PLAN_SAME turns PLAN_REPAIR once.
    state[ai] = PLAN_KEEP;
    const a = recs[ai]!;
    if (planned === PLAN_REPAIR) repair.push(a);
    replaceList(s, a, next[ai]!, changed);
  }

  // The starving: those the plan left without anyone, then those the updates keep.
  const kept = [...s.starving].filter((i) => (touched.has(i) || !recs[i]!.ordered) && eligible(recs[i]!));
  s.starving.clear();
  for (const i of c.starving) {
    if (touched.has(i) || recs[i]!.out.length > 0) continue;
    s.starving.add(i);
    // The plan found nobody for them, but the room may have changed since: someone who
    // came in or opted back in meanwhile is looked for now, as an update would.
    if (!repair.includes(recs[i]!)) repair.push(recs[i]!);
  }
  for (const i of kept) s.starving.add(i);

  for (const i of touched) s.hot[i * HOT + H_FLAGS] = (s.hot[i * HOT + H_FLAGS]! | F_DIRTY) & ~F_REDIRTY;
  stopTracking(s);
  return { changed, repair };
}

/**
 * Gives `a` the list `fresh` at a commit, keeping `since` of surviving entries and the
 * reverse index right; a list with the same targets and pins only takes the new scores.
 */
function replaceList(s: Room, a: Rec, fresh: Entry[], changed: Set<string>) {
  const recs = s.recs;
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

