import type { Answer, PairState } from '@edgewise/shared';

/** One direction of a pair as the rules need it. */
export interface Side {
  state: PairState;
  answer: Answer | null;
}

export type Decision =
  | { kind: 'unchanged' }
  | { kind: 'refused'; message: string }
  /** `createReverse`: the other person has no row for this pair yet and needs one to answer. */
  | { kind: 'change'; state: PairState; createReverse: boolean };

/** Declined and met are final for the pair, whichever row says so. */
function finalState(mine: Side, theirs: Side | null): PairState | null {
  for (const s of [mine.state, theirs?.state]) if (s === 'declined' || s === 'met') return s;
  if (mine.answer === 'no' || theirs?.answer === 'no') return 'declined';
  return null;
}

/**
 * What the viewer's yes or no does to the pair. A no declines it for both (never suggested
 * again). A yes makes it mutual when the other already said yes, and otherwise waits for
 * them as `accepted_by_one`. Repeating an answer changes nothing, so a phone may resend.
 */
export function decideAnswer(mine: Side, theirs: Side | null, answer: Answer): Decision {
  const final = finalState(mine, theirs);
  if (final === 'declined') {
    return mine.answer === 'no' && answer === 'no' ? { kind: 'unchanged' } : { kind: 'refused', message: 'This suggestion was declined, so it is closed.' };
  }
  if (final === 'met') {
    // Introduced people may meet before either said yes: a yes then still shares contacts.
    if (answer === 'yes' && mine.answer !== 'yes' && mine.state === 'met') return { kind: 'change', state: 'met', createReverse: false };
    return { kind: 'refused', message: 'You have already met.' };
  }
  if (mine.state === 'expired') return { kind: 'refused', message: 'This suggestion has expired: your list has newer ones.' };
  if (mine.state === 'mutual') {
    // A pair an introduction made mutual still waits for each one's own yes before
    // contact details pass; a no closes it like any decline.
    if (mine.answer === 'yes') {
      return answer === 'yes' ? { kind: 'unchanged' } : { kind: 'refused', message: 'You said yes already: your contact details are shared once they say yes too.' };
    }
    return { kind: 'change', state: answer === 'yes' ? 'mutual' : 'declined', createReverse: false };
  }
  if (answer === 'no') return { kind: 'change', state: 'declined', createReverse: false };
  if (theirs?.answer === 'yes') return { kind: 'change', state: 'mutual', createReverse: false };
  if (mine.answer === 'yes' && mine.state === 'accepted_by_one') return { kind: 'unchanged' };
  return { kind: 'change', state: 'accepted_by_one', createReverse: theirs === null };
}

/** "We met" closes a mutual pair; it means nothing before both said yes. */
export function decideMet(mine: Side, theirs: Side | null): Decision {
  if (mine.state === 'met' || theirs?.state === 'met') return { kind: 'unchanged' };
  if (mine.state !== 'mutual') return { kind: 'refused', message: 'Mark "we met" once you have both said yes.' };
  return { kind: 'change', state: 'met', createReverse: false };
}
