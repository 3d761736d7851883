import { describe, expect, it } from 'vitest';
import { ANSWER_RULE, planAnswer, yesProbability } from './answer';
import { rngFor, seededRng } from './rng';

const reasons = (n: number) => Array.from({ length: n }, () => ({ kind: 'common', text: 'x' }));

describe('the answer rule', () => {
  it('says yes more readily with more reasons, and never always', () => {
    expect(yesProbability({ reasons: reasons(0), theyAccepted: false })).toBe(0);
    expect(yesProbability({ reasons: reasons(1), theyAccepted: false })).toBeCloseTo(0.25);
    expect(yesProbability({ reasons: reasons(2), theyAccepted: true })).toBeCloseTo(0.7);
    expect(yesProbability({ reasons: reasons(9), theyAccepted: true })).toBe(ANSWER_RULE.cap);
  });

  it('answers at about the stated rate, after a think time within bounds', () => {
    const rng = seededRng(3);
    const plans = Array.from({ length: 4000 }, () => planAnswer(rng, { reasons: reasons(2), theyAccepted: false }));
    const yes = plans.filter((p) => p.answer === 'yes').length / plans.length;
    expect(yes).toBeGreaterThan(0.46);
    expect(yes).toBeLessThan(0.54);
    expect(plans.every((p) => p.thinkS >= ANSWER_RULE.thinkMinS && p.thinkS <= ANSWER_RULE.thinkMaxS)).toBe(true);
  });

  it('is reproducible per attendee and seed', () => {
    const a = Array.from({ length: 5 }, ((rng) => () => planAnswer(rng, { reasons: reasons(1), theyAccepted: false }))(rngFor(9, 'p01')));
    const b = Array.from({ length: 5 }, ((rng) => () => planAnswer(rng, { reasons: reasons(1), theyAccepted: false }))(rngFor(9, 'p01')));
    const c = Array.from({ length: 5 }, ((rng) => () => planAnswer(rng, { reasons: reasons(1), theyAccepted: false }))(rngFor(9, 'p02')));
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });
});
