import type { CheckinReason, CheckinStatus, CheckinType } from './schemas/checkins';
import type { EventStatus } from './schemas/events';

/**
 * The check-in rules, without a database or a network: what a scan means given the event,
 * the ticket and the attendee's accepted scans. The server reads those from its log; an
 * offline kiosk from the check-in list it keeps on the device. Both ask here, so a guest
 * hears the same answer either way.
 */

/** One accepted (effective) scan from the log. */
export interface LoggedScan {
  type: CheckinType;
  scannedAt: Date;
  receivedAt: Date;
  /** The log row (server only): a later entry this scan makes a duplicate is named by it. */
  id?: string;
  /** The kiosk that made the scan, when known. */
  deviceId?: string | null;
}

export interface Decision {
  status: CheckinStatus;
  reason: CheckinReason;
  /** Accepted scans change presence; refusals are logged but change nothing. */
  effective: boolean;
  flagged: boolean;
  /**
   * An entry that arrived late but happened first: the accepted entry of this id, made
   * later (on another kiosk, offline), becomes the duplicate. The log then reads the same
   * whichever kiosk uploaded first.
   */
  supersedes?: string;
}

export type TicketState = 'valid' | 'unknown' | 'revoked' | 'wrong_event';

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
 * What the presence rules need to know of an attendee's log at the time `t` of a scan. The
 * server's check-in statement gathers the same facts in SQL (db/migrations, the
 * `checkin_scan` function), and looks the decision up in the table these rules make
 * (`checkinRuleTable`): the rules themselves live only here.
 */
export interface PresenceFacts {
  /** The latest accepted scan scanned at or before `t` is an entry. */
  present: boolean;
  /** An accepted entry was scanned at or before `t`. */
  enteredBefore: boolean;
  /** The type of the earliest accepted scan scanned after `t` (someone's late upload), if any. */
  next: CheckinType | null;
  /** That latest scan is another kiosk's, and reached the log only after `t`. */
  lastUnseen: boolean;
}

/** A decision made from facts: `supersedesNext` names the next scan (by position) instead of by id. */
export type FactDecision = Omit<Decision, 'supersedes'> & { supersedesNext: boolean };

/** The facts of `log` at `scannedAt`, and the id of the next scan (the one an entry may supersede). */
export function presenceFacts(scannedAt: Date, log: readonly LoggedScan[], deviceId?: string | null): { facts: PresenceFacts; nextId?: string } {
  const t = scannedAt.getTime();
  const before = log.filter((s) => s.scannedAt.getTime() <= t).sort(later);
  const after = log.filter((s) => s.scannedAt.getTime() > t).sort(later);
  const last = before.at(-1);
  const next = after[0];
  const facts: PresenceFacts = {
    present: last?.type === 'entry',
    enteredBefore: before.some((s) => s.type === 'entry'),
    next: next?.type ?? null,
    lastUnseen: last !== undefined && isUnseenBy(last, t, deviceId),
  };
  return { facts, ...(next?.id !== undefined && { nextId: next.id }) };
}

/**
 * Decides a scan of a known attendee from the log as it stood when the scan happened:
 * presence is the latest accepted scan scanned at or before `scannedAt` (the log's own
 * scans at the same instant came first: they were received earlier).
 *
 * Two entries of one ticket end the same whatever order they arrive in: the earlier by
 * `scannedAt` is the entry, the later one "already checked in", and the duplicate is
 * flagged when the kiosk that made it could not have known of the other (another kiosk's
 * entry that reached the log only after this scan was made: both kiosks were offline, and
 * a copied ticket is the usual cause). When the earlier entry arrives last, it takes the
 * entry's place (`supersedes`) and the later one is turned into the flagged duplicate.
 *
 * Otherwise a scan is out of order when an accepted scan of the same person was made after
 * it (an offline kiosk uploading late), and flagged when it also disagrees with the log:
 * refused because of the presence the log shows (an entry while the log says present, an
 * exit while it says away), or an exit accepted into the middle of the history so that the
 * next scan is an exit too. An out-of-order scan that fits between its neighbours (entry
 * before a later exit) is not flagged.
 */
export function decidePresence(type: CheckinType, scannedAt: Date, log: readonly LoggedScan[], deviceId?: string | null): Decision {
  const { facts, nextId } = presenceFacts(scannedAt, log, deviceId);
  const { supersedesNext, ...decision } = decideFromFacts(type, facts);
  return { ...decision, ...(supersedesNext && nextId !== undefined && { supersedes: nextId }) };
}

