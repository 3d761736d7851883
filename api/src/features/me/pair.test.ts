import { describe, expect, it } from 'vitest';
import { decideAnswer, decideMet, type Side } from './pair';

const side = (state: Side['state'], answer: Side['answer'] = null): Side => ({ state, answer });

describe('decideAnswer', () => {
  it('waits for the other person after a first yes, and gives them a row to answer when they have none', () => {
    expect(decideAnswer(side('proposed'), null, 'yes')).toEqual({ kind: 'change', state: 'accepted_by_one', createReverse: true });
    expect(decideAnswer(side('proposed'), side('proposed'), 'yes')).toEqual({ kind: 'change', state: 'accepted_by_one', createReverse: false });
  });

  it('makes the pair mutual when the other person already said yes', () => {
    expect(decideAnswer(side('accepted_by_one'), side('accepted_by_one', 'yes'), 'yes')).toEqual({ kind: 'change', state: 'mutual', createReverse: false });
  });

  it('declines the pair on a no, even after an earlier yes', () => {
    expect(decideAnswer(side('proposed'), null, 'no')).toEqual({ kind: 'change', state: 'declined', createReverse: false });
    expect(decideAnswer(side('accepted_by_one', 'yes'), side('accepted_by_one'), 'no')).toMatchObject({ kind: 'change', state: 'declined' });
    expect(decideAnswer(side('accepted_by_one'), side('accepted_by_one', 'yes'), 'no')).toMatchObject({ kind: 'change', state: 'declined' });
  });

  it('treats a repeated answer as no change', () => {
    expect(decideAnswer(side('accepted_by_one', 'yes'), side('accepted_by_one'), 'yes')).toEqual({ kind: 'unchanged' });
    expect(decideAnswer(side('mutual', 'yes'), side('mutual', 'yes'), 'yes')).toEqual({ kind: 'unchanged' });
    expect(decideAnswer(side('declined', 'no'), side('declined'), 'no')).toEqual({ kind: 'unchanged' });
  });

  it('records each own yes on a pair an introduction made mutual, and lets either close it with a no', () => {
    expect(decideAnswer(side('mutual'), side('mutual'), 'yes')).toEqual({ kind: 'change', state: 'mutual', createReverse: false });
    expect(decideAnswer(side('mutual'), side('mutual', 'yes'), 'yes')).toEqual({ kind: 'change', state: 'mutual', createReverse: false });
    expect(decideAnswer(side('mutual'), side('mutual', 'yes'), 'no')).toEqual({ kind: 'change', state: 'declined', createReverse: false });
    expect(decideAnswer(side('met'), side('met', 'yes'), 'yes')).toEqual({ kind: 'change', state: 'met', createReverse: false });
    expect(decideAnswer(side('met'), side('met'), 'no').kind).toBe('refused');
  });

  it('refuses to reopen a declined, met or expired pair, or to take back a mutual yes', () => {
    expect(decideAnswer(side('declined'), side('declined', 'no'), 'yes').kind).toBe('refused');
    expect(decideAnswer(side('proposed'), side('proposed', 'no'), 'yes').kind).toBe('refused');
    expect(decideAnswer(side('met', 'yes'), side('met', 'yes'), 'yes').kind).toBe('refused');
    expect(decideAnswer(side('expired'), null, 'yes').kind).toBe('refused');
    expect(decideAnswer(side('mutual', 'yes'), side('mutual', 'yes'), 'no').kind).toBe('refused');
  });
});

describe('decideMet', () => {
  it('closes a mutual pair, once', () => {
    expect(decideMet(side('mutual', 'yes'), side('mutual', 'yes'))).toEqual({ kind: 'change', state: 'met', createReverse: false });
    expect(decideMet(side('met', 'yes'), side('met', 'yes'))).toEqual({ kind: 'unchanged' });
  });

  it('means nothing before both said yes', () => {
    expect(decideMet(side('accepted_by_one', 'yes'), side('accepted_by_one')).kind).toBe('refused');
    expect(decideMet(side('proposed'), null).kind).toBe('refused');
  });
});
