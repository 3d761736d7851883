import type { CheckinOutcome, CheckinStatus } from '@edgewise/shared';
import type { OfflineDecision } from '../../features/offline-queue/checkinList';

/** What the result screen is showing. */
export type ResultView =
  | { kind: 'checking' }
  | { kind: 'outcome'; outcome: CheckinOutcome }
  /** Offline, decided from the check-in list on the kiosk; queued for the server. */
  | { kind: 'offline'; decision: OfflineDecision }
  /** Offline with no check-in list to decide with: saved, but the ticket is unchecked. */
  | { kind: 'queued' }
  /** Scanned text that holds no Edgewise ticket: refused before any request. */
  | { kind: 'not_a_ticket' }
  /** Name search while this unattended kiosk is offline: it cannot confirm who it is. */
  | { kind: 'offline_name_search' }
  | { kind: 'error'; message: string };

export type Tone = 'ok' | 'info' | 'warn' | 'bad';

export interface ResultCopy {
  tone: Tone;
  /** Shown beside the text, so the result never rests on colour alone. */
  icon: string;
  heading: string;
  detail: string;
  /** The person is in: offer the intent form. */
  canEditIntent: boolean;
  /** Point to the name search: the ticket did not work, the person may still be on the list. */
  suggestNameSearch: boolean;
}

const refusalHeading: Record<Exclude<CheckinStatus, 'ok' | 'already_checked_in'>, string> = {
  not_checked_in: "You're not checked in",
  unknown_token: "We don't recognise this ticket",
  revoked: 'This ticket is no longer valid',
  wrong_event: 'This ticket is for another event',
  event_closed: 'Check-in has closed',
  event_not_open: "Check-in hasn't opened yet",
  confirmation_required: 'Confirm it is you',
  confirmation_failed: 'Please ask at the desk',
};

/**
 * The server's message under a heading that already says its first sentence ("We don't
 * recognise this ticket" over "We don't recognise this ticket. Try again..."): the rest only.
 */
export function withoutHeading(message: string, heading: string): string {
  const norm = (s: string) => s.trim().replace(/[.!]+$/, '').toLocaleLowerCase();
  const cut = /^[^.!?]*[.!?]\s*/.exec(message);
  if (!cut || norm(cut[0]) !== norm(heading)) return message;
  const rest = message.slice(cut[0].length).trim();
  return rest || message;
}

/** The words, icon and colour for one result, written to be read from two metres. */
export function describeResult(view: ResultView, eventName: string): ResultCopy {
  const base = { canEditIntent: false, suggestNameSearch: false };
  switch (view.kind) {
    case 'checking':
      return { ...base, tone: 'info', icon: '…', heading: 'Checking your ticket…', detail: 'One moment.' };
    case 'queued':
      return {
        ...base,
        tone: 'warn',
        icon: '!',
        heading: "We can't check your ticket right now",
        detail: 'This kiosk is offline and has no guest list yet. Please show your ticket to a member of staff.',
      };
    case 'offline':
      return { ...describeOutcome(offlineOutcome(view.decision), eventName), canEditIntent: false };
    case 'not_a_ticket':
      return {
        ...base,
        tone: 'bad',
        icon: '✕',
        heading: 'That code is not an Edgewise ticket',
        detail: 'Scan the QR code from your ticket email or badge, or find yourself by name.',
        suggestNameSearch: true,
      };
    case 'offline_name_search':
      return {
        ...base,
        tone: 'warn',
        icon: '!',
        heading: "We can't check you in by name right now",
        detail: 'This kiosk is offline, so it cannot confirm your name. Scan the QR code on your badge or ticket email, or ask at the desk.',
      };
    case 'error':
      return { ...base, tone: 'bad', icon: '!', heading: 'Something went wrong', detail: `${view.message} Try again, or ask at the desk.` };
    case 'outcome':
      return describeOutcome(view.outcome, eventName);
  }
}

function describeOutcome(outcome: CheckinOutcome, eventName: string): ResultCopy {
  const name = outcome.attendee?.name ?? null;
  if (outcome.status === 'ok') {
    const heading =
      outcome.reason === 're_entry'
        ? `Welcome back${name ? `, ${name}` : ''}!`
        : outcome.reason === 'exit'
          ? `Goodbye${name ? `, ${name}` : ''}!`
          : `Welcome${name ? `, ${name}` : ''}!`;
    const detail =
      outcome.reason === 'first_entry' && outcome.attendee?.firstTime
        ? `Welcome to your first ${eventName}!`
        : outcome.reason === 'exit'
          ? 'Thanks for coming.'
          : "You're checked in. Go right in!";
    return { tone: 'ok', icon: '✓', heading, detail, canEditIntent: outcome.reason !== 'exit' && name !== null, suggestNameSearch: false };
  }
  if (outcome.status === 'already_checked_in') {
    return {
      tone: 'info',
      icon: '✓',
      heading: name ? `You're already checked in, ${name}` : "You're already checked in",
      detail: 'No need to scan again: go right in.',
      canEditIntent: name !== null,
      suggestNameSearch: false,
    };
  }
  return {
    tone: outcome.status === 'not_checked_in' || outcome.status === 'event_not_open' ? 'warn' : 'bad',
    icon: outcome.status === 'not_checked_in' || outcome.status === 'event_not_open' ? '!' : '✕',
    heading: refusalHeading[outcome.status],
    detail: withoutHeading(outcome.message, refusalHeading[outcome.status]),
    canEditIntent: false,
    suggestNameSearch: outcome.status === 'unknown_token',
  };
}

/** An offline decision in the shape of the server's answer, so it reads the same. */
function offlineOutcome(d: OfflineDecision): CheckinOutcome {
  return {
    status: d.status,
    reason: d.reason,
    message: d.message,
    checkinId: '',
    nonce: '',
    type: d.reason === 'exit' || d.reason === 'not_present' ? 'exit' : 'entry',
    scannedAt: '',
    receivedAt: '',
    replayed: false,
    flagged: false,
    attendee: d.attendee && { id: d.attendee.id, name: d.attendee.firstName, firstTime: false, hasIntent: false },
  };
}
