import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { attendees, checkins, devices, events, intents, organisers, rowsOf, tickets, type Db } from '@edgewise/db';
import type { CheckinMethod, CheckinStatus, CheckinType, Decision, LoggedScan, Presence } from '@edgewise/shared';

export type CheckinRow = typeof checkins.$inferSelect;

/** What a scan needs to know about its subject. */
export interface ScanSubject {
  eventStatus: 'draft' | 'open' | 'closed';
  /** Absent when the token or id matched nothing. */
  match: {
    attendeeId: string;
    attendeeEventId: string;
    name: string;
    firstTime: boolean;
    hasIntent: boolean;
    /** Null on the attendee path (name search), where no ticket is involved. */
    ticketRevoked: boolean | null;
    /** The attendee's accepted scans, read after the lock. */
    log: LoggedScan[];
  } | null;
  /** A name search's confirmation refused (unattended kiosk): decided before presence. */
  unconfirmed?: Decision | null;
}

/** A scan names its subject by ticket secret (QR) or by attendee id (name search). */
export type ScanKey = { secret: string } | { attendeeId: string };

/**
 * The attendee's accepted scans, oldest first, as one JSON array of [type, scanned_at,
 * received_at, id, device_id]: the log travels in the same row as its subject.
 */
const effectiveLog = sql<unknown>`(
  select coalesce(json_agg(json_build_array(c.type, c.scanned_at, c.received_at, c.id, c.device_id) order by c.scanned_at, c.received_at), '[]'::json)
  from ${checkins} c where c.attendee_id = ${attendees.id} and c.effective
)`;

/**
 * The event, the attendee the key names (with its ticket's state) and the attendee's log,
 * in one statement. Left joins keep the event's status when the key matches nothing.
 */
function subjectQuery(tx: Db, eventId: string, key: ScanKey) {
  const fields = {
    eventStatus: events.status,
    attendeeId: attendees.id,
    attendeeEventId: attendees.eventId,
    name: attendees.name,
    firstTime: attendees.firstTime,
    hasIntent: sql<boolean>`exists (select 1 from ${intents} where ${intents.attendeeId} = ${attendees.id})`,
    ticketRevoked: 'secret' in key ? sql<boolean | null>`${tickets.revokedAt} is not null` : sql<boolean | null>`null::boolean`,
    log: effectiveLog,
  };
  if ('secret' in key) {
    return tx
      .select(fields)
      .from(events)
      .leftJoin(tickets, eq(tickets.secret, key.secret))
      .leftJoin(attendees, eq(attendees.id, tickets.attendeeId))
      .where(eq(events.id, eventId))
      .limit(1);
  }
  return tx
    .select(fields)
    .from(events)
    .leftJoin(attendees, and(eq(attendees.id, key.attendeeId), eq(attendees.eventId, events.id)))
    .where(eq(events.id, eventId))
    .limit(1);
}

/**
 * Locks the keyed attendee's row so that concurrent scans of one person queue up. `no key
 * update` is enough for that and, unlike `for update`, still lets other tables insert rows
 * referencing the attendee meanwhile.
 */
function lockQuery(tx: Db, key: ScanKey) {
  if ('secret' in key) {
    return tx
      .select({ id: attendees.id })
      .from(tickets)
      .innerJoin(attendees, eq(attendees.id, tickets.attendeeId))
      .where(eq(tickets.secret, key.secret))
      .for('no key update', { of: attendees });
  }
  return tx.select({ id: attendees.id }).from(attendees).where(eq(attendees.id, key.attendeeId)).for('no key update');
}

function parseLog(value: unknown): LoggedScan[] {
  const entries = (typeof value === 'string' ? JSON.parse(value) : value) as [CheckinType, string, string, string, string | null][] | null;
  return (entries ?? []).map(([type, scannedAt, receivedAt, id, deviceId]) => ({ type, scannedAt: new Date(scannedAt), receivedAt: new Date(receivedAt), id, deviceId }));
}

