import { describe, expect, it } from 'vitest';
import { T0, aPerson, aRoom, anEngine, minutes, targetsOf } from './testing';

describe('MatchingEngine lists', () => {
  it('shows a newcomer their matches and puts them in lists with room', () => {
    const sut = aRoom([
      aPerson('ana', { seeks: ['Design'], offers: ['Engineering'] }),
      aPerson('ben', { offers: ['Design'], seeks: ['Engineering'] }),
      aPerson('cara', { offers: ['Design'] }),
    ]);
    expect(targetsOf(sut, 'ana')).toEqual(['ben', 'cara']);

    const changed = sut.upsertPerson(aPerson('dan', { seeks: ['Engineering'], offers: ['Design'], arrivedAt: T0 + minutes(1) }), T0 + minutes(1));

    expect(targetsOf(sut, 'dan')).toEqual(['ana']);
    expect(targetsOf(sut, 'ana')).toEqual(['ben', 'cara', 'dan']);
    expect([...changed].sort()).toEqual(['ana', 'dan']);
  });

  it('puts a newcomer who states their intent after checking in into the lists of those already present at once', () => {
    // Ben is there first; Ana checks in with no intent yet, so Ben is only her guaranteed first suggestion.
    const sut = aRoom([aPerson('ben', { seeks: ['Design'], offers: ['Investors'], interests: ['Climate'], hasAccepted: false })]);
    sut.upsertPerson(aPerson('ana', { firstTime: true, arrivedAt: T0 + minutes(1) }), T0 + minutes(1));
    expect(targetsOf(sut, 'ana')).toEqual(['ben']);
    expect(targetsOf(sut, 'ben')).toEqual([]);

    const changed = sut.upsertPerson(
      aPerson('ana', { firstTime: true, seeks: ['Investors'], offers: ['Design'], interests: ['Climate'], arrivedAt: T0 + minutes(1) }),
      T0 + minutes(2),
    );

    expect(targetsOf(sut, 'ben')).toEqual(['ana']);
    expect(changed.has('ben')).toBe(true);
  });

  it('lets a newcomer whose intent changed take the place of a clearly weaker entry in a full list, right away', () => {
    const sut = aRoom([aPerson('ben', { seeks: ['Design'], offers: ['Investors'] }), aPerson('cara', { offers: ['Design'] })], { perPerson: 1 });
    expect(targetsOf(sut, 'ben')).toEqual(['cara']);
    // Ana offers design too: ben tops her list, but she is no better for him than cara.
    sut.upsertPerson(aPerson('ana', { offers: ['Design'], arrivedAt: T0 + minutes(1) }), T0 + minutes(1));
    expect(targetsOf(sut, 'ana')).toEqual(['ben']);
    expect(targetsOf(sut, 'ben')).toEqual(['cara']);

    sut.upsertPerson(aPerson('ana', { seeks: ['Investors'], offers: ['Design'], arrivedAt: T0 + minutes(1) }), T0 + minutes(2));

    expect(targetsOf(sut, 'ben')).toEqual(['ana']);
  });

  it('orders a fresh list best first and keeps the entry time of what stays', () => {
    const sut = aRoom([
      aPerson('ana', { seeks: ['Design', 'Sales'], offers: ['Engineering'] }),
      aPerson('ben', { offers: ['Design'] }),
      aPerson('cara', { offers: ['Design'], seeks: ['Engineering'] }),
    ]);
    const first = sut.listFor('ana');
    expect(first.map((s) => [s.targetId, s.score, s.since])).toEqual([
      ['cara', 7, T0],
      ['ben', 2, T0],
    ]);
    sut.globalPass(T0 + minutes(5));
    expect(sut.listFor('ana').map((s) => s.since)).toEqual([T0, T0]);
  });

  it('never lists oneself, people who left or people who opted out', () => {
    const sut = aRoom([
      aPerson('ana', { seeks: ['Design'] }),
      aPerson('gone', { offers: ['Design'], present: false }),
      aPerson('olga', { offers: ['Design'], optedOut: true }),
    ]);
    expect(sut.listFor('ana')).toEqual([]);
    expect(sut.listFor('olga')).toEqual([]);
    expect(sut.listFor('gone')).toEqual([]);
  });

  it('takes someone who leaves out of every list and refills those lists', () => {
    const sut = aRoom(
      [
        aPerson('ana', { seeks: ['Design'], interests: ['Climate'] }),
        aPerson('ben', { offers: ['Design'], interests: ['Climate'] }),
        aPerson('cara', { offers: ['Design'] }),
      ],
      { perPerson: 1 },
    );
    expect(targetsOf(sut, 'ana')).toEqual(['ben']);

    const changed = sut.upsertPerson(aPerson('ben', { offers: ['Design'], interests: ['Climate'], present: false }), T0 + minutes(1));

    expect(targetsOf(sut, 'ana')).toEqual(['cara']);
    expect(sut.listFor('ben')).toEqual([]);
    expect(changed.has('ana')).toBe(true);
    expect(sut.exposureOf('ben').listed).toBe(0);
  });

  it('forgets a removed person entirely', () => {
    const sut = aRoom([aPerson('ana', { seeks: ['Design'] }), aPerson('ben', { offers: ['Design'] })]);
    const changed = sut.removePerson('ben', T0);
    expect(sut.listFor('ana')).toEqual([]);
    expect(changed).toEqual(new Set(['ana']));
    expect(sut.presentIds()).toEqual(['ana']);
  });
});

