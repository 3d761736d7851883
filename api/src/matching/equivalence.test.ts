import type { Topic } from '@edgewise/shared';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../../../tests/bench/lib/rng';
import { FrozenMatchingEngine } from '../../../tests/fixtures/matching/engine-before-split';
import { MatchingEngine } from './engine';
import { T0, minutes } from './testing';
import type { CandidateBudget, MatchingOptions, PairState, Person } from './types';

/**
 * The engine against its frozen reference (tests/fixtures/matching/engine-before-split.ts,
 * the one-file engine before it was split into modules): both are driven through the same
 * seeded rooms with churn (arrivals of people never seen, departures, returns, intent and
 * profile changes, acquaintances, opt-outs, answers of every kind, updates, removals,
 * restored lists, global passes in one go, full and stepped with changes between steps,
 * cancelled passes, settings changes that rebuild the engine as the worker does) and every
 * output must be the same: what each call returns (the changed ids, in order), every list
 * with its scores, reasons, times, states and pins, exposure, edges, pair scores and
 * states, who is present, and the errors thrown. A change meant to keep behaviour keeps
 * this green; a change of behaviour retires the reference.
 */

type Engine = Pick<
  MatchingEngine,
  | 'upsertPerson'
  | 'loadPeople'
  | 'removePerson'
  | 'recordPairState'
  | 'updateFor'
  | 'restoreList'
  | 'globalPass'
  | 'startPass'
  | 'listFor'
  | 'pairScore'
  | 'canSuggest'
  | 'atEdges'
  | 'exposureOf'
  | 'presentIds'
  | 'pairStateOf'
>;
type Run = ReturnType<Engine['startPass']>;

/** The same rooms on every run. */
function rngOf(seed: number) {
  const next = seededRng(seed);
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, chance: (p: number) => next() < p, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)]! };
}
type Rng = ReturnType<typeof rngOf>;

interface Shape {
  name: string;
  people: number;
  ops: number;
  /** Intent and interest vocabularies: above 64 tags the engine's masks go wide. */
  intentTags: number;
  interestTags: number;
  perPerson: number;
  maxExposure: number;
  edgeMinutes: number;
  /** Some people know more than the 16 acquaintances the flat array holds. */
  wideCircles: boolean;
  topics: boolean;
  budget?: Partial<CandidateBudget>;
  /** Answers are mostly final (declined, met) and people come and go: many wait with nobody. */
  lonely?: boolean;
  /** Ops between two full comparisons of every output. */
  snapshotEvery: number;
}

const ROLES = ['Designer', 'Engineer', 'Founder', 'Investor', 'Student'];
const STATES: PairState[] = ['proposed', 'accepted_by_one', 'mutual', 'declined', 'met', 'expired'];
const intentId = (t: number) => `topic-${t}`;
const topicsOf = (n: number): Topic[] =>
  Array.from({ length: Math.min(n, 40) }, (_, t) => ({
    id: intentId(t),
    seekLabel: `Need ${t}`,
    offerLabel: t % 3 === 0 ? `Need ${t}` : `I give ${t}`,
  }));

class Churn {
  readonly rng: Rng;
  readonly people = new Map<string, Person>();
  readonly pairs = new Map<string, { a: string; b: string; state: PairState; by?: string }>();
  now = T0 + minutes(45);
  private nextId = 0;
  options: MatchingOptions;
  old: Engine;
  sut: Engine;
  observations = 0;

  constructor(
    readonly shape: Shape,
    seed: number,
  ) {
    this.rng = rngOf(seed);
    this.options = {
      perPerson: shape.perPerson,
      maxExposure: shape.maxExposure,
      edgeMinutes: shape.edgeMinutes,
      seed: seed * 7919,
      budget: shape.budget,
      topics: shape.topics ? topicsOf(shape.intentTags) : undefined,
    };
    this.old = new FrozenMatchingEngine(this.options);
    this.sut = new MatchingEngine(this.options);
  }

