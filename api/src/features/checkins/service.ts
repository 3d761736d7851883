import type { z } from 'zod';
import {
  CONFIRMATION_WINDOW_MS,
  confirmationRefusal,
  decidePresence,
  isPresenceOutcome,
  messageFor,
  offlineDisagrees,
  parseTicketText,
  refusalFor,
  supersededEntry,
  type CheckinBody,
  type CheckinLogEntry,
  type CheckinMethod,
  type CheckinOutcome,
  type CheckinType,
  type Decision,
  type TicketState,
} from '@edgewise/shared';
import type { Db } from '@edgewise/db';
import type { FeatureContext } from '../../context';
import { AppError } from '../../http/errors';
import {
  checkinByNonce,
  checkinLog,
  confirmationContext,
  eventStatusOf,
  insertCheckin,
  readScanSubject,
  redecideCheckin,
  type CheckinRow,
  type LogFilter,
  type ScanSubject,
} from './repo';

/** A kiosk clock this far ahead of ours is wrong, not early: recording it would corrupt presence. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export type CheckinInput = z.output<typeof CheckinBody>;

/** One scan as the log records it, before the decision. */
export interface Scan {
  eventId: string;
  deviceId: string;
  nonce: string;
  type: CheckinType;
  method: CheckinMethod;
  scannedAt: Date;
  receivedAt: Date;
  /** What an offline kiosk told the guest, for scans uploaded after an outage. */
  offlineStatus?: CheckinOutcome['status'];
}

export interface ScanResult {
  outcome: CheckinOutcome;
  /** False when the nonce was already stored and the outcome is its replay. */
  created: boolean;
  row: CheckinRow;
  /** A later entry this scan turned into a duplicate (it came first but arrived last). */
  superseded?: CheckinRow;
}

type AttendeeView = { name: string; firstTime: boolean; hasIntent: boolean } | null;

export function toOutcome(row: CheckinRow, attendee: AttendeeView, replayed: boolean): CheckinOutcome {
  const status = row.status as CheckinOutcome['status'];
  const reason = row.reason as CheckinOutcome['reason'];
  // Refusals about the ticket or the event never name the person: the ticket may be a copy.
  const shown = attendee && row.attendeeId && isPresenceOutcome(status) ? { id: row.attendeeId, ...attendee } : null;
  return {
    status,
    reason,
    message: messageFor(reason, shown?.name ?? null),
    checkinId: row.id,
    nonce: row.nonce,
    type: row.type,
    scannedAt: row.scannedAt.toISOString(),
    receivedAt: row.receivedAt.toISOString(),
    replayed,
    flagged: row.flagged,
    attendee: shown,
  };
}

export function assertNotInFuture(scannedAt: Date, now: number) {
  if (scannedAt.getTime() > now + MAX_CLOCK_SKEW_MS) {
    throw new AppError('validation_failed', 'scannedAt is in the future: check the kiosk clock.', [
      { path: 'scannedAt', message: 'is in the future', code: 'custom' },
    ]);
  }
}

/**
 * The answer for a nonce already stored, or null when it is new. The same nonce from another
 * device or event is a client bug (or a probe): it gets a conflict, never the other scan's
 * outcome.
 */
export async function replay(db: Db, scan: Pick<Scan, 'eventId' | 'deviceId' | 'nonce' | 'method'>): Promise<ScanResult | null> {
  const stored = await checkinByNonce(db, scan.nonce);
  if (!stored) return null;
  const { checkin } = stored;
  // A walk-in's nonce answers only the walk-in endpoint (its answer carries the new attendee).
  const sameKind = (checkin.method === 'walk_in') === (scan.method === 'walk_in');
  if (checkin.eventId !== scan.eventId || checkin.deviceId !== scan.deviceId || !sameKind) {
    throw new AppError('conflict', 'This nonce was already used for another scan: send a new nonce for each scan.');
  }
  const attendee = stored.name === null ? null : { name: stored.name, firstTime: Boolean(stored.firstTime), hasIntent: stored.hasIntent };
  return { outcome: toOutcome(checkin, attendee, true), created: false, row: checkin };
}

/**
 * Decides and records one scan inside the caller's transaction, given the subject (its
 * attendee row locked, its log read after the lock). When the nonce is already stored (a retry, possibly still in flight in
 * another transaction: the insert waits for it), answers that scan's outcome instead.
 */
export async function recordScan(tx: Db, scan: Scan, subject: ScanSubject): Promise<ScanResult> {
  const { match } = subject;
  const ticket: TicketState = !match
    ? 'unknown'
    : match.attendeeEventId !== scan.eventId
      ? 'wrong_event'
      : match.ticketRevoked
        ? 'revoked'
        : 'valid';
  // An attendee of another event stays out of this event's log.
  const attendee = match && ticket !== 'wrong_event' ? match : null;
  // Only a valid ticket gets past the refusals, so the attendee is known there.
  const decision = refusalFor(subject.eventStatus, ticket) ?? subject.unconfirmed ?? decidePresence(scan.type, scan.scannedAt, attendee?.log ?? [], scan.deviceId);
  const row = await insertCheckin(tx, {
    eventId: scan.eventId,
    attendeeId: attendee?.attendeeId ?? null,
    deviceId: scan.deviceId,
    nonce: scan.nonce,
    type: scan.type,
    method: scan.method,
    status: decision.status,
    reason: decision.reason,
    scannedAt: scan.scannedAt,
    receivedAt: scan.receivedAt,
    // The kiosk let someone in (or turned them away) on its own list, and the server sees it otherwise.
    flagged: decision.flagged || (scan.offlineStatus !== undefined && offlineDisagrees(scan.offlineStatus, decision.status)),
    effective: decision.effective,
  });
  if (!row) {
    const replayed = await replay(tx, scan);
    if (!replayed) throw new Error('nonce conflict without a stored row');
    return replayed;
  }
  const superseded = decision.supersedes ? await redecideCheckin(tx, decision.supersedes, supersededEntry) : undefined;
  const view = attendee ? { name: attendee.name, firstTime: attendee.firstTime, hasIntent: attendee.hasIntent } : null;
  return { outcome: toOutcome(row, view, false), created: true, row, ...(superseded && { superseded }) };
}

