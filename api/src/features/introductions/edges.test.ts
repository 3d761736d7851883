import { describe, expect, it } from 'vitest';
import { aPerson, minutes, T0 } from '../../matching/testing';
import { findEdges, nearestForHost, pairKey } from './edges';

const options = { edgeMinutes: 10, maxPeople: 50, perPerson: 3 };
const none = new Set<string>();

describe('findEdges', () => {
  it('takes first-timers at once and others only past the edge minutes without a yes or a mutual pair', () => {
    const people = [
      aPerson('new', { firstTime: true }),
      aPerson('alone', { hasAccepted: false, arrivedAt: T0 }),
      aPerson('fresh', { hasAccepted: false, arrivedAt: T0 + minutes(5) }),
      aPerson('matched', { hasAccepted: false }),
      aPerson('yes', { hasAccepted: true }),
      aPerson('out', { firstTime: true, optedOut: true }),
      aPerson('gone', { firstTime: true, present: false }),
    ];
    const sut = findEdges(people, none, new Set(['matched']), T0 + minutes(11), options);
    expect(sut.ids).toEqual(['new', 'alone']);
    expect(sut.entries.map((e) => [e.id, e.since])).toEqual([
      ['new', T0],
      ['alone', T0 + minutes(10)],
    ]);
  });

  it('offers hosts first to a first-timer, then the best two-way fit, never an excluded pair', () => {
    const people = [
      aPerson('new', { firstTime: true, name: 'Ana Sousa', seeks: ['investment'], offers: ['design'], interests: ['Climate'] }),
      aPerson('host', { host: true, name: 'Hana Ito' }),
      aPerson('fit', { name: 'Ben Okafor', seeks: ['design'], offers: ['investment'], interests: ['Climate'] }),
      aPerson('one-way', { name: 'Cy Lam', offers: ['investment'] }),
      aPerson('declined', { name: 'Di Park', seeks: ['design'], offers: ['investment'] }),
    ];
    const topics = [
      { id: 'investment', seekLabel: 'Investment', offerLabel: 'I invest' },
      { id: 'design', seekLabel: 'Design', offerLabel: 'Design' },
    ];
    const sut = findEdges(people, new Set([pairKey('declined', 'new')]), none, T0, { ...options, topics });
    const [entry] = sut.entries;
    expect(entry?.candidates.map((c) => c.id)).toEqual(['host', 'fit', 'one-way']);
    // Each side of a topic where it fits: Ben's in his words, Ana's as what she looks for.
    expect(entry?.candidates[1]?.reasons.map((r) => r.text)).toEqual([
      'Ben says “I invest”: Ana is looking for investment',
      'Ana offers what Ben is looking for: design',
      'Both into Climate',
    ]);
    // One tag each way and a shared interest: 20·2 + 30 + 10 units.
    expect(entry?.candidates[1]?.score).toBe(8);

    // In the organiser's language, with the event's labels in it where it has them.
    const translated = topics.map((t) => (t.id === 'investment' ? { ...t, translations: { de: { seekLabel: 'Investition', offerLabel: 'Ich investiere' } } } : t));
    const de = findEdges(people, new Set([pairKey('declined', 'new')]), none, T0, { ...options, topics: translated, language: 'de', interestTranslations: { Climate: { de: 'Klima' } } });
    expect(de.entries[0]?.candidates[1]?.reasons.map((r) => r.text)).toEqual([
      'Ben kann Ana weiterhelfen bei: Investition',
      'Ana kann Ben weiterhelfen bei: Design',
      'Gemeinsame Interessen: Klima',
    ]);
    expect(de.entries[0]?.candidates[0]?.reasons.map((r) => r.text)).toContain('Hana kümmert sich gern um Neue');
  });

  it('scores only the longest waiting, up to the cap, but counts everyone', () => {
    const people = Array.from({ length: 30 }, (_, i) => aPerson(`p${String(i).padStart(2, '0')}`, { firstTime: true, arrivedAt: T0 + i }));
    const sut = findEdges(people, none, none, T0 + minutes(1), { ...options, maxPeople: 5 });
    expect(sut.ids).toHaveLength(30);
    expect(sut.entries.map((e) => e.id)).toEqual(['p00', 'p01', 'p02', 'p03', 'p04']);
  });
});

describe('nearestForHost', () => {
  it('ranks the people at the edges by their fit with the host, then by how long they waited', () => {
    const host = aPerson('host', { host: true, offers: ['Mentoring'] });
    const people = [host, aPerson('a', { firstTime: true }), aPerson('b', { firstTime: true, seeks: ['Mentoring'] }), aPerson('c', { firstTime: true })];
    expect(nearestForHost(host, people, ['a', 'b', 'c', 'host'], new Set([pairKey('host', 'c')]), 5)).toEqual(['b', 'a']);
  });
});
