import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MatchingEngine } from './engine';
import { T0, aPerson, anEngine, minutes } from './testing';
import type { PairState, Person } from './types';

/**
 * Properties of the engine under any sequence of arrivals, departures, intent changes,
 * opt-outs, answers, global passes and removals, checked after every step against a model
 * of the room kept by the test itself.
 */

const INTENT = ['Design', 'Sales', 'Funding', 'Hiring'];
const INTERESTS = ['AI', 'Climate', 'Health'];
const STATES: PairState[] = ['proposed', 'accepted_by_one', 'mutual', 'declined', 'met', 'expired'];

const ids = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`);
const chance = (inTen: number) => fc.integer({ min: 0, max: 9 }).map((x) => x < inTen);

const profile = (n: number) =>
  fc.record({
    seeks: fc.subarray(INTENT),
    offers: fc.subarray(INTENT),
    interests: fc.subarray(INTERESTS),
    firstTime: chance(3),
    host: chance(2),
    present: chance(8),
    optedOut: chance(1),
    hasAccepted: fc.boolean(),
    arrivedMin: fc.integer({ min: 0, max: 30 }),
    knows: fc.subarray(ids(n), { maxLength: 2 }),
  });
type Profile = ReturnType<typeof profile> extends fc.Arbitrary<infer P> ? P : never;

const toPerson = (id: string, p: Profile): Person =>
  aPerson(id, { ...p, knows: p.knows.filter((k) => k !== id), arrivedAt: T0 + minutes(p.arrivedMin) });

type Op =
  | { kind: 'upsert'; who: number; profile: Profile }
  | { kind: 'pair'; a: number; b: number; state: PairState; byFirst: boolean }
  | { kind: 'global' }
  | { kind: 'update'; who: number }
  | { kind: 'remove'; who: number };

const op = (n: number): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('upsert' as const), who: fc.nat(n - 1), profile: profile(n) }) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('pair' as const),
        a: fc.nat(n - 1),
        b: fc.nat(n - 1),
        state: fc.constantFrom(...STATES),
        byFirst: fc.boolean(),
      }),
    },
    { weight: 2, arbitrary: fc.constant({ kind: 'global' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('update' as const), who: fc.nat(n - 1) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), who: fc.nat(n - 1) }) },
  );

const scenario = fc.integer({ min: 2, max: 9 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    perPerson: fc.integer({ min: 1, max: 3 }),
    maxExposure: fc.integer({ min: 1, max: 4 }),
    seed: fc.integer(),
    incremental: fc.boolean(),
    people: fc.array(profile(n), { minLength: n, maxLength: n }),
    ops: fc.array(op(n), { maxLength: 25 }),
  }),
);
type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

/** What the test knows about the room, independently of the engine. */
class Room {
  readonly people = new Map<string, Person>();
  readonly pairs = new Map<string, PairState>();
  private readonly key = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

  eligible(id: string) {
    const p = this.people.get(id);
    return p !== undefined && p.present && !p.optedOut;
  }
  state(a: string, b: string) {
    return this.pairs.get(this.key(a, b));
  }
  setState(a: string, b: string, s: PairState) {
    this.pairs.set(this.key(a, b), s);
  }
  /** Someone `a` may be suggested: present, matchable, no final answer between them. */
  compatible(a: string, b: string) {
    const s = this.state(a, b);
    return a !== b && this.eligible(a) && this.eligible(b) && s !== 'declined' && s !== 'met';
  }
}

function run(s: Scenario, step: (sut: MatchingEngine, room: Room, now: number) => void) {
  const all = ids(s.n);
  const sut = anEngine({ perPerson: s.perPerson, maxExposure: s.maxExposure, seed: s.seed });
  const room = new Room();
  let now = T0 + minutes(30);
  const people = s.people.map((p, i) => toPerson(all[i]!, p));
  if (s.incremental) {
    for (const p of people) {
      room.people.set(p.id, p);
      sut.upsertPerson(p, now);
      step(sut, room, now);
    }
  } else {
    for (const p of people) room.people.set(p.id, p);
    sut.loadPeople(people, now);
    sut.globalPass(now);
    step(sut, room, now);
  }
  for (const o of s.ops) {
    now += minutes(2);
    if (o.kind === 'pair' && o.a === o.b) continue;
    apply(sut, room, all, o, now);
    step(sut, room, now);
  }
  return sut;
}

/** Applies one operation to the engine and the model. Returns who it touched: its people and the lists it changed. */
function apply(sut: MatchingEngine, room: Room, all: string[], o: Op, now: number): string[] {
  if (o.kind === 'upsert') {
    const p = toPerson(all[o.who]!, o.profile);
    room.people.set(p.id, p);
    return [p.id, ...sut.upsertPerson(p, now)];
  } else if (o.kind === 'pair') {
    if (o.a === o.b) return [];
    const [a, b] = [all[o.a]!, all[o.b]!];
    room.setState(a, b, o.state);
    return [a, b, ...sut.recordPairState(a, b, o.state, now, o.byFirst ? a : b)];
  } else if (o.kind === 'global') {
    return [...sut.globalPass(now)];
  } else if (o.kind === 'update') {
    return [all[o.who]!, ...sut.updateFor(all[o.who]!, now)];
  }
  room.people.delete(all[o.who]!);
  return [all[o.who]!, ...sut.removePerson(all[o.who]!, now)];
}

/** What the checks need to know of a scenario. */
type Caps = Pick<Scenario, 'n' | 'perPerson' | 'maxExposure'>;

function checkRules(sut: MatchingEngine, room: Room, s: Caps, now: number) {
  const all = ids(s.n);
  const listedBy = new Map<string, string[]>(all.map((id) => [id, []]));
  for (const id of all) {
    const list = sut.listFor(id, now);
    if (!room.eligible(id)) {
      expect(list, `${id} is not matchable and has a list`).toEqual([]);
      continue;
    }
    const targets = list.map((x) => x.targetId);
    expect(new Set(targets).size, `${id} lists someone twice`).toBe(targets.length);
    const pinned = list.filter((x) => x.pinned).length;
    expect(list.length, `${id}'s list is too long`).toBeLessThanOrEqual(Math.max(s.perPerson, pinned));
    for (const x of list) {
      expect(x.targetId, `${id} lists themselves`).not.toBe(id);
      expect(room.compatible(id, x.targetId), `${id} lists ${x.targetId}, who may not be suggested`).toBe(true);
      const yes = ['accepted_by_one', 'mutual'].includes(room.state(id, x.targetId) ?? '');
      expect(x.pinned, `${id}'s entry for ${x.targetId} pinned: ${x.pinned}`).toBe(yes);
      expect(x.reasons.length).toBeGreaterThan(0);
      listedBy.get(x.targetId)!.push(id);
    }
  }
  for (const id of all) {
    const exposure = sut.exposureOf(id);
    const owners = listedBy.get(id)!;
    expect(exposure.listed).toBe(owners.length);
    expect(exposure.listed - exposure.pinned - exposure.overflow, `${id} is in too many lists`).toBeLessThanOrEqual(s.maxExposure);
    // Going past the cap is only ever for someone at the edges.
    const atEdges = owners.filter((o) => sut.atEdges(o, now)).length;
    expect(exposure.overflow).toBeLessThanOrEqual(atEdges);
    const pinnedBy = owners.filter((o) => sut.listFor(o, now).some((x) => x.targetId === id && x.pinned)).length;
    expect(exposure.pinned, `${id}'s count of pinned listings`).toBe(pinnedBy);
  }
}