  /** Both engines' answers to the same call must be the same (sets compared in order). */
  same<T>(label: string, call: (e: Engine) => T): T {
    const outcome = (e: Engine) => {
      try {
        const v = call(e);
        return { v, s: JSON.stringify(v instanceof Set ? [...v] : v) };
      } catch (err) {
        return { v: undefined as T, s: `throws ${(err as Error).message}` };
      }
    };
    const a = outcome(this.old);
    const b = outcome(this.sut);
    this.observations++;
    if (a.s !== b.s) expect(b.s, `${this.shape.name}: ${label}`).toEqual(a.s);
    return a.v;
  }

  private tags(prefix: 'intent' | 'interest', max: number): string[] {
    const n = prefix === 'intent' ? this.shape.intentTags : this.shape.interestTags;
    const out: string[] = [];
    const count = this.rng.int(max + 1);
    for (let k = 0; k < count; k++) {
      // Popular tags often, the long tail sometimes.
      const t = this.rng.chance(0.7) ? this.rng.int(Math.min(n, 8)) : this.rng.int(n);
      const id = prefix === 'intent' ? intentId(t) : `Theme ${t}`;
      // Interning trims and folds case, and skips blanks.
      out.push(this.rng.chance(0.05) ? ` ${id.toUpperCase()} ` : this.rng.chance(0.02) ? '  ' : id);
    }
    return out;
  }

  /** Everyone the room has had, in order of arrival (some since removed). */
  private readonly everyone: string[] = [];

  private knows(id: string): string[] {
    const ids = this.everyone;
    const wide = this.shape.wideCircles && this.rng.chance(0.04);
    const count = wide ? 17 + this.rng.int(8) : this.rng.chance(0.6) ? 0 : 1 + this.rng.int(3);
    const out: string[] = [];
    for (let k = 0; k < count; k++) {
      // Someone not (yet) in the room, themselves, or a repeat, now and then.
      if (this.rng.chance(0.1)) out.push(`ghost-${this.rng.int(20)}`);
      else if (this.rng.chance(0.02)) out.push(id);
      else if (ids.length > 0) out.push(this.rng.pick(ids));
    }
    return out;
  }

  aGuest(id: string, present = this.rng.chance(0.85)): Person {
    const r = this.rng;
    return {
      id,
      name: r.chance(0.9) ? `Guest ${id}` : undefined,
      role: r.chance(0.5) ? r.pick(ROLES) : undefined,
      seeks: r.chance(0.15) ? [] : this.tags('intent', 3),
      offers: r.chance(0.2) ? [] : this.tags('intent', 2),
      interests: this.tags('interest', 3),
      firstTime: r.chance(this.shape.lonely ? 0.6 : 0.25),
      host: r.chance(0.08),
      present,
      arrivedAt: this.now - minutes(r.int(40)),
      hasAccepted: r.chance(0.3),
      knows: this.knows(id),
      optedOut: r.chance(0.04),
    };
  }

  private newId() {
    const id = `g${this.nextId++}`;
    this.everyone.push(id);
    return id;
  }

  /** Someone in the room, present or not (a removed person, now and then). */
  private someone(): Person | undefined {
    for (let tries = 0; tries < 4 && this.everyone.length > 0; tries++) {
      const p = this.people.get(this.rng.pick(this.everyone));
      if (p) return p;
    }
    return undefined;
  }

  /** A pair to answer: mostly from someone's list, as people answer their cards. */
  private somePair(): [string, string] | undefined {
    const a = this.someone();
    if (!a) return undefined;
    const list = this.same(`list of ${a.id}`, (e) => e.listFor(a.id, this.now));
    if (list.length > 0 && this.rng.chance(0.75)) return [a.id, this.rng.pick(list).targetId];
    const b = this.someone();
    return b ? [a.id, b.id] : undefined;
  }

  /** Compares what a live caller would read after a change: the lists of who it changed. */
  private lists(label: string, ids: Iterable<string>) {
    for (const id of ids) this.same(`${label}: list of ${id}`, (e) => [e.listFor(id, this.now), e.exposureOf(id)]);
  }

