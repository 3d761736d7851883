import type { z } from 'zod';
import {
  CheckinStatus,
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
import type { Database, Db } from '@edgewise/db';
import type { FeatureContext } from '../../context';
import { forgetDevice } from '../../http/auth';
import { AppError } from '../../http/errors';
import { groupCommit } from './group-commit';
import {
  checkinByNonce,
  checkinLog,
  confirmationContext,
  eventStatusOf,
  insertCheckin,
  readScanSubject,
  redecideCheckin,
  scanInOneBatch,
  scanInOneStatement,
  type AttendeeView,
  type CheckinRow,
  type LogFilter,
  type ScanAnswer,
  type ScanCall,
  type ScanKey,
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
  const attendee = stored.name === null ? null : { name: stored.name, firstTime: Boolean(stored.firstTime), hasIntent: stored.hasIntent };
  return replayOf(scan, stored.checkin, attendee);
}

function replayOf(scan: Pick<Scan, 'eventId' | 'deviceId' | 'method'>, checkin: CheckinRow, attendee: AttendeeView): ScanResult {
  // A walk-in's nonce answers only the walk-in endpoint (its answer carries the new attendee).
  const sameKind = (checkin.method === 'walk_in') === (scan.method === 'walk_in');
  if (checkin.eventId !== scan.eventId || checkin.deviceId !== scan.deviceId || !sameKind) {
    throw new AppError('conflict', 'This nonce was already used for another scan: send a new nonce for each scan.');
  }
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
 * search). One statement decides and records it (`checkin_scan`), so the answer comes after
 * the row is committed and an acknowledged check-in survives a crash; the kiosk may retry
 * with the same nonce as often as it likes. What follows the commit (the dashboard's feed,
 * matching) is only set going: the answer does not wait for it.
 */
export async function checkIn(ctx: FeatureContext, deviceId: string, eventId: string, body: CheckinInput): Promise<ScanResult> {
  const { deps } = ctx;
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
  const { offlineStatus } = scan;
  const answer = await scanner(deps.database)({
    ...scan,
    key: scanKey(body),
    disagreeing: offlineStatus === undefined ? [] : CheckinStatus.options.filter((status) => offlineDisagrees(offlineStatus, status)),
  });

  let result: ScanResult;
  switch (answer.kind) {
    case 'no_event':
      throw new AppError('not_found', 'No such event.');
    case 'unpaired':
      // Unpaired on another node a moment ago: this node's cache had not heard yet.
      void forgetDevice(deps, deviceId);
      throw new AppError('device_unpaired', 'This device is not paired (or was unpaired): pair it again.');
    case 'confirm':
      result = await checkInByName(ctx, scan, body);
      break;
    case 'replayed':
      return replayOf(scan, answer.row, answer.attendee);
    case 'recorded':
      result = { outcome: toOutcome(answer.row, answer.attendee, false), created: true, row: answer.row, ...(answer.superseded && { superseded: answer.superseded }) };
  }
  if (result.created) announce(ctx, result.row);
  if (result.superseded) announce(ctx, result.superseded);
  return result;
}

/** The subject a scan names: null when the text carries no ticket (the raw text is never stored). */
function scanKey(body: CheckinInput): ScanKey | null {
  if (body.attendeeId !== undefined) return { attendeeId: body.attendeeId };
  const secret = parseTicketText(body.token ?? '');
  return secret ? { secret } : null;
}

/** Postgres batches of scans running at once: the database works on one while the next is gathered and answered. */
const SCAN_BATCHES_IN_FLIGHT = 2;

const scanners = new WeakMap<Database, (call: ScanCall) => Promise<ScanAnswer>>();

/**
 * Scans arriving together go in one `checkin_scan_batch` statement (see `groupCommit`): one
 * batch at a time on PGlite, which runs one transaction at a time anyway, and a few side by
 * side on Postgres, where each batch has a connection of its own.
 */
function scanner(database: Database) {
  let scan = scanners.get(database);
  if (!scan) {
    const db = database.db;
    const lock = database.kind === 'postgres';
    scan = groupCommit<ScanCall, ScanAnswer>(
      (calls) => scanInOneBatch(db, calls, lock),
      (call) => scanInOneStatement(db, call, lock),
      // PGlite works in this thread: requests are read only between its batches, so a short
      // wait lets the ones that arrived meanwhile join. Postgres works beside it: whatever
      // arrives while the batches in flight run is the next batch, and a lone scan goes at once.
      database.kind === 'pglite' ? { inFlight: 1, gatherMs: 2 } : { inFlight: SCAN_BATCHES_IN_FLIGHT, gatherMs: 0 },
    );
    scanners.set(database, scan);
  }
  return scan;
}

/**
 * A name search at a kiosk nobody from the team stands by: the guest's confirmation is
 * checked first, in a transaction of its own (several statements, as the wrong answers so
 * far are counted under the guest's lock).
 */
async function checkInByName(ctx: FeatureContext, scan: Scan, body: CheckinInput): Promise<ScanResult> {
  const { deps } = ctx;
  const db = deps.database.db;
  try {
    return await db.transaction(async (tx) => {
      const subject = await readSubject(tx, deps.database.kind === 'postgres', scan.eventId, body);
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