function checkPinnedBothWays(sut: MatchingEngine, room: Room, s: Caps, now: number) {
  for (const [key, state] of room.pairs) {
    if (state !== 'accepted_by_one' && state !== 'mutual') continue;
    const [a, b] = key.split('|') as [string, string];
    if (!room.compatible(a, b)) continue;
    expect(sut.listFor(a, now).some((x) => x.targetId === b && x.pinned), `${a} lost the pair with ${b}`).toBe(true);
    expect(sut.listFor(b, now).some((x) => x.targetId === a && x.pinned), `${b} lost the pair with ${a}`).toBe(true);
  }
  void s;
}

function checkFirstTimers(sut: MatchingEngine, room: Room, s: Caps, now: number) {
  for (const id of ids(s.n)) {
    const p = room.people.get(id);
    if (!p?.firstTime || !room.eligible(id)) continue;
    const someone = ids(s.n).some((other) => room.compatible(id, other));
    if (someone) expect(sut.listFor(id, now).length, `first-timer ${id} has no suggestion`).toBeGreaterThan(0);
  }
}

/** Generous: these run many scenarios, and CI machines are shared. */
const SLOW = 60_000;

describe('matching properties', () => {
  it('never lists oneself, absent, opted-out, declined or met people, and holds the caps', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        run(s, (sut, room, now) => checkRules(sut, room, s, now));
      }),
      { numRuns: 150 },
    );
  }, SLOW);

  it('keeps a pair someone said yes to in both lists while both are here', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        run(s, (sut, room, now) => checkPinnedBothWays(sut, room, s, now));
      }),
      { numRuns: 100 },
    );
  }, SLOW);

  it('gives every present first-timer a suggestion whenever anyone compatible is here', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        run(s, (sut, room, now) => checkFirstTimers(sut, room, s, now));
      }),
      { numRuns: 150 },
    );
  }, SLOW);

  it('never goes past the exposure cap when the cap leaves room for everyone', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const roomy = { ...s, maxExposure: s.n };
        run(roomy, (sut) => {
          for (const id of ids(s.n)) expect(sut.exposureOf(id).overflow).toBe(0);
        });
      }),
      { numRuns: 100 },
    );
  }, SLOW);

  it('gives the same lists for the same inputs', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const lists = (sut: MatchingEngine) => ids(s.n).map((id) => sut.listFor(id));
        expect(lists(run(s, () => {}))).toEqual(lists(run(s, () => {})));
      }),
      { numRuns: 50 },
    );
  }, SLOW);

  it("leaves lists alone when someone far away in tag space changes", () => {
    // Two circles with no tag, acquaintance, host or first-timer link between them.
    const circle = (tags: string[], topics: string[]) =>
      fc.record({ seeks: fc.subarray(tags), offers: fc.subarray(tags), interests: fc.subarray(topics) });
    const near = circle(['Design', 'Sales'], ['AI']);
    const far = circle(['Funding', 'Hiring'], ['Health']);
    const change = fc.oneof(
      fc.record({ kind: fc.constant('intent' as const), who: fc.nat(5), to: far }),
      fc.record({ kind: fc.constant('arrive' as const), to: far }),
      fc.record({ kind: fc.constant('leave' as const), who: fc.nat(5) }),
      fc.record({ kind: fc.constant('answer' as const), a: fc.nat(5), b: fc.nat(5), state: fc.constantFrom(...STATES) }),
    );
    fc.assert(
      fc.property(
        fc.array(near, { minLength: 2, maxLength: 6 }),
        fc.array(far, { minLength: 6, maxLength: 6 }),
        change,
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        (nearPeople, farPeople, c, perPerson, maxExposure) => {
          const sut = anEngine({ perPerson, maxExposure });
          const people = [
            ...nearPeople.map((p, i) => aPerson(`n${i}`, p)),
            ...farPeople.map((p, i) => aPerson(`f${i}`, p)),
          ];
          sut.loadPeople(people, T0);
          sut.globalPass(T0);
          const before = nearPeople.map((_, i) => sut.listFor(`n${i}`));
          const now = T0 + minutes(1);
          if (c.kind === 'intent') sut.upsertPerson(aPerson(`f${c.who}`, c.to), now);
          else if (c.kind === 'arrive') sut.upsertPerson(aPerson('f-new', { ...c.to, arrivedAt: now }), now);
          else if (c.kind === 'leave') sut.upsertPerson(aPerson(`f${c.who}`, { ...farPeople[c.who], present: false }), now);
          else if (c.a !== c.b) sut.recordPairState(`f${c.a}`, `f${c.b}`, c.state, now);
          expect(nearPeople.map((_, i) => sut.listFor(`n${i}`))).toEqual(before);
        },
      ),
      { numRuns: 150 },
    );
  }, SLOW);
});

