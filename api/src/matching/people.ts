import {
  F_ADJ,
  F_ADJ_WIDE,
  F_HOST,
  F_LIVE,
  F_NEW,
  F_REACH_DIRTY,
  F_REACH_WIDE,
  F_WIDE,
  H_ADJN,
  H_FLAGS,
  HOT,
  INTERESTS,
  MASK_BITS,
  OFFERS,
  OFFERS_TOPIC,
  OFFERS_TWO,
  RECIPROCAL,
  REACH,
  SEEKS,
  SEEKS_TOPIC,
  SEEKS_TWO,
  STRIDE,
  TAG_KEY,
  ADJ_CAP,
  eligible,
  recOf,
  removeValue,
  type Rec,
  type Room,
} from './room';
import type { Person } from './types';

/**
 * People written into the room's state: a `Person` copied onto its record (tags interned,
 * masks written), the indexes candidate lookup reads (postings per tag and per combination
 * of two, hosts, first-timers, everyone present), and acquaintances (the two-way relation,
 * its flat copy in `adjacency`, and the tags acquaintances can introduce one to, `reach`).
 */

function sameNumbers(a: readonly number[], b: readonly number[]) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Copies a Person onto its record and keeps the indexes right. Returns whether what others see of them changed. */
export function assign(s: Room, r: Rec, p: Person, wasEligible: boolean): boolean {
  const newIntent = () => {
    s.offersIdx.push([]);
    s.seeksIdx.push([]);
  };
  const seeks = s.intentTags.intern(p.seeks, newIntent);
  const offers = s.intentTags.intern(p.offers, newIntent);
  const interests = s.interestTags.intern(p.interests, () => s.interestsIdx.push([]));
  const knows: number[] = [];
  for (const k of p.knows) {
    if (k === p.id) continue;
    const i = recOf(s, k).idx;
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
  if (wasEligible && (!willBeEligible || indexedFieldsChanged)) unindexPerson(s, r);
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
  writeMasks(s, r);
  setKnows(s, r, knows);
  s.hot[r.idx * HOT + H_FLAGS]! |= s.dirtyBits;
  if (willBeEligible && !r.indexed) indexPerson(s, r);
  return profileChanged;
}

function writeMasks(s: Room, r: Rec) {
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
    s.hot[base + slot] = lo;
    s.hot[base + slot + 1] = hi;
  };
  put(SEEKS, r.seeks);
  put(OFFERS, r.offers);
  put(INTERESTS, r.interests);
  let f = s.hot[r.idx * HOT + H_FLAGS]! & ~(F_HOST | F_WIDE);
  if (r.host) f |= F_HOST;
  if (wide) f |= F_WIDE;
  s.hot[r.idx * HOT + H_FLAGS] = f;
}

export function setKnows(s: Room, r: Rec, knows: number[]) {
  for (const x of r.declared) {
    if (knows.includes(x)) continue;
    const other = s.recs[x]!;
    if (!other.declared.includes(r.idx)) unlink(s, r, other);
  }
  for (const x of knows) link(s, r, s.recs[x]!);
  r.declared = knows;
}

function link(s: Room, a: Rec, b: Rec) {
  if (a.adj?.has(b.idx)) return;
  (a.adj ??= new Set()).add(b.idx);
  (b.adj ??= new Set()).add(a.idx);
  a.adjList.push(b.idx);
  b.adjList.push(a.idx);
  flatAdjacency(s, a);
  flatAdjacency(s, b);
}

function unlink(s: Room, a: Rec, b: Rec) {
  if (!a.adj?.has(b.idx)) return;
  a.adj.delete(b.idx);
  b.adj?.delete(a.idx);
  a.adjList.splice(a.adjList.indexOf(b.idx), 1);
  b.adjList.splice(b.adjList.indexOf(a.idx), 1);
  flatAdjacency(s, a);
  flatAdjacency(s, b);
}

function flatAdjacency(s: Room, r: Rec) {
  const n = Math.min(r.adjList.length, ADJ_CAP);
  for (let k = 0; k < n; k++) s.adjacency[r.idx * ADJ_CAP + k] = r.adjList[k]!;
  s.hot[r.idx * HOT + H_ADJN] = n;
  let f = (s.hot[r.idx * HOT + H_FLAGS]! | F_REACH_DIRTY | s.dirtyBits) & ~(F_ADJ | F_ADJ_WIDE);
  if (n > 0) f |= F_ADJ;
  if (r.adjList.length > ADJ_CAP) f |= F_ADJ_WIDE;
  s.hot[r.idx * HOT + H_FLAGS] = f;
}

/**
 * What this person's present acquaintances offer: the tags they can introduce others to.
 * Rebuilt lazily, since presence changes would otherwise touch every acquaintance's mask.
 */