/**
 * The scan's subject and its attendee's accepted scans, in the caller's transaction; with
 * `lock`, after locking the attendee. The read must start once the lock is held, or it
 * could miss a scan committed while it waited. It is still sent without waiting for the
 * lock's answer: both queries are started in one synchronous step through the same code
 * path, so the driver queues them in this order on the transaction's connection, and
 * Postgres runs a connection's statements one after the other (pipelined: one round trip).
 * Returns a null subject when the event does not exist.
 */
export async function readScanSubject(tx: Db, eventId: string, key: ScanKey, lock: boolean): Promise<ScanSubject | null> {
  const locked = lock ? lockQuery(tx, key).execute() : undefined;
  const read = subjectQuery(tx, eventId, key).execute();
  const [, [row]] = await Promise.all([locked, read]);
  if (!row) return null;
  return {
    eventStatus: row.eventStatus,
    match:
      row.attendeeId === null || row.attendeeEventId === null || row.name === null
        ? null
        : {
            attendeeId: row.attendeeId,
            attendeeEventId: row.attendeeEventId,
            name: row.name,
            firstTime: Boolean(row.firstTime),
            hasIntent: Boolean(row.hasIntent),
            ticketRevoked: row.ticketRevoked === null ? null : Boolean(row.ticketRevoked),
            log: parseLog(row.log),
          },
  };
}

/** What a check-in answer shows of its attendee (null when the row names none). */
export type AttendeeView = { name: string; firstTime: boolean; hasIntent: boolean } | null;

/** One scan for `checkin_scan`: the subject's key is null when the text carried no ticket. */
export interface ScanCall {
  eventId: string;
  deviceId: string;
  key: ScanKey | null;
  nonce: string;
  type: CheckinType;
  method: CheckinMethod;
  scannedAt: Date;
  receivedAt: Date;
  /** Server statuses that contradict what an offline kiosk told the guest: such a scan is flagged. */
  disagreeing: readonly CheckinStatus[];
}

/**
 * What `checkin_scan` did: recorded the scan (and maybe turned a later entry into its
 * duplicate), found its nonce stored already, or recorded nothing and says why.
 */
export type ScanAnswer =
  | { kind: 'recorded' | 'replayed'; row: CheckinRow; attendee: AttendeeView; superseded?: CheckinRow }
  | { kind: 'no_event' | 'unpaired' | 'confirm' };

interface ScanRow {
  kind: 'recorded' | 'replayed' | 'superseded' | 'no_event' | 'unpaired' | 'confirm';
  id: string;
  event_id: string;
  attendee_id: string | null;
  device_id: string | null;
  nonce: string;
  type: CheckinType;
  method: string;
  status: string;
  reason: string;
  scanned_at: Date | string;
  received_at: Date | string;
  flagged: boolean;
  effective: boolean;
  name: string | null;
  first_time: boolean | null;
  has_intent: boolean | null;
}

const checkinRowOf = (r: ScanRow): CheckinRow => ({
  id: r.id,
  eventId: r.event_id,
  attendeeId: r.attendee_id,
  deviceId: r.device_id,
  organiserId: null,
  nonce: r.nonce,
  type: r.type,
  method: r.method,
  status: r.status,
  reason: r.reason,
  scannedAt: new Date(r.scanned_at),
  receivedAt: new Date(r.received_at),
  flagged: Boolean(r.flagged),
  effective: Boolean(r.effective),
});

/** The scan's subject as `checkin_scan` takes it: a ticket secret or an attendee id (or neither). */
const subjectOf = (call: ScanCall) => ({
  secret: call.key && 'secret' in call.key ? call.key.secret : null,
  attendeeId: call.key && 'attendeeId' in call.key ? call.key.attendeeId : null,
});

/** What one scan's rows of `checkin_scan` say (its own row first, then a row it superseded). */
function answerOf(rows: readonly ScanRow[]): ScanAnswer {
  const [first, second] = rows;
  if (!first) throw new Error('checkin_scan answered nothing');
  if (first.kind !== 'recorded' && first.kind !== 'replayed') {
    if (first.kind === 'superseded') throw new Error('checkin_scan answered a superseded row first');
    return { kind: first.kind };
  }
  const attendee = first.name === null ? null : { name: first.name, firstTime: Boolean(first.first_time), hasIntent: Boolean(first.has_intent) };
  return { kind: first.kind, row: checkinRowOf(first), attendee, ...(second?.kind === 'superseded' && { superseded: checkinRowOf(second) }) };
}