describe('MatchingEngine stability', () => {
  const ana = aPerson('ana', { seeks: ['Design', 'Research'], offers: ['Engineering', 'Data'], interests: ['Climate'] });
  const ben = aPerson('ben', { offers: ['Design'], seeks: ['Engineering'] });

  it('keeps a suggestion when someone only slightly better arrives', () => {
    const sut = aRoom([ana, ben], { perPerson: 1 });
    expect(targetsOf(sut, 'ana')).toEqual(['ben']);

    // 8 points against ben's 7: better, but not by a quarter (and no other list shows ben).
    const changed = sut.upsertPerson(aPerson('dan', { seeks: ['Engineering'], offers: ['Design'], interests: ['Climate'] }), T0 + minutes(1));
    expect(sut.pairScore('ana', 'dan')).toBe(8);

    expect(targetsOf(sut, 'ana')).toEqual(['ben']);
    expect(changed.has('ana')).toBe(false);
    // Nor when ana's own list is looked at again, incrementally or in a global pass.
    expect(sut.updateFor('ana', T0 + minutes(2)).has('ana')).toBe(false);
    expect(sut.globalPass(T0 + minutes(3)).has('ana')).toBe(false);
    expect(targetsOf(sut, 'ana')).toEqual(['ben']);
  });

  it('puts someone no list took in place of an entry another list shows too, at once', () => {
    // Fay wants what ana wants: both list ben, each with room for one.
    const fay = aPerson('fay', { seeks: ['Design', 'Research'], offers: ['Engineering', 'Data'], interests: ['Climate'] });
    const sut = aRoom([ana, fay, ben], { perPerson: 1 });
    expect([targetsOf(sut, 'ana'), targetsOf(sut, 'fay')]).toEqual([['ben'], ['ben']]);

    // Dan is only slightly better than ben for either of them: no list would take him.
    const changed = sut.upsertPerson(aPerson('dan', { seeks: ['Engineering'], offers: ['Design'], interests: ['Climate'], arrivedAt: T0 + minutes(1) }), T0 + minutes(1));

    const lists = [targetsOf(sut, 'ana'), targetsOf(sut, 'fay')];
    expect(lists.filter((l) => l[0] === 'dan')).toHaveLength(1);
    expect(lists.filter((l) => l[0] === 'ben')).toHaveLength(1);
    expect(changed.has('ana') || changed.has('fay')).toBe(true);
  });

  it('replaces it when someone clearly better arrives', () => {
    const sut = aRoom([ana, ben], { perPerson: 1 });
    const changed = sut.upsertPerson(aPerson('eve', { seeks: ['Engineering', 'Data'], offers: ['Design', 'Research'] }), T0 + minutes(1));
    expect(sut.pairScore('ana', 'eve')).toBe(14);
    expect(targetsOf(sut, 'ana')).toEqual(['eve']);
    expect(changed.has('ana')).toBe(true);
    expect(sut.listFor('ana')[0]?.since).toBe(T0 + minutes(1));
  });

  it('gives the same lists for the same inputs and seed', () => {
    const people = Array.from({ length: 40 }, (_, i) =>
      aPerson(`p${i}`, { seeks: [['Design', 'Sales', 'Funding'][i % 3]!], offers: [['Sales', 'Funding', 'Design'][i % 4 % 3]!], interests: i % 2 ? ['AI'] : [] }),
    );
    const lists = () => {
      const sut = aRoom(people, { seed: 7 });
      sut.upsertPerson(aPerson('late', { seeks: ['Sales'], firstTime: true }), T0 + minutes(1));
      return people.map((p) => sut.listFor(p.id));
    };
    expect(lists()).toEqual(lists());
  });
});

