import type { CheckinOutcome, CheckinStatus, MessageKey } from '@edgewise/shared';
import type { OfflineDecision } from '../../features/offline-queue/checkinList';
import { translate as t } from '../../lib/i18n';

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

const refusalHeading: Record<Exclude<CheckinStatus, 'ok' | 'already_checked_in'>, MessageKey> = {
  not_checked_in: 'kiosk.outcome.refused.notCheckedIn',
  unknown_token: 'kiosk.outcome.refused.unknownToken',
  revoked: 'kiosk.outcome.refused.revoked',
  wrong_event: 'kiosk.outcome.refused.wrongEvent',
  event_closed: 'kiosk.outcome.refused.eventClosed',
  event_not_open: 'kiosk.outcome.refused.eventNotOpen',
  confirmation_required: 'kiosk.outcome.refused.confirmationRequired',
  confirmation_failed: 'kiosk.outcome.refused.confirmationFailed',
};

/**
 * The server's message under a heading that already says its first sentence ("We don't
 * recognise this ticket" over "We don't recognise this ticket. Try again..."): the rest only.
 */
export function withoutHeading(message: string, heading: string): string {
  // The server may write a plain apostrophe where the heading has a typographic one.
  const norm = (s: string) => s.trim().replace(/[.!。！]+$/, '').replace(/’/g, "'").toLocaleLowerCase();
  const cut = /^[^.!?。！？]*[.!?。！？]\s*/.exec(message);
  if (!cut || norm(cut[0]) !== norm(heading)) return message;
  const rest = message.slice(cut[0].length).trim();
  return rest || message;
}

/** The words, icon and colour for one result, written to be read from two metres. */
export function describeResult(view: ResultView, eventName: string): ResultCopy {
  const base = { canEditIntent: false, suggestNameSearch: false };
  switch (view.kind) {
    case 'checking':
      return { ...base, tone: 'info', icon: '…', heading: t('kiosk.outcome.checking'), detail: t('kiosk.outcome.oneMoment') };
    case 'queued':
      return {
        ...base,
        tone: 'warn',
        icon: '!',
        heading: t('kiosk.outcome.queuedTitle'),
        detail: t('kiosk.outcome.queuedDetail'),
      };
    case 'offline':
      return { ...describeOutcome(offlineOutcome(view.decision), eventName), canEditIntent: false };
    case 'not_a_ticket':
      return {
        ...base,
        tone: 'bad',
        icon: '✕',
        heading: t('kiosk.outcome.notATicketTitle'),
        detail: t('kiosk.outcome.notATicketDetail'),
        suggestNameSearch: true,
      };
    case 'offline_name_search':
      return {
        ...base,
        tone: 'warn',
        icon: '!',
        heading: t('kiosk.outcome.offlineNameTitle'),
        detail: t('kiosk.outcome.offlineNameDetail'),
      };
    case 'error':
      return { ...base, tone: 'bad', icon: '!', heading: t('kiosk.outcome.errorTitle'), detail: t('kiosk.outcome.errorDetail', { message: view.message }) };
    case 'outcome':
      return describeOutcome(view.outcome, eventName);
  }
}

function describeOutcome(outcome: CheckinOutcome, eventName: string): ResultCopy {
  const name = outcome.attendee?.name ?? null;
  const named = { name: name ?? '', named: name ? 'yes' : 'no' };
  if (outcome.status === 'ok') {
    const heading =
      outcome.reason === 're_entry'
        ? t('kiosk.outcome.welcomeBack', named)
        : outcome.reason === 'exit'
          ? t('kiosk.outcome.goodbye', named)
          : t('kiosk.outcome.welcome', named);
    const detail =
      outcome.reason === 'first_entry' && outcome.attendee?.firstTime
        ? t('kiosk.outcome.firstTime', { event: eventName })
        : outcome.reason === 'exit'
          ? t('kiosk.outcome.thanksForComing')
          : t('kiosk.outcome.checkedIn');
    return { tone: 'ok', icon: '✓', heading, detail, canEditIntent: outcome.reason !== 'exit' && name !== null, suggestNameSearch: false };
  }
  if (outcome.status === 'already_checked_in') {
    return {
      tone: 'info',
      icon: '✓',
      heading: t('kiosk.outcome.alreadyIn', named),
      detail: t('kiosk.outcome.alreadyInDetail'),
      canEditIntent: name !== null,
      suggestNameSearch: false,
    };
  }
  return {
    tone: outcome.status === 'not_checked_in' || outcome.status === 'event_not_open' ? 'warn' : 'bad',
    icon: outcome.status === 'not_checked_in' || outcome.status === 'event_not_open' ? '!' : '✕',
    heading: t(refusalHeading[outcome.status]),
    detail: withoutHeading(outcome.message, t(refusalHeading[outcome.status])),
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
