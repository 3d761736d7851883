import { MatchingEngine } from './engine';
import type { MatchingOptions, Person } from './types';

/** Builders for the matching tests. */

export const T0 = Date.UTC(2026, 10, 25, 18, 0);
export const minutes = (n: number) => n * 60_000;

export function aPerson(id: string, fields: Partial<Person> = {}): Person {
  return {
    id,
    name: id,
    seeks: [],
    offers: [],
    interests: [],
    firstTime: false,
    host: false,
    present: true,
    arrivedAt: T0,
    // Not waiting alone by default, so only first-timers are at the edges unless a test says so.
    hasAccepted: true,
    knows: [],
    optedOut: false,
    ...fields,
  };
}

export function anEngine(options: Partial<MatchingOptions> = {}): MatchingEngine {
  return new MatchingEngine({ perPerson: 3, maxExposure: 3, edgeMinutes: 10, seed: 1, ...options });
}

/** An engine with these people present and a global pass run. */
export function aRoom(people: Person[], options: Partial<MatchingOptions> = {}, now = T0): MatchingEngine {
  const sut = anEngine(options);
  sut.loadPeople(people, now);
  sut.globalPass(now);
  return sut;
}

export const targetsOf = (sut: MatchingEngine, id: string) => sut.listFor(id).map((s) => s.targetId);
