import { describe, expect, it } from 'vitest';
import { topicLookup } from '@edgewise/shared';
import { mirrorReasons, peopleNamedIn } from './reasons';

const ana = { id: 'a', name: 'Ana Sousa', firstTime: false };
const topics = topicLookup([
  { id: 'investment', seekLabel: 'Investment', offerLabel: 'I invest' },
  { id: 'design', seekLabel: 'Design', offerLabel: 'Design' },
]);

describe('mirrorReasons', () => {
  it('opens with who would like to meet, then turns what each gives around', () => {
    const reasons = mirrorReasons(
      [
        { kind: 'receives', tags: ['investment'], text: "Bo says “I invest”: you're looking for investment" },
        { kind: 'gives', tags: ['design'], text: 'Bo is looking for design, which you can offer' },
        { kind: 'common', tags: ['Climate'], text: "You're both into Climate" },
      ],
      ana,
      new Map(),
      topics,
    );
    // What Bo offered Ana is what Ana looks for, each side in its own words.
    expect(reasons.map((r) => [r.kind, r.text])).toEqual([
      ['wants_to_meet', 'Ana Sousa would like to meet you'],
      ['receives', "Ana Sousa offers what you’re looking for: design"],
      ['gives', 'Ana Sousa is looking for investment: you said “I invest”'],
      ['common', "You’re both into Climate"],
    ]);
  });

  it('drops facts about the old target and says the asker is new when they are', () => {
    const reasons = mirrorReasons(
      [
        { kind: 'first_time', text: 'First time here: say hello' },
        { kind: 'host', text: 'Bo volunteers to welcome newcomers' },
        { kind: 'open', text: 'Bo is here now: start with a hello' },
      ],
      { ...ana, firstTime: true },
      new Map(),
    );
    expect(reasons.map((r) => r.kind)).toEqual(['wants_to_meet', 'first_time']);
  });

  it('keeps an introducer and flips a connector, naming them from the look-up', () => {
    const names = new Map([
      ['c', 'Cy'],
      ['d', 'Di'],
    ]);
    const reasons = mirrorReasons(
      [
        { kind: 'introducer', by: 'c', text: 'Cy knows you both' },
        { kind: 'connector', via: 'd', tags: ['investment'], direction: 'to_you', text: 'Bo knows Di, who says “I invest”' },
      ],
      ana,
      names,
      topics,
    );
    expect(reasons.slice(1)).toEqual([
      { kind: 'introducer', by: 'c', text: 'Cy knows you both' },
      expect.objectContaining({ kind: 'connector', via: 'd', direction: 'from_you', text: 'You know Di, who says “I invest”: Ana Sousa is looking for investment' }),
    ]);
    expect(peopleNamedIn([{ kind: 'introducer', by: 'c', text: '' }, { kind: 'connector', via: 'd', text: '' }, { kind: 'common', text: '' }])).toEqual(['c', 'd']);
  });
});