export const isUniqueViolation = (err: unknown): boolean => {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  return e?.code === '23505' || e?.cause?.code === '23505';
};

export function announce(ctx: FeatureContext, row: CheckinRow) {
  ctx.realtime.checkinCreated({
    eventId: row.eventId,
    checkinId: row.id,
    attendeeId: row.attendeeId,
    type: row.type,
    status: row.status as CheckinOutcome['status'],
    at: row.scannedAt.toISOString(),
  });
  if (row.effective && row.attendeeId) ctx.matching.presenceChanged(row.eventId, row.attendeeId);
}

/**
 * A kiosk's scan: by ticket text (QR camera or handheld scanner) or by attendee id (name
 * search). Answers only after the row is committed, so an acknowledged check-in survives a
 * crash; the kiosk may retry with the same nonce as often as it likes.
 */
export async function checkIn(ctx: FeatureContext, deviceId: string, eventId: string, body: CheckinInput): Promise<ScanResult> {
  const { deps } = ctx;
  const db = deps.database.db;
  const now = deps.now();
  const scannedAt = new Date(body.scannedAt);
  assertNotInFuture(scannedAt, now);
  const scan: Scan = {
    eventId,
    deviceId,
    nonce: body.nonce,
    type: body.type,
    method: body.method ?? (body.token !== undefined ? 'qr_camera' : 'name_search'),
    scannedAt,
    receivedAt: new Date(now),
    ...(body.offlineStatus !== undefined && { offlineStatus: body.offlineStatus }),
  };

  let result: ScanResult;
  try {
    result = await db.transaction(async (tx) => {
      const subject = await readSubject(tx, deps.database.kind === 'postgres', eventId, body);
      if (!subject) throw new AppError('not_found', 'No such event.');
      if (body.attendeeId !== undefined && subject.match) subject.unconfirmed = await confirmByName(tx, scan, subject.match.attendeeId, body.confirmation);
      return recordScan(tx, scan, subject);
    });
  } catch (err) {
    // Two transactions inserting one nonce at once: the loser replays the winner's row.
    if (!isUniqueViolation(err)) throw err;
    const replayed = await replay(db, scan);
    if (!replayed) throw err;
    return replayed;
  }
  if (result.created) announce(ctx, result.row);
  if (result.superseded) announce(ctx, result.superseded);
  return result;
}

/**
 * A name search names a guest without their ticket: anyone at an unattended kiosk could type
 * any name and be welcomed (and handed that guest's page) as them. Unless the organiser marked
 * the kiosk as staffed, the guest confirms with something only they know. Wrong answers are
 * logged as refused scans, and those rows are what throttles further tries.
 */
async function confirmByName(tx: Db, scan: Scan, attendeeId: string, answer: string | undefined): Promise<Decision | null> {
  const since = new Date(scan.receivedAt.getTime() - CONFIRMATION_WINDOW_MS);
  const context = await confirmationContext(tx, scan.deviceId, attendeeId, since);
  if (context.staffed) return null;
  return confirmationRefusal(context.email, answer, context.wrong);
}

/**
 * The subject of a scan and its attendee's log. On Postgres the attendee row is locked so
 * that concurrent scans of one person queue up; PGlite runs one transaction at a time,
 * which serialises scans already (and spares the lock's write).
 */
async function readSubject(tx: Db, lock: boolean, eventId: string, body: CheckinInput): Promise<ScanSubject | null> {
  if (body.attendeeId !== undefined) return readScanSubject(tx, eventId, { attendeeId: body.attendeeId }, lock);
  // The raw text is never stored: only the secret it carries is looked up.
  const secret = parseTicketText(body.token ?? '');
  if (secret) return readScanSubject(tx, eventId, { secret }, lock);
  const status = await eventStatusOf(tx, eventId);
  return status ? { eventStatus: status, match: null } : null;
}

export async function listCheckins(db: Db, eventId: string, filter: LogFilter): Promise<CheckinLogEntry[]> {
  const rows = await checkinLog(db, eventId, filter);
  return rows.map(({ checkin, attendeeName, deviceName, organiserName }) => ({
    id: checkin.id,
    attendeeId: checkin.attendeeId,
    attendeeName,
    deviceName,
    organiserName,
    type: checkin.type,
    method: checkin.method,
    status: checkin.status as CheckinLogEntry['status'],
    reason: checkin.reason as CheckinLogEntry['reason'],
    scannedAt: checkin.scannedAt.toISOString(),
    receivedAt: checkin.receivedAt.toISOString(),
    flagged: checkin.flagged,
  }));
}
