import { describe, expect, it } from 'vitest';
import { mirrorReasons, peopleNamedIn } from './reasons';

const ana = { id: 'a', name: 'Ana Sousa', firstTime: false };

describe('mirrorReasons', () => {
  it('opens with who would like to meet, then turns what each gives around', () => {
    const reasons = mirrorReasons(
      [
        { kind: 'receives', tags: ['Investors'], text: "Bo offers Investors, which you're looking for" },
        { kind: 'gives', tags: ['Design'], text: "Bo is looking for Design: that's you" },
        { kind: 'common', tags: ['Climate'], text: 'You both are into Climate' },
      ],
      ana,
      new Map(),
    );
    expect(reasons.map((r) => [r.kind, r.text])).toEqual([
      ['wants_to_meet', 'Ana Sousa would like to meet you'],
      ['receives', "Ana Sousa offers Design, which you're looking for"],
      ['gives', "Ana Sousa is looking for Investors: that's you"],
      ['common', 'You both are into Climate'],
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
        { kind: 'connector', via: 'd', tags: ['Funding'], direction: 'to_you', text: 'Bo knows Di, who offers Funding' },
      ],
      ana,
      names,
    );
    expect(reasons.slice(1)).toEqual([
      { kind: 'introducer', by: 'c', text: 'Cy knows you both' },
      expect.objectContaining({ kind: 'connector', via: 'd', direction: 'from_you', text: 'You know Di, who offers Funding, which Ana Sousa is looking for' }),
    ]);
    expect(peopleNamedIn([{ kind: 'introducer', by: 'c', text: '' }, { kind: 'connector', via: 'd', text: '' }, { kind: 'common', text: '' }])).toEqual(['c', 'd']);
  });
});
