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

  it('keeps restored lists, lists the few without one at once, and asks for a pass to come', () => {
    const sut = new EngineSet();
    const stored = [
      { ownerId: 'ana', entries: [{ targetId: 'ben', since: T - 60_000 }] },
      { ownerId: 'ben', entries: [{ targetId: 'ana', since: T - 60_000 }] },
    ];
    const reply = sut.handle({ kind: 'load', eventId: 'e1', options: { ...options, perPerson: 1 }, people, pairs: [], lists: stored, now: T, listIds: ['ana', 'ben', 'cleo', 'dan'] });
    expect(reply).toMatchObject({ ok: true, passDue: true });
    const got = lists(reply);
    expect(got.ana).toEqual(['ben']);
    expect(got.cleo).toHaveLength(1);
    expect(got.dan).toHaveLength(1);
  });

  it('runs the first pass of a room mostly without lists at once', () => {
    const sut = new EngineSet();
    const room = Array.from({ length: 300 }, (_, i) => (i % 2 ? designer(`d${i}`) : aPerson(`p${i}`)));
    const reply = sut.handle({ kind: 'load', eventId: 'e1', options, people: room, pairs: [], lists: [], now: T, listIds: room.map((p) => p.id) });
    expect(reply.ok && reply.passDue).toBeFalsy();
    expect(Object.values(lists(reply)).every((l) => l.length > 0)).toBe(true);
  });

  it('takes someone who left out of every list and returns their empty list', () => {
    const sut = new EngineSet();
    sut.handle({ kind: 'load', eventId: 'e1', options, people, pairs: [], lists: [], now: T, listIds: [] });
    const got = lists(sut.handle({ kind: 'apply', eventId: 'e1', ops: [{ op: 'upsert', person: { ...designer('ben'), present: false } }], now: T + 1000, listIds: [] }));
    expect(got.ben).toEqual([]);
    expect(got.ana).toContain('dan');
    expect(got.ana).not.toContain('ben');
    expect(got.cleo).not.toContain('ben');
  });

  it('asks for a rebuild when it holds no engine for the event, and after a drop', () => {
    const sut = new EngineSet();
    const apply = () => sut.handle({ kind: 'apply', eventId: 'e1', ops: [], now: T, listIds: [] });
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

  describe('global passes', () => {
    const loaded = () => {
      const sut = new EngineSet();
      sut.handle({ kind: 'load', eventId: 'e1', options, people, pairs: [], lists: [], now: T, listIds: [] });
      return sut;
    };
    const replies = () => {
      const got: EngineReply[] = [];
      return { got, finish: (r: EngineReply) => got.push(r) };
    };

    it('answers a pass once stepping has ended it, and takes changes in between', () => {
      const sut = loaded();
      const pass = replies();
      sut.startPass({ kind: 'pass', eventId: 'e1', now: T + 60_000 }, pass.finish);
      expect(sut.passing).toBe(true);
      expect(pass.got).toEqual([]);
      // A change between two steps is answered at once, from the engine as it stands.
      const left = lists(sut.handle({ kind: 'apply', eventId: 'e1', ops: [{ op: 'upsert', person: { ...designer('ben'), present: false } }], now: T + 61_000, listIds: [] }));
      expect(left.ben).toEqual([]);
      while (sut.passing) sut.stepPasses(() => true);
      expect(pass.got).toHaveLength(1);
      expect(pass.got[0]!.ok).toBe(true);
      const after = lists(sut.handle({ kind: 'apply', eventId: 'e1', ops: [], now: T + 62_000, listIds: ['ana', 'cleo'] }));
      expect(after.ana).not.toContain('ben');
      expect(after.cleo).not.toContain('ben');
    });

    it('calls a pass off when the event is rebuilt or dropped, answering it with no lists', () => {
      const requests: Parameters<EngineSet['handle']>[0][] = [
        { kind: 'load', eventId: 'e1', options, people, pairs: [], lists: [], now: T, listIds: [] },
        { kind: 'drop', eventId: 'e1' },
      ];
      for (const request of requests) {
        const sut = loaded();
        const pass = replies();
        sut.startPass({ kind: 'pass', eventId: 'e1', now: T + 60_000 }, pass.finish);
        sut.handle(request);
        expect(pass.got).toEqual([{ ok: true, lists: {} }]);
        expect(sut.passing).toBe(false);
      }
    });

    it('asks for a rebuild when a pass finds no engine, and runs one pass per event at a time', () => {
      const sut = new EngineSet();
      const none = replies();
      sut.startPass({ kind: 'pass', eventId: 'e1', now: T }, none.finish);
      expect(none.got).toEqual([expect.objectContaining({ ok: false, notLoaded: true })]);

      const twice = loaded();
      const first = replies();
      const second = replies();
      twice.startPass({ kind: 'pass', eventId: 'e1', now: T + 60_000 }, first.finish);
      twice.startPass({ kind: 'pass', eventId: 'e1', now: T + 60_000 }, second.finish);
      expect(second.got).toEqual([{ ok: true, lists: {} }]);
      while (twice.passing) twice.stepPasses(() => true);
      expect(first.got).toHaveLength(1);
    });
  });
});
