import { describe, expect, it } from 'vitest';
import type { MatchingEngine, PassRun } from './engine';
import { T0, aPerson, anEngine, minutes } from './testing';
import type { Person } from './types';

/** A room of `n` people whose tags overlap in many ways, so a pass has work in every phase. */
function aBusyRoom(n: number): Person[] {
  const tags = ['Design', 'Sales', 'Funding', 'Hiring', 'Engineering', 'Advice'];
  const topics = ['AI', 'Climate', 'Health', 'Data'];
  return Array.from({ length: n }, (_, i) =>
    aPerson(`p${i}`, {
      seeks: [tags[i % 6]!, tags[(i * 7 + 1) % 6]!],
      offers: [tags[(i * 5 + 2) % 6]!],
      interests: [topics[i % 4]!, topics[(i * 3 + 1) % 4]!],
      firstTime: i % 4 === 0,
      host: i % 25 === 0,
      hasAccepted: i % 3 === 0,
      arrivedAt: T0 - minutes(i % 40),
    }),
  );
}

function loaded(people: Person[], now = T0): MatchingEngine {
  const sut = anEngine({ perPerson: 3, maxExposure: 3 });
  sut.loadPeople(people, now);
  return sut;
}

/** Steps the run, pausing at every checkpoint, calling `between` after each step until it ends. */
function stepToEnd(run: PassRun, between: (step: number) => void = () => {}): { changed: Set<string>; steps: number } {
  for (let steps = 1; ; steps++) {
    const changed = run.step(() => true);
    if (changed) return { changed, steps };
    between(steps);
  }
}

const listsOf = (sut: MatchingEngine, ids: string[]) => ids.map((id) => sut.listFor(id));
const everyone = (people: Person[]) => people.map((p) => p.id);

describe('a global pass run in steps', () => {
  it('ends after many short steps with the lists and changes of the pass run in one go', () => {
    const people = aBusyRoom(400);
    const whole = loaded(people);
    const sut = loaded(people);
    whole.globalPass(T0);
    sut.globalPass(T0);
    // A second pass from the cache, after a few changes, as it runs live.
    const later = T0 + minutes(3);
    for (const e of [whole, sut]) {
      e.upsertPerson(aPerson('new', { seeks: ['Design'], offers: ['Sales'], arrivedAt: later }), later);
      e.upsertPerson({ ...people[7]!, present: false }, later);
      e.recordPairState('p1', e.listFor('p1')[0]!.targetId, 'declined', later, 'p1');
    }

    const expected = whole.globalPass(later + minutes(1));
    const { changed, steps } = stepToEnd(sut.startPass(later + minutes(1)));

    expect(steps).toBeGreaterThan(10);
    expect([...changed].sort()).toEqual([...expected].sort());
    expect(listsOf(sut, [...everyone(people), 'new'])).toEqual(listsOf(whole, [...everyone(people), 'new']));
  });

  it('lists nobody who left while it ran, even people its plan had placed', () => {
    const people = aBusyRoom(200);
    // No lists yet: the pass places everyone, so whoever leaves is in its plan.
    const twin = loaded(people);
    twin.globalPass(T0);
    const popular = everyone(people).filter((id) => twin.exposureOf(id).listed > 0);
    expect(popular.length).toBeGreaterThan(20);
    const leaving = popular.slice(0, 20);
    const leave = (sut: MatchingEngine, ids: string[]) => {
      for (const id of ids) sut.upsertPerson({ ...people.find((p) => p.id === id)!, present: false }, T0);
    };
    // Some leave early, the rest just before the commit: after the last step but one.
    const early = (sut: MatchingEngine) => (step: number) => step === 2 && leave(sut, leaving.slice(0, 10));
    const dry = loaded(people);
    const { steps } = stepToEnd(dry.startPass(T0), early(dry));

    const sut = loaded(people);
    stepToEnd(sut.startPass(T0), (step) => {
      early(sut)(step);
      if (step === steps - 1) leave(sut, leaving.slice(10));
    });

    for (const id of everyone(people)) {
      const targets = sut.listFor(id).map((s) => s.targetId);
      for (const gone of leaving) expect(targets, `${id} lists ${gone}, who left`).not.toContain(gone);
    }
    for (const id of leaving) expect(sut.exposureOf(id).listed).toBe(0);
  });

  it('leaves someone who arrived while it ran the list their check-in gave them', () => {
    const people = aBusyRoom(200);
    const sut = loaded(people);
    sut.globalPass(T0);
    const now = T0 + minutes(2);
    let onArrival: ReturnType<MatchingEngine['listFor']> = [];
    let alsoChanged: [string, ReturnType<MatchingEngine['listFor']>][] = [];

    stepToEnd(sut.startPass(now), (step) => {
      if (step !== 5) return;
      const changed = sut.upsertPerson(aPerson('zoe', { firstTime: true, seeks: ['Design', 'Sales'], offers: ['Funding'], arrivedAt: now }), now);
      onArrival = sut.listFor('zoe', now);
      alsoChanged = [...changed].filter((id) => id !== 'zoe').map((id) => [id, sut.listFor(id, now)]);
    });

    expect(onArrival.length).toBeGreaterThan(0);
    expect(sut.listFor('zoe', now)).toEqual(onArrival);
    expect(alsoChanged.length).toBeGreaterThan(0);
    for (const [id, list] of alsoChanged) expect(sut.listFor(id, now), `${id}'s list`).toEqual(list);
  });

  it('finds someone for a first-timer its plan left alone, when a match opted back in while it ran', () => {
    // The shrunk counterexample of the property test (seed 1537013068): one list each, and
    // everyone but p1 opted out when the pass planned, so its plan for p1 was empty.
    const people = ['p0', 'p1', 'p2', 'p3', 'p4'].map((id) => aPerson(id, { firstTime: true, host: true, optedOut: id !== 'p1', arrivedAt: T0 }));
    const sut = anEngine({ perPerson: 1, maxExposure: 1 });
    sut.loadPeople(people, T0);

    stepToEnd(sut.startPass(T0), (step) => {
      if (step === 1) sut.upsertPerson(aPerson('p0', { firstTime: true, host: true, arrivedAt: T0 }), T0);
    });

    expect(sut.listFor('p1', T0).map((e) => e.targetId)).toEqual(['p0']);
  });

  it('runs one pass at a time, and a cancelled one frees the engine and changes no list', () => {
    const people = aBusyRoom(50);
    const sut = loaded(people);
    sut.globalPass(T0);
    const before = listsOf(sut, everyone(people));
    const run = sut.startPass(T0 + minutes(1));
    expect(run.step(() => true)).toBeNull();

    expect(() => sut.startPass(T0 + minutes(1))).toThrow(/still running/);
    expect(() => sut.globalPass(T0 + minutes(1))).toThrow(/still running/);

    run.cancel();
    expect(() => run.step(() => true)).toThrow(/ended or been cancelled/);
    expect(listsOf(sut, everyone(people))).toEqual(before);
    expect(() => sut.globalPass(T0 + minutes(1))).not.toThrow();
  });
});