/**
 * Decides and records one kiosk scan in one statement (`checkin_scan`, db/migrations 0011,
 * 0014 and 0017): on its own, one round trip and one transaction, committed before it
 * answers. `lock`: take the event's and the attendee's row locks, so that sessions running
 * side by side queue up (false on PGlite: one session, nothing beside it).
 */
export async function scanInOneStatement(db: Db, call: ScanCall, lock: boolean): Promise<ScanAnswer> {
  const { secret, attendeeId } = subjectOf(call);
  const rows = rowsOf<ScanRow>(
    await db.execute(sql`select * from checkin_scan(${call.eventId}, ${call.deviceId}, ${secret}, ${attendeeId}, ${call.nonce}, ${call.type},
      ${call.method}, ${call.scannedAt.toISOString()}::timestamptz, ${call.receivedAt.toISOString()}::timestamptz, ${JSON.stringify(call.disagreeing)}::jsonb, ${lock})`),
  );
  return answerOf(rows);
}

/** The order a batch takes its scans in: by subject, so that batches lock attendees in one order. */
const subjectOrder = (call: ScanCall): string => (call.key === null ? '' : 'secret' in call.key ? `s:${call.key.secret}` : `a:${call.key.attendeeId}`);

/**
 * Several scans in one statement (`checkin_scan_batch`, migrations 0016 and 0017): one round trip and
 * one transaction (one commit, one flush) for all of them, each decided as `checkin_scan`
 * decides it alone, in the order they arrived. Scans of different people are taken in the
 * order of their subject, so two batches running at once lock attendees in the same order
 * and never wait for each other in a circle; one person's scans keep their arrival order.
 * Answers in the order of `calls`; `lock` as for `scanInOneStatement`.
 */
export async function scanInOneBatch(db: Db, calls: readonly ScanCall[], lock: boolean): Promise<ScanAnswer[]> {
  const order = calls.map((call, i) => ({ i, by: subjectOrder(call) })).sort((a, b) => (a.by < b.by ? -1 : a.by > b.by ? 1 : a.i - b.i));
  const scans = order.map(({ i }) => {
    const call = calls[i] as ScanCall;
    return {
      eventId: call.eventId,
      deviceId: call.deviceId,
      ...subjectOf(call),
      nonce: call.nonce,
      type: call.type,
      method: call.method,
      scannedAt: call.scannedAt.toISOString(),
      receivedAt: call.receivedAt.toISOString(),
      disagreeing: call.disagreeing,
    };
  });
  const rows = rowsOf<ScanRow & { ord: number }>(await db.execute(sql`select * from checkin_scan_batch(${JSON.stringify(scans)}::jsonb, ${lock})`));
  const byPlace: ScanRow[][] = calls.map(() => []);
  for (const row of rows) byPlace[order[row.ord]?.i ?? -1]?.push(row);
  return byPlace.map(answerOf);
}

/** Inserts the scan unless its nonce is already stored; returns the new row or undefined. */
export async function insertCheckin(
  tx: Db,
  given: Omit<CheckinRow, 'id' | 'organiserId'> & { organiserId?: string | null },
): Promise<CheckinRow | undefined> {
  const values = { ...given, organiserId: given.organiserId ?? null };
  // Every other column is known already: only the id comes back.
  const [row] = await tx.insert(checkins).values(values).onConflictDoNothing({ target: checkins.nonce }).returning({ id: checkins.id });
  return row && { ...values, id: row.id };
}

/**
 * Re-decides an accepted scan as the given decision (an entry that turned out to be the
 * second of its ticket once an earlier one arrived). The only change the log takes after
 * the fact, so that it reads the same whatever order kiosks upload in; returns the row.
 */