describe('MatchingEngine answers', () => {
  it('never suggests again a pair that declined or met', () => {
    const ana = aPerson('ana', { seeks: ['Design'], offers: ['Sales'] });
    const ben = aPerson('ben', { offers: ['Design'], seeks: ['Sales'] });
    const sut = aRoom([ana, ben, aPerson('cara', { offers: ['Design'] })]);
    expect(targetsOf(sut, 'ana')).toContain('ben');

    const changed = sut.recordPairState('ana', 'ben', 'declined', T0 + minutes(1), 'ana');
    expect(changed).toEqual(new Set(['ana', 'ben']));
    expect(targetsOf(sut, 'ana')).toEqual(['cara']);
    expect(targetsOf(sut, 'ben')).toEqual([]);

    sut.upsertPerson({ ...ben, interests: ['New'] }, T0 + minutes(2));
    sut.globalPass(T0 + minutes(3));
    expect(targetsOf(sut, 'ana')).not.toContain('ben');
    expect(targetsOf(sut, 'ben')).not.toContain('ana');

    sut.recordPairState('ana', 'cara', 'met', T0 + minutes(4));
    sut.globalPass(T0 + minutes(5));
    expect(targetsOf(sut, 'ana')).toEqual([]);
  });

  it('holds a pair someone said yes to in both lists, past the list length', () => {
    const sut = aRoom(
      [
        aPerson('ana', { seeks: ['Design'] }),
        aPerson('ben', { offers: ['Design'], seeks: ['Sales'] }),
        aPerson('cara', { offers: ['Sales'], seeks: ['Design'] }),
      ],
      { perPerson: 1 },
    );
    expect(targetsOf(sut, 'ana')).toEqual(['ben']);
    expect(targetsOf(sut, 'ben')).toEqual(['cara']);

    const changed = sut.recordPairState('ana', 'ben', 'accepted_by_one', T0 + minutes(1), 'ana');

    expect(changed.has('ben')).toBe(true);
    expect(sut.listFor('ben')).toMatchObject([{ targetId: 'ana', state: 'accepted_by_one', pinned: true }]);
    expect(sut.listFor('ana')).toMatchObject([{ targetId: 'ben', state: 'accepted_by_one', pinned: true }]);
    sut.globalPass(T0 + minutes(2));
    expect(targetsOf(sut, 'ben')).toEqual(['ana']);
    // ana's entry is pinned; cara lists ben too, as an ordinary entry.
    expect(sut.exposureOf('ben')).toEqual({ listed: 2, pinned: 1, overflow: 0 });
  });

  it('lets someone who answered stop counting as alone', () => {
    const sut = aRoom([aPerson('lou', { hasAccepted: false }), aPerson('ben')]);
    expect(sut.atEdges('lou', T0 + minutes(15))).toBe(true);
    sut.recordPairState('lou', 'ben', 'accepted_by_one', T0 + minutes(15), 'lou');
    expect(sut.atEdges('lou', T0 + minutes(16))).toBe(false);
  });
});

