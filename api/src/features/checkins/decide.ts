import type { CheckinReason, CheckinStatus, CheckinType } from '@edgewise/shared';

/**
 * The check-in rules, without a database: what a scan means given the event, the ticket
 * and the attendee's accepted scans. The service reads those, asks here, and writes.
 */

/** One accepted (effective) scan from the log. */
export interface LoggedScan {
  type: CheckinType;
  scannedAt: Date;
  receivedAt: Date;
}

export interface Decision {
  status: CheckinStatus;
  reason: CheckinReason;
  /** Accepted scans change presence; refusals are logged but change nothing. */
  effective: boolean;
  flagged: boolean;
}

export type TicketState = 'valid' | 'unknown' | 'revoked' | 'wrong_event';
export type EventStatus = 'draft' | 'open' | 'closed';

/**
 * Refusals that do not depend on presence, in the order a person at the kiosk can act on
 * them: the event first (nothing else matters while it is closed), then the ticket.
 */
export function refusalFor(eventStatus: EventStatus, ticket: TicketState): Decision | null {
  const refuse = (reason: Extract<CheckinReason, CheckinStatus>): Decision => ({
    status: reason,
    reason,
    effective: false,
    flagged: false,
  });
  if (eventStatus === 'draft') return refuse('event_not_open');
  if (eventStatus === 'closed') return refuse('event_closed');
  if (ticket === 'unknown') return refuse('unknown_token');
  // A ticket of another event says nothing about this one, revoked or not.
  if (ticket === 'wrong_event') return refuse('wrong_event');
  if (ticket === 'revoked') return refuse('revoked');
  return null;
}

/** Wrong answers one kiosk may take for one guest within the window before sending them to the desk. */
export const CONFIRMATION_TRIES = 3;
export const CONFIRMATION_WINDOW_MS = 15 * 60_000;

/** What only the guest is expected to know: the first three letters of their email's domain. */
export function confirmationOf(email: string | null): string | null {
  const domain = email?.split('@')[1]?.trim().toLowerCase();
  return domain ? domain.slice(0, 3) : null;
}

/**
 * Name search at an unattended kiosk: anyone can type a name, so the guest confirms with
 * something on no badge. Null when the scan may go on; a refusal otherwise. Too many wrong
 * answers lock the guest out at this kiosk even when the next one is right.
 */
export function confirmationRefusal(email: string | null, answer: string | undefined, wrongSoFar: number): Decision | null {
  const refuse = (status: 'confirmation_required' | 'confirmation_failed', reason: CheckinReason): Decision => ({ status, reason, effective: false, flagged: false });
  const expected = confirmationOf(email);
  if (!expected) return refuse('confirmation_failed', 'confirmation_unavailable');
  if (wrongSoFar >= CONFIRMATION_TRIES) return refuse('confirmation_failed', 'confirmation_locked');
  const given = answer?.trim().toLowerCase() ?? '';
  if (given === '') return refuse('confirmation_required', 'confirmation_required');
  return given === expected ? null : refuse('confirmation_failed', 'confirmation_failed');
}

const later = (a: LoggedScan, b: LoggedScan) =>
  a.scannedAt.getTime() - b.scannedAt.getTime() || a.receivedAt.getTime() - b.receivedAt.getTime();

/**
 * Decides a scan of a known attendee from the log as it stood when the scan happened:
 * presence is the latest accepted scan scanned at or before `scannedAt` (the log's own
 * scans at the same instant came first: they were received earlier).
 *
 * A scan is out of order when an accepted scan of the same person was made after it (an
 * offline kiosk uploading late). It is flagged for the organiser when it also disagrees
 * with the log: refused because of the presence the log shows (an entry while the log
 * says present, an exit while it says away), or accepted into the middle of the history
 * so that the next scan repeats its type (two entries in a row). An out-of-order scan that
 * fits between its neighbours (entry before a later exit) is not flagged.
 */
export function decidePresence(type: CheckinType, scannedAt: Date, log: readonly LoggedScan[]): Decision {
  const t = scannedAt.getTime();
  const before = log.filter((s) => s.scannedAt.getTime() <= t).sort(later);
  const after = log.filter((s) => s.scannedAt.getTime() > t).sort(later);
  const last = before.at(-1);
  const next = after[0];
  const present = last?.type === 'entry';

  let decision: Omit<Decision, 'flagged'>;
  if (type === 'entry') {
    if (present) decision = { status: 'already_checked_in', reason: 'already_present', effective: false };
    else decision = { status: 'ok', reason: before.some((s) => s.type === 'entry') ? 're_entry' : 'first_entry', effective: true };
  } else if (present) {
    decision = { status: 'ok', reason: 'exit', effective: true };
  } else {
    decision = { status: 'not_checked_in', reason: 'not_present', effective: false };
  }
  const flagged = next !== undefined && (!decision.effective || next.type === type);
  return { ...decision, flagged };
}

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name;

/** A short sentence for the kiosk screen: what happened and what to do next. */
export function messageFor(reason: CheckinReason, name: string | null): string {
  const who = name ? firstName(name) : null;
  switch (reason) {
    case 'first_entry':
      return who ? `Welcome, ${who}! You're checked in.` : "Welcome! You're checked in.";
    case 're_entry':
      return who ? `Welcome back, ${who}!` : 'Welcome back!';
    case 'exit':
      return who ? `Goodbye, ${who}. Thanks for coming!` : 'Goodbye. Thanks for coming!';
    case 'already_present':
      return who ? `${who}, you're already checked in. Go right in.` : "You're already checked in. Go right in.";
    case 'not_present':
      return who ? `${who} isn't checked in, so there is nothing to check out.` : "This guest isn't checked in, so there is nothing to check out.";
    case 'unknown_token':
      return "We don't recognise this ticket. Try again, search your name, or ask at the desk.";
    case 'revoked':
      return 'This ticket was replaced. Ask at the desk for the new one.';
    case 'wrong_event':
      return 'This ticket is for another event. Ask at the desk.';
    case 'event_closed':
      return 'Check-in for this event has closed.';
    case 'event_not_open':
      return "Check-in hasn't opened yet. Ask at the desk.";
    case 'confirmation_required':
      return 'To check in by name, type the first three letters of the domain of your email address (after the @).';
    case 'confirmation_failed':
      return "That doesn't match the email address we have for this name. Try again, scan your ticket, or ask at the desk.";
    case 'confirmation_unavailable':
      return "We can't confirm this name here: scan your ticket, or ask at the desk.";
    case 'confirmation_locked':
      return 'Too many tries for this name: please ask at the desk.';
  }
}

/** Outcomes that are about the person (the kiosk may greet them by name). */
export const isPresenceOutcome = (status: CheckinStatus) => status === 'ok' || status === 'already_checked_in' || status === 'not_checked_in';
