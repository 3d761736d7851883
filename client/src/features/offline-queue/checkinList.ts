import {
  baseLanguage,
  decidePresence,
  messageFor,
  refusalFor,
  type CheckinList,
  type CheckinReason,
  type CheckinStatus,
  type CheckinType,
  type EventStatus,
  type LoggedScan,
} from '@edgewise/shared';
import { currentLanguage, translate } from '../../lib/i18n';

/**
 * The check-in list as the kiosk keeps it (IndexedDB, see `listStore.ts`), and the offline
 * decision made from it with the server's own rules (`shared/src/checkinRules.ts`): unknown
 * and revoked tickets refused, a second entry "already in", the welcome by first name.
 */

export interface ListedTicket {
  attendeeId: string;
  firstName: string;
  revoked: boolean;
}

/** An attendee's latest accepted scan, as ISO strings (IndexedDB keeps plain data). */
export interface ListedScan {
  type: CheckinType;
  scannedAt: string;
  receivedAt: string;
}

export interface LocalList {
  eventId: string;
  eventStatus: EventStatus;
  cursor: string;
  /** When the kiosk last heard from the server: the list's age is counted from here. */
  refreshedAt: string;
  /** When the last full list came: changes lists do not carry deleted guests, so a full one comes now and then. */
  fullAt: string;
  tickets: Record<string, ListedTicket>;
  presence: Record<string, ListedScan>;
  /** Flagged scans already shown to staff (by nonce). */
  shownFlags: string[];
}

/** Past this the kiosk warns staff that its list may miss recent changes. */
export const STALE_AFTER_MS = 10 * 60_000;
/** How often the list is refreshed while online, and how often a full one replaces it. */
export const REFRESH_EVERY_MS = 60_000;
export const FULL_EVERY_MS = 15 * 60_000;

/** Folds a list from the server into the kept one: a full list replaces it, changes update it. */
export function mergeList(local: LocalList | null, incoming: CheckinList, now: number): LocalList {
  const at = new Date(now).toISOString();
  const base: LocalList =
    incoming.full || !local || local.eventId !== incoming.eventId
      ? { eventId: incoming.eventId, eventStatus: incoming.eventStatus, cursor: incoming.cursor, refreshedAt: at, fullAt: at, tickets: {}, presence: {}, shownFlags: local?.eventId === incoming.eventId ? local.shownFlags : [] }
      : { ...local, tickets: { ...local.tickets }, presence: { ...local.presence } };
  base.eventStatus = incoming.eventStatus;
  base.cursor = incoming.cursor;
  base.refreshedAt = at;
  for (const t of incoming.tickets) base.tickets[t.digest] = { attendeeId: t.attendeeId, firstName: t.firstName, revoked: t.revoked };
  for (const p of incoming.presence) {
    const kept = base.presence[p.attendeeId];
    // A scan this kiosk decided offline and has not uploaded yet may be newer than the server's.
    if (!kept || kept.scannedAt <= p.scannedAt || incoming.full) base.presence[p.attendeeId] = { type: p.type, scannedAt: p.scannedAt, receivedAt: p.receivedAt };
  }
  return base;
}

/** What the kiosk decided offline, worded as the server words it. */
export interface OfflineDecision {
  status: CheckinStatus;
  reason: CheckinReason;
  message: string;
  /** Accepted: presence changes (the kiosk notes it in its list). */
  effective: boolean;
  attendee: { id: string; firstName: string } | null;
}

/** The server's words for a decision: its own English sentences, the catalogue's in the kiosk's other languages. */
function wordsFor(reason: CheckinReason, firstName: string | null): string {
  if (currentLanguage.value === baseLanguage) return messageFor(reason, firstName);
  return translate(`server.checkin.${reason}`, { named: firstName ? 'yes' : 'no', name: firstName ?? '' });
}

const asLogged = (s: ListedScan): LoggedScan => ({ type: s.type, scannedAt: new Date(s.scannedAt), receivedAt: new Date(s.receivedAt) });

/**
 * Decides a ticket scan from the list. `digest` is the scanned secret's digest; a ticket the
 * list does not hold is unknown, exactly as the server would answer.
 */
export function decideOffline(list: LocalList, digest: string, type: CheckinType, scannedAt: Date): OfflineDecision {
  const ticket = list.tickets[digest];
  const state = !ticket ? 'unknown' : ticket.revoked ? 'revoked' : 'valid';
  const refusal = refusalFor(list.eventStatus, state);
  if (refusal || !ticket) {
    const reason = refusal?.reason ?? 'unknown_token';
    return { status: refusal?.status ?? 'unknown_token', reason, message: wordsFor(reason, null), effective: false, attendee: null };
  }
  const last = list.presence[ticket.attendeeId];
  const decision = decidePresence(type, scannedAt, last ? [asLogged(last)] : []);
  return {
    status: decision.status,
    reason: decision.reason,
    message: wordsFor(decision.reason, ticket.firstName),
    effective: decision.effective,
    attendee: { id: ticket.attendeeId, firstName: ticket.firstName },
  };
}

/** The list after an accepted offline scan: the next scan of the same ticket finds the guest in. */
export function noteOfflineScan(list: LocalList, attendeeId: string, type: CheckinType, scannedAt: string): LocalList {
  return { ...list, presence: { ...list.presence, [attendeeId]: { type, scannedAt, receivedAt: scannedAt } } };
}

/** How old the list is in whole minutes (null: no list yet), and whether staff should be warned. */
export function listAge(list: LocalList | null, now: number): { minutes: number | null; stale: boolean } {
  if (!list) return { minutes: null, stale: true };
  const ms = Math.max(0, now - Date.parse(list.refreshedAt));
  return { minutes: Math.floor(ms / 60_000), stale: ms > STALE_AFTER_MS };
}