describe('MatchingEngine edges', () => {
  it('routes hosts to first-timers even with nothing in common', () => {
    const sut = aRoom([
      aPerson('hana', { name: 'Hana', host: true }),
      aPerson('finn', { name: 'Finn', firstTime: true, seeks: ['Investors'] }),
      aPerson('rita', { interests: ['AI'] }),
      aPerson('sam', { interests: ['AI'] }),
    ]);
    expect(sut.listFor('finn')).toMatchObject([{ targetId: 'hana', reasons: [{ kind: 'host', text: 'Hana volunteers to welcome newcomers' }] }]);
    expect(sut.listFor('hana')).toMatchObject([{ targetId: 'finn', reasons: [{ kind: 'first_time', text: 'First time here: say hello' }] }]);
  });

  it('gives a first-timer a suggestion on arrival, even when nothing links them', () => {
    const sut = aRoom([aPerson('rita', { interests: ['AI'] }), aPerson('sam', { interests: ['AI'] })]);
    const changed = sut.upsertPerson(aPerson('finn', { firstTime: true }), T0 + minutes(1));
    expect(changed.has('finn')).toBe(true);
    expect(sut.listFor('finn')).toHaveLength(1);
    // Finn said nothing about what they look for: the reason says how to get closer matches.
    expect(sut.listFor('finn')[0]?.reasons).toEqual([
      { kind: 'open', text: `${sut.listFor('finn')[0]?.targetId} is here now: start with a hello. Say what you’re looking for and we’ll find closer matches` },
    ]);
  });

  it('takes the place from a list that keeps others when the only match is at the cap', () => {
    const sut = anEngine({ perPerson: 2, maxExposure: 1 });
    sut.loadPeople([aPerson('t'), aPerson('r1'), aPerson('r2'), aPerson('r3')], T0);
    sut.restoreList('r1', [{ targetId: 't', since: T0 }, { targetId: 'r2', since: T0 }], T0);
    for (const r of ['r1', 'r2', 'r3']) sut.recordPairState('f', r, 'declined', T0);

    const changed = sut.upsertPerson(aPerson('f', { firstTime: true }), T0 + minutes(1));

    expect(targetsOf(sut, 'f')).toEqual(['t']);
    expect(targetsOf(sut, 'r1')).toEqual(['r2']);
    expect(changed).toEqual(new Set(['f', 'r1']));
    expect(sut.exposureOf('t')).toEqual({ listed: 1, pinned: 0, overflow: 0 });
  });

  it('goes past the cap rather than leave a first-timer with nobody', () => {
    const sut = anEngine({ perPerson: 2, maxExposure: 1 });
    sut.loadPeople([aPerson('t'), aPerson('r1')], T0);
    sut.restoreList('r1', [{ targetId: 't', since: T0 }], T0);
    sut.recordPairState('f', 'r1', 'declined', T0);

    sut.upsertPerson(aPerson('f', { firstTime: true }), T0 + minutes(1));

    expect(targetsOf(sut, 'f')).toEqual(['t']);
    expect(targetsOf(sut, 'r1')).toEqual(['t']);
    expect(sut.exposureOf('t')).toEqual({ listed: 2, pinned: 0, overflow: 1 });

    // When the capped place frees up, the extra entry becomes an ordinary one.
    sut.upsertPerson(aPerson('r1', { present: false }), T0 + minutes(2));
    expect(sut.exposureOf('t')).toEqual({ listed: 1, pinned: 0, overflow: 0 });
  });

  it('draws in people alone past the edge minutes', () => {
    const sut = aRoom([aPerson('lou', { name: 'Lou', hasAccepted: false, seeks: ['Knitting'] }), aPerson('rita', { name: 'Rita' })]);
    expect(sut.listFor('lou')).toEqual([]);

    const changed = sut.updateFor('lou', T0 + minutes(10));

    expect(changed.has('lou')).toBe(true);
    expect(sut.listFor('lou')).toMatchObject([{ targetId: 'rita', reasons: [{ kind: 'open', text: 'Rita is here now: start with a hello' }] }]);
  });

  it('routes a host to someone who reached the edges since the last global pass, though nothing else changed', () => {
    // Lou and Rita share a topic, Hana (a host) and Zed another. Once Lou has waited the edge minutes, the
    // next pass (which reuses what it can from the one before) must score Hana's welcome in.
    const sut = aRoom(
      [
        aPerson('lou', { hasAccepted: false, interests: ['AI'] }),
        aPerson('rita', { interests: ['AI'] }),
        aPerson('hana', { host: true, interests: ['Music'] }),
        aPerson('zed', { interests: ['Music'] }),
      ],
      // No refresh in rotation: only what changed is looked up again.
      { perPerson: 1, budget: { globalRefresh: 0 } },
    );
    expect(targetsOf(sut, 'lou')).toEqual(['rita']);
    expect(targetsOf(sut, 'hana')).toEqual(['zed']);

    sut.globalPass(T0 + minutes(10));

    expect(sut.pairScore('lou', 'hana')).toBe(2);
    expect(targetsOf(sut, 'hana')).toEqual(['lou']);
  });

  it('serves a first-timer who had nobody as soon as someone compatible arrives', () => {
    const sut = aRoom([aPerson('finn', { firstTime: true })]);
    expect(sut.listFor('finn')).toEqual([]);
    const changed = sut.upsertPerson(aPerson('rita'), T0 + minutes(1));
    expect(targetsOf(sut, 'finn')).toEqual(['rita']);
    expect(changed.has('finn')).toBe(true);
  });
});