  /** Every output, for everyone (and someone unknown). */
  snapshot(label: string) {
    const ids = [...this.people.keys(), 'nobody'];
    this.same(`${label}: present`, (e) => e.presentIds());
    for (const [k, id] of ids.entries()) {
      this.same(`${label}: ${id}`, (e) => ({
        list: e.listFor(id, this.now),
        // At the time of the last call, for a few.
        listLast: k % 8 === 0 ? e.listFor(id) : null,
        exposure: e.exposureOf(id),
        edges: e.atEdges(id, this.now),
        edgesLast: e.atEdges(id),
      }));
    }
    for (let k = 0; k < Math.min(60, ids.length); k++) {
      const a = this.rng.pick(ids);
      const b = this.rng.pick(ids);
      this.same(`${label}: pair ${a} ${b}`, (e) => ({
        score: e.pairScore(a, b, this.now),
        scoreLast: e.pairScore(a, b),
        can: e.canSuggest(a, b),
        state: e.pairStateOf(a, b) ?? null,
      }));
    }
  }

  /** One change of the room, applied to both engines; returns the ids it reported. */
  change(label: string, withPasses = true): string[] {
    const r = this.rng;
    // In a lonely room, answers take the place of most arrivals.
    const x = this.shape.lonely && r.chance(0.6) ? 56 + r.int(17) : r.int(100);
    const upsert = (p: Person) => {
      this.people.set(p.id, p);
      return [...this.same(`${label}: upsert ${p.id}`, (e) => e.upsertPerson(p, this.now)), p.id];
    };
    if (x < 16) return upsert({ ...this.aGuest(this.newId(), true), arrivedAt: this.now });
    if (x < 18) {
      // Someone removed comes back.
      const gone = this.everyone.find((id) => !this.people.has(id) && r.chance(0.3));
      return upsert({ ...this.aGuest(gone ?? this.newId(), true), arrivedAt: this.now });
    }
    const p = this.someone();
    if (!p) return upsert(this.aGuest(this.newId(), true));
    if (x < 28 || (this.shape.lonely && x < 40)) return upsert({ ...p, present: false });
    if (x < 34) return upsert({ ...p, present: true, arrivedAt: this.now - minutes(r.int(3)) });
    if (x < 42) return upsert({ ...p, seeks: this.tags('intent', 3), offers: this.tags('intent', 2), interests: this.tags('interest', 3) });
    if (x < 45) return upsert({ ...p, name: r.chance(0.5) ? `Renamed ${p.id}` : undefined, role: r.pick([...ROLES, undefined]), host: r.chance(0.3), firstTime: r.chance(0.3) });
    if (x < 48) return upsert({ ...p, knows: this.knows(p.id) });
    if (x < 51) return upsert({ ...p, optedOut: !p.optedOut });
    if (x < 53) return upsert({ ...p, hasAccepted: !p.hasAccepted, arrivedAt: this.now - minutes(r.int(30)) });
    if (x < 55) {
      // Loading people some of whom are live already takes the careful path for them.
      const batch = [{ ...p, seeks: this.tags('intent', 2) }, { ...this.aGuest(this.newId()), arrivedAt: this.now }];
      for (const q of batch) this.people.set(q.id, q);
      this.same(`${label}: load ${batch.map((q) => q.id).join(' ')}`, (e) => e.loadPeople(batch, this.now));
      return batch.map((q) => q.id);
    }
    if (x < 73) {
      const pair = this.somePair();
      if (!pair) return [];
      const [a, b] = pair;
      const state = this.shape.lonely && r.chance(0.7) ? r.pick(['declined', 'met'] as const) : r.pick(STATES);
      const by = r.pick([a, b, a, b, undefined, 'nobody']);
      if (a !== b) this.pairs.set(a < b ? `${a}|${b}` : `${b}|${a}`, { a, b, state, by });
      return [a, b, ...this.same(`${label}: pair ${a} ${b} ${state}`, (e) => e.recordPairState(a, b, state, this.now, by))];
    }
    if (x < 80) {
      const id = r.chance(0.05) ? 'nobody' : p.id;
      return [id, ...this.same(`${label}: update ${id}`, (e) => e.updateFor(id, this.now))];
    }
    if (x < 83) {
      const id = r.chance(0.1) ? 'nobody' : p.id;
      this.people.delete(id);
      return [id, ...this.same(`${label}: remove ${id}`, (e) => e.removePerson(id, this.now))];
    }
    if (!withPasses) return [];
    if (x < 90) {
      const full = r.chance(0.25);
      return [...this.same(`${label}: global pass${full ? ' (full)' : ''}`, (e) => e.globalPass(this.now, { full }))];
    }
    if (x < 98) return this.steppedPass(label);
    this.rebuild(label);
    return [];
  }

