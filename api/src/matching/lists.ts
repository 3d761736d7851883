import { pairUnits } from './pair-score';
import { loadOf, needsSlot, removeValue, touch, type Entry, type Rec, type Room } from './room';

/**
 * Lists and caps: the only places an entry enters or leaves a list outside a global pass's
 * commit, keeping the reverse index (`inOwners`) and the cap counts (pinned, overflow)
 * right. Each list holds at most `perPerson` entries and each person sits in at most
 * `maxExposure` lists; pinned pairs and the overflow of someone at the edges go past them.
 */

export function hasEntry(a: Rec, t: number): boolean {
  for (const e of a.out) if (e.t === t) return true;
  return false;
}

export function addEntry(s: Room, a: Rec, b: Rec, units: number, since: number, pinned: boolean, overflow: boolean) {
  touch(s, a.idx);
  a.out.push({ t: b.idx, units, since, pinned, overflow });
  b.inOwners.push(a.idx);
  if (pinned) b.pinnedIn++;
  if (overflow) b.overflowIn++;
  s.starving.delete(a.idx);
}

/**
 * Takes `t` out of `a`'s list; a freed cap slot legitimises one overflow entry, unless the
 * slot is being freed for someone (`promote` false).
 */
export function removeEntry(s: Room, a: Rec, t: number, promote = true): boolean {
  const k = a.out.findIndex((e) => e.t === t);
  if (k < 0) return false;
  touch(s, a.idx);
  const [e] = a.out.splice(k, 1);
  const b = s.recs[t]!;
  removeValue(b.inOwners, a.idx);
  if (e!.pinned) b.pinnedIn--;
  if (e!.overflow) b.overflowIn--;
  else if (promote) promoteOverflow(s, b);
  return true;
}

function promoteOverflow(s: Room, b: Rec) {
  if (b.overflowIn === 0 || loadOf(b) >= s.maxExposure) return;
  for (const o of b.inOwners) {
    const e = s.recs[o]!.out.find((x) => x.t === b.idx);
    if (e?.overflow) {
      e.overflow = false;
      b.overflowIn--;
      touch(s, o);
      return;
    }
  }
}

export function weakestEntry(a: Rec): Entry | null {
  let w: Entry | null = null;
  for (const e of a.out) {
    if (e.pinned) continue;
    if (!w || e.units < w.units || (e.units === w.units && e.since > w.since)) w = e;
  }
  return w;
}

/** Puts the pair in `a`'s list as pinned; trims the weakest entry if the list is now too long. */
export function pinEntry(s: Room, a: Rec, b: Rec, now: number): boolean {
  const e = a.out.find((x) => x.t === b.idx);
  if (e) {
    if (e.pinned) return false;
    touch(s, a.idx);
    e.pinned = true;
    b.pinnedIn++;
    if (e.overflow) {
      e.overflow = false;
      b.overflowIn--;
    }
  } else {
    addEntry(s, a, b, pairUnits(s, a, b, needsSlot(s, a, now), needsSlot(s, b, now)), now, true, false);
  }
  while (a.out.length > s.perPerson) {
    const w = weakestEntry(a);
    if (!w) break;
    removeEntry(s, a, w.t);
  }
  return true;
}

/** A pin lifted; if the target is now over its cap, the entry goes (its owner gets refilled). */
export function unpinEntry(s: Room, a: Rec, b: Rec, changed: Set<string>) {
  const e = a.out.find((x) => x.t === b.idx);
  if (!e || !e.pinned) return;
  touch(s, a.idx);
  e.pinned = false;
  b.pinnedIn--;
  if (loadOf(b) > s.maxExposure || a.out.length > s.perPerson) {
    removeEntry(s, a, b.idx);
    changed.add(a.id);
  }
}

/**
 * Of the lists whose entry for `b` counts against `b`'s cap (and, with `keepsOthers`, that
 * hold another entry too), the one where that entry is weakest, and the entry's units.
 */
export function weakestShowing(s: Room, b: Rec, keepsOthers: boolean): { owner: Rec; units: number } | null {
  let owner: Rec | null = null;
  let weakest = Infinity;
  for (const o of b.inOwners) {
    const r = s.recs[o]!;
    if (keepsOthers && r.out.length < 2) continue;
    const e = r.out.find((x) => x.t === b.idx)!;
    if (e.pinned || e.overflow) continue;
    if (e.units < weakest) {
      weakest = e.units;
      owner = r;
    }
  }
  return owner ? { owner, units: weakest } : null;
}

/** Frees one of `b`'s cap slots from a list that keeps at least one other entry. */
export function evictFor(s: Room, b: Rec, changed: Set<string>): boolean {
  const weakest = weakestShowing(s, b, true);
  if (!weakest) return false;
  removeEntry(s, weakest.owner, b.idx, false);
  changed.add(weakest.owner.id);
  return true;
}