/** The presence rules proper: `decidePresence` once the log is reduced to its facts. */
export function decideFromFacts(type: CheckinType, { present, enteredBefore, next, lastUnseen }: PresenceFacts): FactDecision {
  const entryReason = enteredBefore ? 're_entry' : 'first_entry';
  if (type === 'entry' && !present && next === 'entry') {
    // This entry came first: the later one is the duplicate now.
    return { status: 'ok', reason: entryReason, effective: true, flagged: false, supersedesNext: true };
  }

  let decision: Omit<Decision, 'flagged'>;
  if (type === 'entry') {
    if (present) decision = { status: 'already_checked_in', reason: 'already_present', effective: false };
    else decision = { status: 'ok', reason: entryReason, effective: true };
  } else if (present) {
    decision = { status: 'ok', reason: 'exit', effective: true };
  } else {
    decision = { status: 'not_checked_in', reason: 'not_present', effective: false };
  }
  const outOfOrder = next !== null && (!decision.effective || next === type);
  const unseenDuplicate = type === 'entry' && present && lastUnseen;
  return { ...decision, flagged: outOfOrder || unseenDuplicate, supersedesNext: false };
}

/** Another kiosk's scan that reached the log only after `t`: the kiosk scanning at `t` could not know of it. */
function isUnseenBy(scan: LoggedScan, t: number, deviceId: string | null | undefined) {
  if (deviceId === undefined || scan.deviceId === undefined || scan.deviceId === deviceId) return false;
  return scan.receivedAt.getTime() > t;
}

/**
 * Whether the server's answer to an uploaded offline scan contradicts what the kiosk told the
 * guest: the kiosk let someone in as a new entry and the server does not, or the kiosk turned
 * them away and the server lets them in. Two refusals worded differently (an unknown ticket
 * offline is another event's ticket to the server), or "already in" offline and a first entry
 * to the server, changed nothing at the door.
 */
export function offlineDisagrees(offline: CheckinStatus, server: CheckinStatus): boolean {
  if (offline === 'ok') return server !== 'ok';
  return server === 'ok' && offline !== 'already_checked_in';
}

/** The later entry a first-come entry turns into a duplicate: flagged, as its kiosk let the guest in. */
export const supersededEntry: Decision = { status: 'already_checked_in', reason: 'already_present', effective: false, flagged: true };

export const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name;

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

/** One line of the rules as a truth table: the facts, as a key, and what they decide. */
export interface CheckinRule {
  facts: string;
  decision: FactDecision;
}

export const refusalFacts = (eventStatus: EventStatus, ticket: TicketState) => `refusal:${eventStatus}:${ticket}`;
export const presenceFactsKey = (type: CheckinType, f: PresenceFacts) =>
  `presence:${type}:${f.present}:${f.enteredBefore}:${f.next ?? 'none'}:${f.lastUnseen}`;
export const SUPERSEDED_FACTS = 'superseded';

/**
 * The rules above evaluated for every combination of facts, for the database: its check-in
 * statement gathers the facts and looks the decision up here (the migration that fills
 * `checkin_rules` holds this table, and a test keeps the two equal). A refusal's key is
 * absent when the event and the ticket let the scan go on.
 */
export function checkinRuleTable(): CheckinRule[] {
  const rules: CheckinRule[] = [];
  for (const eventStatus of ['draft', 'open', 'closed'] as const) {
    for (const ticket of ['valid', 'unknown', 'revoked', 'wrong_event'] as const) {
      const refusal = refusalFor(eventStatus, ticket);
      if (refusal) rules.push({ facts: refusalFacts(eventStatus, ticket), decision: { ...refusal, supersedesNext: false } });
    }
  }
  const bools = [false, true];
  for (const type of ['entry', 'exit'] as const) {
    for (const present of bools) {
      for (const enteredBefore of bools) {
        for (const next of [null, 'entry', 'exit'] as const) {
          for (const lastUnseen of bools) {
            const facts = { present, enteredBefore, next, lastUnseen };
            rules.push({ facts: presenceFactsKey(type, facts), decision: decideFromFacts(type, facts) });
          }
        }
      }
    }
  }
  rules.push({ facts: SUPERSEDED_FACTS, decision: { ...supersededEntry, supersedesNext: false } });
  return rules;
}