export async function redecideCheckin(tx: Db, id: string, decision: Decision): Promise<CheckinRow | undefined> {
  const [row] = await tx
    .update(checkins)
    .set({ status: decision.status, reason: decision.reason, effective: decision.effective, flagged: decision.flagged })
    .where(eq(checkins.id, id))
    .returning();
  return row;
}

/** The stored scan for a nonce, with what a replayed answer shows about its attendee. */
export async function checkinByNonce(db: Db, nonce: string) {
  const [row] = await db
    .select({
      checkin: checkins,
      name: attendees.name,
      firstTime: attendees.firstTime,
      hasIntent: sql<boolean>`exists (select 1 from ${intents} where ${intents.attendeeId} = ${checkins.attendeeId})`.mapWith(Boolean),
    })
    .from(checkins)
    .leftJoin(attendees, eq(attendees.id, checkins.attendeeId))
    .where(eq(checkins.nonce, nonce))
    .limit(1);
  return row;
}

export interface LogFilter {
  limit: number;
  flagged?: boolean;
}

/** The event's scan log, newest arrival first, with who scanned and on which device. */
export async function checkinLog(db: Db, eventId: string, filter: LogFilter) {
  const where = filter.flagged === undefined ? eq(checkins.eventId, eventId) : and(eq(checkins.eventId, eventId), eq(checkins.flagged, filter.flagged));
  return db
    .select({ checkin: checkins, attendeeName: attendees.name, deviceName: devices.name, organiserName: organisers.name })
    .from(checkins)
    .leftJoin(attendees, eq(attendees.id, checkins.attendeeId))
    .leftJoin(devices, eq(devices.id, checkins.deviceId))
    .leftJoin(organisers, eq(organisers.id, checkins.organiserId))
    .where(where)
    .orderBy(desc(checkins.receivedAt), desc(checkins.scannedAt), desc(checkins.id))
    .limit(filter.limit);
}

/**
 * Presence now for a few attendees: the type of each one's latest accepted scan by the time
 * it was scanned (an offline upload counts where it happened, not when it arrived).
 */
export async function presenceOf(db: Db, attendeeIds: string[]): Promise<Map<string, Presence>> {
  const presence = new Map<string, Presence>(attendeeIds.map((id) => [id, 'not_arrived']));
  if (attendeeIds.length === 0) return presence;
  const rows = await db
    .selectDistinctOn([checkins.attendeeId], { attendeeId: checkins.attendeeId, type: checkins.type })
    .from(checkins)
    .where(and(inArray(checkins.attendeeId, attendeeIds), eq(checkins.effective, true)))
    .orderBy(checkins.attendeeId, desc(checkins.scannedAt), desc(checkins.receivedAt), desc(checkins.id));
  for (const r of rows) if (r.attendeeId) presence.set(r.attendeeId, presenceFromType(r.type));
  return presence;
}

export const presenceFromType = (type: CheckinType | null | undefined): Presence =>
  type === 'entry' ? 'present' : type === 'exit' ? 'left' : 'not_arrived';

export async function eventStatusOf(db: Db, eventId: string) {
  const [row] = await db.select({ status: events.status }).from(events).where(eq(events.id, eventId)).limit(1);
  return row?.status ?? null;
}

/**
 * What a name-search scan at a kiosk must check before it may go on: whether the kiosk is
 * staffed, the guest's email (the confirmation comes from it) and how many wrong answers
 * this kiosk took for this guest since `since`. One statement; read after the attendee's lock.
 */
export async function confirmationContext(tx: Db, deviceId: string, attendeeId: string, since: Date) {
  const [row] = await tx
    .select({
      staffed: devices.staffed,
      email: sql<string | null>`(select ${attendees.email} from ${attendees} where ${attendees.id} = ${attendeeId})`,
      wrong: sql<number>`(select count(*)::int from ${checkins} c
        where c.device_id = ${deviceId} and c.attendee_id = ${attendeeId} and c.reason = 'confirmation_failed' and c.received_at > ${since.toISOString()}::timestamptz)`.mapWith(Number),
    })
    .from(devices)
    .where(eq(devices.id, deviceId))
    .limit(1);
  return row ?? { staffed: false, email: null, wrong: 0 };
}