  /**
   * A pass in steps with changes between them, paused at every checkpoint or at random
   * ones; now and then cancelled, or asked for a second pass while it runs.
   */
  private steppedPass(label: string): string[] {
    const r = this.rng;
    const full = r.chance(0.2);
    const runs = new Map<Engine, Run>();
    this.same(`${label}: start a stepped pass`, (e) => {
      runs.set(e, e.startPass(this.now, { full }));
      return null;
    });
    const everyCheckpoint = r.chance(0.5);
    const pauses = Array.from({ length: 1 + r.int(6) }, () => r.chance(0.5));
    const cancelAt = r.chance(0.15) ? 1 + r.int(20) : -1;
    const touched: string[] = [];
    for (let step = 1; ; step++) {
      let c = 0;
      const pause = everyCheckpoint ? () => true : () => pauses[c++ % pauses.length]!;
      const changed = this.same(`${label}: step ${step}`, (e) => {
        c = 0;
        return runs.get(e)!.step(pause);
      });
      if (changed) return [...touched, ...changed];
      if (step === cancelAt) {
        this.same(`${label}: cancel at step ${step}`, (e) => {
          runs.get(e)!.cancel();
          return null;
        });
        this.same(`${label}: step after cancel`, (e) => runs.get(e)!.step(() => true));
        return touched;
      }
      if (r.chance(0.05)) this.same(`${label}: second pass`, (e) => e.startPass(this.now) && null);
      if (r.chance(0.05)) this.same(`${label}: pass in one go`, (e) => e.globalPass(this.now));
      const changes = r.int(3);
      for (let k = 0; k < changes; k++) {
        const ids = this.change(`${label} step ${step} change ${k}`, false);
        this.lists(`${label} step ${step} change ${k}`, ids);
        touched.push(...ids);
      }
    }
  }

  /** A settings change: the worker builds a new engine from the state and the lists people see. */
  rebuild(label: string) {
    const r = this.rng;
    const restored = [...this.people.keys()].map((id) => ({
      ownerId: id,
      entries: [
        ...this.same(`${label}: list of ${id}`, (e) => e.listFor(id, this.now)).map((s) => ({ targetId: s.targetId, since: s.since })),
        ...(r.chance(0.05) ? [{ targetId: this.someone()!.id, since: this.now }] : []),
      ],
    }));
    this.options = {
      ...this.options,
      perPerson: 1 + r.int(4),
      maxExposure: 1 + r.int(6),
      edgeMinutes: r.pick([0, 5, 10, 30]),
    };
    this.old = new FrozenMatchingEngine(this.options);
    this.sut = new MatchingEngine(this.options);
    for (const p of this.pairs.values()) this.same(`${label}: rebuild pair`, (e) => e.recordPairState(p.a, p.b, p.state, this.now, p.by));
    this.same(`${label}: rebuild load`, (e) => e.loadPeople([...this.people.values()], this.now));
    for (const l of restored) this.same(`${label}: restore ${l.ownerId}`, (e) => e.restoreList(l.ownerId, l.entries, this.now));
    const unlisted = [...this.people.keys()].filter((id) => this.same(`${label}: list of ${id}`, (e) => e.listFor(id, this.now)).length === 0);
    if (r.chance(0.3)) this.same(`${label}: rebuild pass`, (e) => e.globalPass(this.now));
    else for (const id of unlisted) this.same(`${label}: rebuild update ${id}`, (e) => e.updateFor(id, this.now));
  }

