import { describe, expect, it } from 'vitest';
import type { Person } from '../../matching';
import { EngineSet } from './engines';
import type { EngineReply } from './protocol';

const options = { perPerson: 2, maxExposure: 4, edgeMinutes: 10, seed: 1 };
const T = Date.parse('2026-11-25T18:00:00Z');

function aPerson(id: string, overrides: Partial<Person> = {}): Person {
  return {
    id,
    name: id,
    seeks: ['Design'],
    offers: ['Investors'],
    interests: ['Climate'],
    firstTime: false,
    host: false,
    present: true,
    arrivedAt: T,
    hasAccepted: false,
    knows: [],
    optedOut: false,
    ...overrides,
  };
}

const designer = (id: string) => aPerson(id, { seeks: ['Investors'], offers: ['Design'] });

function lists(reply: EngineReply) {
  if (!reply.ok) throw new Error(reply.error);
  return Object.fromEntries(Object.entries(reply.lists).map(([id, l]) => [id, l.map((s) => s.targetId).sort()]));
}

describe('EngineSet', () => {
  const people = [aPerson('ana'), designer('ben'), aPerson('cleo'), designer('dan')];

  it('builds an event from a snapshot and answers the lists asked for', () => {
    const sut = new EngineSet();
    const got = lists(sut.handle({ kind: 'load', eventId: 'e1', options, people, pairs: [], lists: [], now: T, listIds: ['ana', 'gone'] }));
    expect(got.ana).toEqual(['ben', 'dan']);
    expect(got.gone).toEqual([]);
    expect(sut.has('e1')).toBe(true);
  });

  it('keeps declined pairs apart from the first load', () => {
    const sut = new EngineSet();
    const got = lists(
      sut.handle({ kind: 'load', eventId: 'e1', options, people, pairs: [{ a: 'ana', b: 'ben', state: 'declined' }], lists: [], now: T, listIds: ['ana', 'ben'] }),
    );
    expect(got.ana).not.toContain('ben');
    expect(got.ben).not.toContain('ana');
  });

  it('restores stored lists rather than reshuffling them', () => {
    const sut = new EngineSet();
    const stored = [{ ownerId: 'ana', entries: [{ targetId: 'dan', since: T - 60_000 }] }];
    const got = lists(sut.handle({ kind: 'load', eventId: 'e1', options: { ...options, perPerson: 1 }, people, pairs: [], lists: stored, now: T, listIds: ['ana'] }));
    expect(got.ana).toEqual(['dan']);
  });

  it('takes someone who left out of every list and returns their empty list', () => {
    const sut = new EngineSet();
    sut.handle({ kind: 'load', eventId: 'e1', options, people, pairs: [], lists: [], now: T, listIds: [] });
    const got = lists(sut.handle({ kind: 'apply', eventId: 'e1', ops: [{ op: 'upsert', person: { ...designer('ben'), present: false } }], global: false, now: T + 1000, listIds: [] }));
    expect(got.ben).toEqual([]);
    expect(got.ana).toContain('dan');
    expect(got.ana).not.toContain('ben');
    expect(got.cleo).not.toContain('ben');
  });

  it('asks for a rebuild when it holds no engine for the event, and after a drop', () => {
    const sut = new EngineSet();
    const apply = () => sut.handle({ kind: 'apply', eventId: 'e1', ops: [], global: true, now: T, listIds: [] });
    expect(apply()).toMatchObject({ ok: false, notLoaded: true });
    sut.handle({ kind: 'load', eventId: 'e1', options, people, pairs: [], lists: [], now: T, listIds: [] });
    expect(apply().ok).toBe(true);
    sut.handle({ kind: 'drop', eventId: 'e1' });
    expect(apply()).toMatchObject({ ok: false, notLoaded: true });
  });

  it('drops an engine whose change failed, so it is rebuilt from the database', () => {
    const sut = new EngineSet();
    const failed = sut.handle({ kind: 'load', eventId: 'e1', options: { ...options, perPerson: 0 }, people, pairs: [], lists: [], now: T, listIds: [] });
    expect(failed).toMatchObject({ ok: false, notLoaded: false });
    expect(sut.has('e1')).toBe(false);
  });
});