export function reachOf(s: Room, i: number): number[] {
  const r = s.recs[i]!;
  if ((s.hot[i * HOT + H_FLAGS]! & F_REACH_DIRTY) === 0) return r.reach;
  const tags: number[] = [];
  for (const x of r.adjList) {
    const other = s.recs[x]!;
    if (!eligible(other)) continue;
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
  s.hot[i * STRIDE + REACH] = lo;
  s.hot[i * STRIDE + REACH + 1] = hi;
  let f = s.hot[i * HOT + H_FLAGS]! & ~(F_REACH_DIRTY | F_REACH_WIDE);
  if (wide) f |= F_REACH_WIDE;
  s.hot[i * HOT + H_FLAGS] = f;
  return r.reach;
}

/** Presence or offers changed: acquaintances' reach must be rebuilt. */
function dirtyReach(s: Room, r: Rec) {
  // Their scores move too: they gain or lose an introducer, or someone to connect others to.
  for (const x of r.adjList) s.hot[x * HOT + H_FLAGS]! |= F_REACH_DIRTY | s.dirtyBits;
  s.hot[r.idx * HOT + H_FLAGS]! |= s.dirtyBits;
}

/** The i-th acquaintance in the flat array (i < adjCount). */
export function knownAt(s: Room, r: number, k: number): number {
  return s.adjacency[r * ADJ_CAP + k]!;
}

export function acquainted(s: Room, a: number, b: number): boolean {
  if ((s.hot[a * HOT + H_FLAGS]! & F_ADJ_WIDE) !== 0) return s.recs[a]!.adj!.has(b);
  const base = a * ADJ_CAP;
  const n = s.hot[a * HOT + H_ADJN]!;
  for (let k = 0; k < n; k++) if (s.adjacency[base + k] === b) return true;
  return false;
}

function indexPerson(s: Room, r: Rec) {
  const i = r.idx;
  for (const t of r.offers) s.offersIdx[t]!.push(i);
  for (const t of r.seeks) s.seeksIdx[t]!.push(i);
  for (const t of r.interests) s.interestsIdx[t]!.push(i);
  combos(r, (kind, key) => {
    const list = s.comboIdx[kind]!.get(key);
    if (list) list.push(i);
    else s.comboIdx[kind]!.set(key, [i]);
  });
  if (r.host) s.hosts.push(i);
  if (r.firstTime) s.firstTimers.push(i);
  r.presentPos = s.present.length;
  s.present.push(i);
  r.indexed = true;
  if (!r.ordered && !r.queued) {
    r.queued = true;
    s.unordered.push(i);
  }
  s.hot[i * HOT + H_FLAGS]! |= F_LIVE;
  if (s.touched && (s.hot[i * HOT + H_FLAGS]! & F_NEW) === 0) {
    s.hot[i * HOT + H_FLAGS]! |= F_NEW;
    s.joined.push(i);
  }
  dirtyReach(s, r);
}

/** The combination keys a person is indexed under (see `RECIPROCAL`). */
function combos(r: Rec, visit: (kind: number, key: number) => void) {
  const { offers, seeks, interests } = r;
  for (const o of offers) for (const x of seeks) visit(RECIPROCAL, o * TAG_KEY + x);
  for (let x = 0; x < offers.length; x++) for (let y = x + 1; y < offers.length; y++) visit(OFFERS_TWO, offers[x]! * TAG_KEY + offers[y]!);
  for (let x = 0; x < seeks.length; x++) for (let y = x + 1; y < seeks.length; y++) visit(SEEKS_TWO, seeks[x]! * TAG_KEY + seeks[y]!);
  for (const o of offers) for (const t of interests) visit(OFFERS_TOPIC, o * TAG_KEY + t);
  for (const x of seeks) for (const t of interests) visit(SEEKS_TOPIC, x * TAG_KEY + t);
}

export function unindexPerson(s: Room, r: Rec) {
  if (!r.indexed) return;
  const i = r.idx;
  for (const t of r.offers) removeValue(s.offersIdx[t]!, i);
  for (const t of r.seeks) removeValue(s.seeksIdx[t]!, i);
  for (const t of r.interests) removeValue(s.interestsIdx[t]!, i);
  combos(r, (kind, key) => {
    const list = s.comboIdx[kind]!.get(key);
    if (!list) return;
    removeValue(list, i);
    if (list.length === 0) s.comboIdx[kind]!.delete(key);
  });
  if (r.host) removeValue(s.hosts, i);
  if (r.firstTime) removeValue(s.firstTimers, i);
  const last = s.present.pop()!;
  if (last !== i) {
    s.present[r.presentPos] = last;
    s.recs[last]!.presentPos = r.presentPos;
  }
  r.presentPos = -1;
  r.indexed = false;
  s.hot[i * HOT + H_FLAGS]! &= ~F_LIVE;
  dirtyReach(s, r);
}