  play() {
    const guests = Array.from({ length: this.shape.people }, () => this.aGuest(this.newId()));
    for (const p of guests) this.people.set(p.id, p);
    // Half the rooms start as a restart does (load, then a pass), half by check-ins.
    if (this.rng.chance(0.5)) {
      this.same('load', (e) => e.loadPeople(guests, this.now));
      this.same('first pass', (e) => e.globalPass(this.now));
    } else {
      for (const p of guests) this.same(`check-in ${p.id}`, (e) => e.upsertPerson(p, this.now));
    }
    this.snapshot('start');
    for (let k = 0; k < this.shape.ops; k++) {
      // Time moves on, so people reach the edges.
      this.now += this.rng.int(4) * 30_000;
      const ids = this.change(`op ${k}`);
      this.lists(`op ${k}`, ids);
      if (k % this.shape.snapshotEvery === this.shape.snapshotEvery - 1) this.snapshot(`after op ${k}`);
      // What no list shows (a place past the cap becoming an ordinary one): in small rooms, after every change.
      else if (this.everyone.length <= 60) this.same(`after op ${k}: exposure`, (e) => this.everyone.map((id) => e.exposureOf(id)));
    }
    // Every room ends with a pass in steps, with changes between them.
    this.lists('last pass', this.steppedPass('last pass'));
    this.snapshot('end');
  }
}

const small = (k: number): Shape => ({
  name: `small room ${k}`,
  people: 4 + (k % 9) * 4,
  ops: 40,
  intentTags: 3 + (k % 6),
  interestTags: 2 + (k % 4),
  perPerson: 1 + (k % 3),
  maxExposure: 1 + (k % 4),
  edgeMinutes: [0, 10, 20][k % 3]!,
  wideCircles: k % 4 === 1,
  topics: k % 2 === 0,
  budget: k % 5 === 4 ? { reciprocal: 3, combined: 2, oneWay: 2, interests: 2, routing: 1, introductions: 1, fallback: 2, perPostingList: 2 } : undefined,
  lonely: k % 6 === 5,
  snapshotEvery: 7,
});

const larger: Shape[] = [
  { name: 'a busy room', people: 400, ops: 40, intentTags: 14, interestTags: 8, perPerson: 3, maxExposure: 5, edgeMinutes: 10, wideCircles: true, topics: true, snapshotEvery: 30 },
  { name: 'wide tags', people: 300, ops: 40, intentTags: 90, interestTags: 75, perPerson: 3, maxExposure: 3, edgeMinutes: 5, wideCircles: true, topics: false, snapshotEvery: 30 },
  { name: 'scarce room', people: 200, ops: 40, intentTags: 5, interestTags: 3, perPerson: 2, maxExposure: 1, edgeMinutes: 0, wideCircles: false, topics: true, snapshotEvery: 30 },
  // One suggestion each and one list each: the edges' guaranteed slot goes past the cap.
  { name: 'crowded room', people: 120, ops: 80, intentTags: 4, interestTags: 2, perPerson: 1, maxExposure: 1, edgeMinutes: 0, wideCircles: false, topics: false, snapshotEvery: 20 },
  { name: 'lonely room', people: 10, ops: 300, intentTags: 4, interestTags: 2, perPerson: 2, maxExposure: 1, edgeMinutes: 0, wideCircles: false, topics: false, lonely: true, snapshotEvery: 25 },
  { name: 'past the checkpoints', people: 1300, ops: 8, intentTags: 20, interestTags: 10, perPerson: 3, maxExposure: 4, edgeMinutes: 10, wideCircles: true, topics: true, snapshotEvery: 100 },
];

/** Generous: a few seconds on a quiet machine, and CI machines are shared. */
const SLOW = 60_000;

describe('the matching engine against its frozen reference', () => {
  it('gives the same outputs in small rooms with churn', () => {
    let observations = 0;
    for (let k = 0; k < 14; k++) {
      const churn = new Churn(small(k), 1000 + k);
      churn.play();
      observations += churn.observations;
    }
    expect(observations).toBeGreaterThan(5_000);
  }, SLOW);

  for (const [k, shape] of larger.entries()) {
    it(`gives the same outputs in ${shape.name} (${shape.people} people) with churn`, () => {
      const churn = new Churn(shape, 77 + k);
      churn.play();
      expect(churn.observations).toBeGreaterThan(shape.people);
    }, SLOW);
  }

  it('refuses the same options', () => {
    for (const bad of [{ perPerson: 0 }, { maxExposure: 0 }, { perPerson: Number.NaN }]) {
      const options = { perPerson: 3, maxExposure: 3, edgeMinutes: 10, seed: 1, ...bad };
      expect(() => new MatchingEngine(options)).toThrow(RangeError);
      expect(() => new FrozenMatchingEngine(options)).toThrow(RangeError);
    }
  });
});
