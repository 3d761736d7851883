import { describe, expect, it } from 'vitest';
import { joinTags, renderReasons, type ReasonFacts } from './reasons';
import { T0, aPerson, aRoom } from './testing';

const facts = (f: Partial<ReasonFacts>): ReasonFacts => ({
  target: { id: 'b', name: 'Ben' },
  receives: [],
  gives: [],
  common: [],
  targetFirstTime: false,
  targetWelcomes: false,
  ...f,
});

describe('joinTags', () => {
  it.each([
    [[], ''],
    [['Design'], 'Design'],
    [['Design', 'AI'], 'Design and AI'],
    [['A', 'B', 'C'], 'A, B and C'],
    [['A', 'B', 'C', 'D', 'E'], 'A, B, C and 2 more'],
  ])('%j reads as %j', (tags, text) => {
    expect(joinTags(tags)).toBe(text);
  });
});

describe('renderReasons', () => {
  it('says what the other offers, what they look for and what you share', () => {
    expect(renderReasons(facts({ receives: ['Investors'], gives: ['Design'], common: ['Climate', 'AI'] }))).toEqual([
      { kind: 'receives', tags: ['Investors'], text: "Ben offers Investors, which you're looking for" },
      { kind: 'gives', tags: ['Design'], text: "Ben is looking for Design: that's you" },
      { kind: 'common', tags: ['Climate', 'AI'], text: 'You both are into Climate and AI' },
    ]);
  });

  it('welcomes first-timers and names hosts and introducers', () => {
    const reasons = renderReasons(
      facts({
        target: { id: 'a', name: 'Ana' },
        targetFirstTime: true,
        targetWelcomes: true,
        introducer: { id: 'c', name: 'Carla' },
        connector: { via: { id: 'x', name: 'Xia' }, tags: ['Funding'], direction: 'to_you' },
      }),
    );
    expect(reasons.map((r) => r.text)).toEqual([
      'Ana volunteers to welcome newcomers',
      'First time here: say hello',
      'Carla knows you both',
      'Ana knows Xia, who offers Funding',
    ]);
  });

  it('speaks of a connection the viewer can make for the other', () => {
    const [reason] = renderReasons(facts({ connector: { via: { id: 'x', name: 'Xia' }, tags: ['Design'], direction: 'from_you' } }));
    expect(reason).toEqual({
      kind: 'connector',
      via: 'x',
      tags: ['Design'],
      direction: 'from_you',
      text: 'You know Xia, who offers Design, which Ben is looking for',
    });
  });

  it('never leaves a card without a reason, and copes without names', () => {
    expect(renderReasons(facts({ target: { id: 'b' } }))).toEqual([{ kind: 'open', text: 'This person is here now: start with a hello' }]);
    expect(renderReasons(facts({ target: { id: 'b', name: '  ' }, introducer: { id: 'c' } })).map((r) => r.text)).toEqual([
      'Someone here knows you both',
    ]);
  });
});

describe('reasons on suggestions', () => {
  it('are made from the two profiles and speak to the viewer', () => {
    const sut = aRoom([
      aPerson('ana', { name: 'Ana', seeks: ['Investors'], offers: ['Design'], interests: ['Climate'] }),
      aPerson('ben', { name: 'Ben', seeks: ['design'], offers: ['investors'], interests: ['climate'] }),
    ]);
    const [forAna] = sut.listFor('ana');
    expect(forAna?.reasons.map((r) => r.text)).toEqual([
      "Ben offers Investors, which you're looking for",
      "Ben is looking for Design: that's you",
      'You both are into Climate',
    ]);
    const [forBen] = sut.listFor('ben');
    expect(forBen?.reasons.map((r) => r.text)).toEqual([
      "Ana offers Design, which you're looking for",
      "Ana is looking for Investors: that's you",
      'You both are into Climate',
    ]);
  });

  it('follow a change of intent', () => {
    const sut = aRoom([
      aPerson('ana', { name: 'Ana', seeks: ['Investors'] }),
      aPerson('ben', { name: 'Ben', offers: ['Investors'], interests: ['AI'] }),
    ]);
    const changed = sut.upsertPerson(aPerson('ben', { name: 'Ben', offers: ['Investors', 'Funding'], interests: ['AI'] }), T0);
    expect(changed.has('ana')).toBe(true);
    sut.upsertPerson(aPerson('ana', { name: 'Ana', seeks: ['Investors', 'Funding'] }), T0);
    expect(sut.listFor('ana')[0]?.reasons[0]?.text).toBe("Ben offers Investors and Funding, which you're looking for");
  });
});