/**
 * A global pass run in steps while the room changes between them: arrivals (some of people
 * the engine has never seen), departures, intent changes, opt-outs, answers, updates and
 * removals, applied at every checkpoint or at random ones.
 */
const stepped = fc
  .record({ n: fc.integer({ min: 4, max: 10 }), late: fc.integer({ min: 0, max: 2 }) })
  .chain(({ n, late }) =>
    fc.record({
      n: fc.constant(n),
      late: fc.constant(late),
      perPerson: fc.integer({ min: 1, max: 3 }),
      maxExposure: fc.integer({ min: 1, max: 4 }),
      seed: fc.integer(),
      // Loaded with no lists, so that the stepped pass is the first and changes every list.
      cold: fc.boolean(),
      people: fc.array(profile(n), { minLength: n, maxLength: n }),
      // The last `late` people are unknown to the engine until an operation during the pass.
      before: fc.array(op(n - late), { maxLength: 8 }),
      between: fc.array(fc.array(op(n).filter((o) => o.kind !== 'global'), { maxLength: 2 }), { maxLength: 12 }),
      // Absent: a pause at every checkpoint.
      pauses: fc.option(fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }), { nil: undefined }),
    }),
  );
type Stepped = typeof stepped extends fc.Arbitrary<infer S> ? S : never;

