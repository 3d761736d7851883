import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventTemplates, topicLookup, type Topic } from '@edgewise/shared';
import { mirrorReasons } from '../features/me/reasons';
import { joinTags, renderReasons, sameRole, type ReasonFacts } from './reasons';
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
      { kind: 'receives', tags: ['Investors'], text: "Ben offers what you’re looking for: investors" },
      { kind: 'gives', tags: ['Design'], text: 'Ben is looking for design, which you can offer' },
      { kind: 'common', tags: ['Climate', 'AI'], text: "You’re both into Climate and AI" },
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
      "Ana knows Xia, who offers what you’re looking for: funding",
    ]);
  });

  it('speaks of a connection the viewer can make for the other', () => {
    const [reason] = renderReasons(facts({ connector: { via: { id: 'x', name: 'Xia' }, tags: ['Design'], direction: 'from_you' } }));
    expect(reason).toEqual({
      kind: 'connector',
      via: 'x',
      tags: ['Design'],
      direction: 'from_you',
      text: 'You know Xia, who offers what Ben is looking for: design',
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
      "Ben offers what you’re looking for: investors",
      'Ben is looking for design, which you can offer',
      "You’re both into Climate",
    ]);
    const [forBen] = sut.listFor('ben');
    expect(forBen?.reasons.map((r) => r.text)).toEqual([
      "Ana offers what you’re looking for: design",
      'Ana is looking for investors, which you can offer',
      "You’re both into Climate",
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
    expect(sut.listFor('ana')[0]?.reasons[0]?.text).toBe("Ben offers what you’re looking for: investors and funding");
  });
});

describe('reasons with two-sided topics', () => {
  const topics = topicLookup([
    { id: 'investment', seekLabel: 'Investment', offerLabel: 'I invest' },
    { id: 'jobs', seekLabel: 'A job', offerLabel: "I'm hiring" },
    { id: 'co-founder', seekLabel: 'A co-founder', offerLabel: 'A co-founder' },
  ]);

  it("quotes the giver's side in their own words and names the seeker's side", () => {
    const texts = renderReasons(facts({ topics, receives: ['investment'], gives: ['jobs'] })).map((r) => r.text);
    expect(texts).toEqual(["Ben says “I invest”: you’re looking for investment", 'Ben is looking for a job: you said “I\'m hiring”']);
  });

  it('reads a one-label topic the same both ways, and mixes both kinds in one sentence', () => {
    const texts = renderReasons(facts({ topics, receives: ['co-founder'], gives: ['co-founder', 'investment'] })).map((r) => r.text);
    expect(texts).toEqual([
      "Ben offers what you’re looking for: a co-founder",
      'Ben is looking for a co-founder and investment: you said “I invest” and can offer a co-founder',
    ]);
  });

  it('turns a connection around with the right side', () => {
    const [toYou] = renderReasons(facts({ topics, connector: { via: { id: 'x', name: 'Xia' }, tags: ['investment'], direction: 'to_you' } }));
    const [fromYou] = renderReasons(facts({ topics, connector: { via: { id: 'x', name: 'Xia' }, tags: ['jobs'], direction: 'from_you' } }));
    expect(toYou?.text).toBe("Ben knows Xia, who says “I invest”: you’re looking for investment");
    expect(fromYou?.text).toBe('You know Xia, who says “I\'m hiring”: Ben is looking for a job');
  });

  it('tells someone who said nothing about their intent how to get closer matches', () => {
    expect(renderReasons(facts({ viewerWithoutIntent: true })).map((r) => r.text)).toEqual([
      "Ben is here now: start with a hello. Say what you’re looking for and we’ll find closer matches",
    ]);
  });
});

/**
 * Every sentence over every template's vocabulary: one-label and two-label topics, both
 * directions, alone and mixed. What a wrong side looks like is checkable: an offering label
 * ("I invest") outside quotes, "offers" before a first-person label, a label's leading
 * capital mid-sentence, doubled words or spaces, a dangling joiner.
 */
describe('reason sentences over the templates (property)', () => {
  const grammatical = (text: string, vocab: readonly Topic[]) => {
    expect(text).toMatch(/^[A-Z“]/);
    expect(text).not.toMatch(/ {2}|\b(\w+) \1\b|, ,|: :|\band$|\bwhich$|[,:]$/);
    const unquoted = text.replace(/“[^”]*”/g, '«»');
    expect(unquoted).not.toMatch(/[“”]/);
    for (const t of vocab) {
      if (t.offerLabel !== t.seekLabel) {
        // An offering label appears only quoted, as the person's own words.
        expect(unquoted.includes(t.offerLabel)).toBe(false);
      }
    }
    expect(unquoted).not.toMatch(/\boffers (I|I'm|I'll|I'd)\b/);
    expect(unquoted).not.toMatch(/looking for (A|An|The) /);
  };

  for (const template of eventTemplates) {
    it(`reads right for every topic of “${template.name}”, both ways`, () => {
      const lookup = topicLookup(template.topics);
      const ids = template.topics.map((t) => t.id);
      fc.assert(
        fc.property(
          fc.subarray(ids, { minLength: 1, maxLength: 5 }),
          fc.subarray(ids, { minLength: 0, maxLength: 5 }),
          fc.constantFrom('to_you' as const, 'from_you' as const),
          fc.constantFrom('Ana', undefined),
          (receives, gives, direction, name) => {
            const reasons = renderReasons(
              facts({ target: { id: 'a', name }, topics: lookup, receives, gives, connector: { via: { id: 'x', name: 'Xia' }, tags: receives, direction } }),
            );
            for (const r of reasons) grammatical(r.text, template.topics);
            const mirrored = mirrorReasons(reasons as never, { id: 'a', name: name ?? 'Ana', firstTime: false }, new Map([['x', 'Xia']]), lookup);
            for (const r of mirrored) grammatical(r.text, template.topics);
          },
        ),
        { numRuns: 200 },
      );
    });
  }
});

describe('people without intent', () => {
  it('hear of a role they share with the person suggested, from the two guest-list entries', () => {
    const sut = aRoom([aPerson('ana', { name: 'Ana', role: 'Product designer', firstTime: true }), aPerson('ben', { name: 'Ben', role: 'product  designer ' })]);
    expect(sut.listFor('ana')[0]?.reasons.map((r) => r.text)).toContain('Same role as you: product designer');
  });

  it('are told nothing of a role when they stated an intent, or when the roles differ', () => {
    expect(sameRole('Founder', 'founder ')).toBe('founder');
    expect(sameRole('Founder', 'Investor')).toBeUndefined();
    expect(sameRole('', '')).toBeUndefined();
    const sut = aRoom([aPerson('ana', { name: 'Ana', role: 'Founder', seeks: ['investment'] }), aPerson('ben', { name: 'Ben', role: 'Founder' })]);
    expect(sut.listFor('ana')[0]?.reasons.map((r) => r.kind) ?? []).not.toContain('role');
  });
});
