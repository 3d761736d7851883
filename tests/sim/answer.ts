import type { Rng } from './rng';

/**
 * How a simulated attendee answers a suggestion: a person says yes more often the more
 * reasons they are given to meet someone, and more readily to someone who already said yes
 * to them; nobody says yes to everything.
 */
export const ANSWER_RULE = {
  perReason: 0.25,
  theyAcceptedBonus: 0.2,
  cap: 0.85,
  /** Think time before answering, in simulated seconds. */
  thinkMinS: 15,
  thinkMaxS: 180,
} as const;

export interface Answerable {
  reasons: readonly unknown[];
  theyAccepted: boolean;
}

export function yesProbability(s: Answerable): number {
  const p = ANSWER_RULE.perReason * s.reasons.length + (s.theyAccepted ? ANSWER_RULE.theyAcceptedBonus : 0);
  return Math.min(ANSWER_RULE.cap, p);
}

export interface AnswerPlan {
  answer: 'yes' | 'no';
  /** Simulated seconds after the suggestion was first seen. */
  thinkS: number;
}

/** One seeded decision; draws exactly two numbers, so streams stay aligned run to run. */
export function planAnswer(rng: Rng, s: Answerable): AnswerPlan {
  const yes = rng() < yesProbability(s);
  const thinkS = ANSWER_RULE.thinkMinS + rng() * (ANSWER_RULE.thinkMaxS - ANSWER_RULE.thinkMinS);
  return { answer: yes ? 'yes' : 'no', thinkS };
}