function runStepped(t: Stepped) {
  const all = ids(t.n);
  const sut = anEngine({ perPerson: t.perPerson, maxExposure: t.maxExposure, seed: t.seed });
  const room = new Room();
  let now = T0 + minutes(30);
  const people = t.people.slice(0, t.n - t.late).map((p, i) => toPerson(all[i]!, p));
  for (const p of people) room.people.set(p.id, p);
  sut.loadPeople(people, now);
  if (!t.cold) sut.globalPass(now);
  for (const o of t.before) {
    now += minutes(2);
    apply(sut, room, all, o, now);
  }
  now += minutes(2);
  const run = sut.startPass(now);
  const touched = new Set<string>();
  let steps = 0;
  let batch = 0;
  let c = 0;
  const pause = t.pauses ? () => t.pauses![c++ % t.pauses!.length]! : () => true;
  for (;;) {
    const beforeCommit = new Map(all.map((id) => [id, sut.listFor(id, now)]));
    const changed = run.step(pause);
    steps++;
    if (changed) return { sut, room, now, steps, touched, beforeCommit, changed };
    // The batches come round again, so that something may happen at every checkpoint.
    const ops = t.between.length > 0 ? t.between[batch++ % t.between.length]! : [];
    for (const o of ops) for (const id of apply(sut, room, all, o, now)) touched.add(id);
  }
}

describe('matching properties, with a global pass run in steps', () => {
  it('holds every rule after a pass that ran while the room changed', () => {
    fc.assert(
      fc.property(stepped, (t) => {
        const { sut, room, now } = runStepped(t);
        checkRules(sut, room, t, now);
        checkPinnedBothWays(sut, room, t, now);
        checkFirstTimers(sut, room, t, now);
      }),
      { numRuns: 300 },
    );
  }, SLOW);

  it('never goes past the exposure cap when the cap leaves room for everyone', () => {
    fc.assert(
      fc.property(stepped, (t) => {
        const { sut } = runStepped({ ...t, maxExposure: t.n });
        for (const id of ids(t.n)) expect(sut.exposureOf(id).overflow).toBe(0);
      }),
      { numRuns: 100 },
    );
  }, SLOW);

  it('leaves the lists of people touched during the pass as the updates left them', () => {
    fc.assert(
      fc.property(stepped, (t) => {
        const { sut, now, touched, beforeCommit, changed } = runStepped(t);
        for (const id of touched) {
          const after = sut.listFor(id, now);
          const before = beforeCommit.get(id)!;
          if (!changed.has(id)) {
            expect(after, `${id}'s list, touched during the pass`).toEqual(before);
            continue;
          }
          // Only a repair after the commit may take a place from it, for someone at the edges.
          const kept = new Set(before.map((x) => x.targetId));
          for (const x of after) expect(kept.has(x.targetId), `${id} gained ${x.targetId} at the commit`).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  }, SLOW);

  it('gives the same lists for the same inputs, however it was stepped', () => {
    fc.assert(
      fc.property(stepped, fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }), (t, other) => {
        const lists = (sut: MatchingEngine) => ids(t.n).map((id) => sut.listFor(id));
        const quiet = { ...t, between: [] };
        expect(lists(runStepped({ ...quiet, pauses: other }).sut)).toEqual(lists(runStepped({ ...quiet, pauses: undefined }).sut));
      }),
      { numRuns: 100 },
    );
  }, SLOW);
});