describe('MatchingEngine introductions', () => {
  it('says who can introduce two people', () => {
    const sut = aRoom([
      aPerson('ana', { interests: ['Climate'] }),
      aPerson('ben', { interests: ['Climate'] }),
      aPerson('carla', { name: 'Carla', knows: ['ana', 'ben'] }),
    ]);
    const [forAna] = sut.listFor('ana');
    expect(forAna?.targetId).toBe('ben');
    expect(forAna?.reasons).toContainEqual({ kind: 'introducer', by: 'carla', text: 'Carla knows you both' });
    expect(forAna?.score).toBe(1.5);
  });

  it('says who one of them can introduce the other to', () => {
    const sut = aRoom([
      aPerson('ana', { seeks: ['Design'], interests: ['Climate'] }),
      aPerson('ben', { name: 'Ben', interests: ['Climate'], knows: ['xia'] }),
      aPerson('xia', { name: 'Xia', offers: ['Design'] }),
    ]);
    const forAna = sut.listFor('ana').find((s) => s.targetId === 'ben');
    expect(forAna?.reasons).toContainEqual({ kind: 'connector', via: 'xia', tags: ['Design'], direction: 'to_you', text: "Ben knows Xia, who offers what you’re looking for: design" });
    const forBen = sut.listFor('ben').find((s) => s.targetId === 'ana');
    expect(forBen?.reasons.map((r) => r.text)).toContain('You know Xia, who offers what ana is looking for: design');
  });
});

describe('MatchingEngine caps', () => {
  it('keeps the popular few from being mobbed', () => {
    const people = [
      aPerson('star', { offers: ['Investors'], seeks: ['Design'] }),
      ...Array.from({ length: 8 }, (_, i) => aPerson(`f${i}`, { seeks: ['Investors'], offers: ['Design'] })),
      aPerson('backup', { offers: ['Investors'] }),
    ];
    const sut = aRoom(people, { maxExposure: 3 });
    expect(sut.exposureOf('star').listed).toBe(3);
    expect(sut.exposureOf('backup').listed).toBe(3);
    for (const p of people) expect(sut.listFor(p.id).length).toBeLessThanOrEqual(3);
  });

  it('gives someone with a fitting intent the match at the cap, in place of an entry that fits anyone', () => {
    // Ben is listed up to the cap by two newcomers with no intent yet: he was simply there.
    const sut = anEngine({ perPerson: 3, maxExposure: 2 });
    const newcomer = (id: string) => aPerson(id, { firstTime: true });
    sut.loadPeople([aPerson('ben', { seeks: ['Design'], offers: ['Investors'], interests: ['Climate'] }), newcomer('n1'), newcomer('n2'), newcomer('n3')], T0);
    sut.restoreList('n1', [{ targetId: 'ben', since: T0 }], T0);
    sut.restoreList('n2', [{ targetId: 'ben', since: T0 }], T0);
    sut.restoreList('n3', [{ targetId: 'n1', since: T0 }], T0);
    expect(sut.exposureOf('ben')).toEqual({ listed: 2, pinned: 0, overflow: 0 });

    const changed = sut.upsertPerson(aPerson('ana', { seeks: ['Investors'], offers: ['Design'], interests: ['Climate'], arrivedAt: T0 + minutes(1) }), T0 + minutes(1));

    // The two who fit each other both way meet; the newcomer who gave way still has someone.
    expect(targetsOf(sut, 'ana')).toEqual(['ben']);
    expect(targetsOf(sut, 'ben')).toContain('ana');
    expect(sut.exposureOf('ben')).toEqual({ listed: 2, pinned: 0, overflow: 0 });
    const gaveWay = ['n1', 'n2'].filter((id) => !targetsOf(sut, id).includes('ben'));
    expect(gaveWay).toHaveLength(1);
    expect(targetsOf(sut, gaveWay[0]!)).toHaveLength(1);
    expect(changed.has(gaveWay[0]!)).toBe(true);
    for (const id of ['n1', 'n2', 'n3']) expect(sut.atEdges(id)).toBe(true);
  });

  it('rebuilds lists as they were after a restart', () => {
    const people = [aPerson('ana', { seeks: ['Design'] }), aPerson('ben', { offers: ['Design'] }), aPerson('cara', { offers: ['Design'] })];
    const sut = anEngine({ perPerson: 1 });
    sut.loadPeople(people, T0);
    sut.restoreList('ana', [{ targetId: 'cara', since: T0 - minutes(3) }], T0);
    sut.globalPass(T0);
    expect(sut.listFor('ana')).toMatchObject([{ targetId: 'cara', since: T0 - minutes(3) }]);
  });
});
