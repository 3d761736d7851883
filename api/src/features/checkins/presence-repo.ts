import { and, desc, eq, inArray, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { attendees, checkins, events, rowsOf, type Db } from '@edgewise/db';
import type { Presence } from '@edgewise/shared';
import { presenceFromType } from './repo';

/**
 * Presence beyond the log's latest scan: away (checked in, no sign of life for the event's
 * "away after" minutes), signs of life, and who the event's close checks out.
 */

/**
 * Raw SQL: whether someone checked in by the log is away at `now`: the event's "away after
 * N minutes" is set (`settings`, the event's jsonb) and neither their latest accepted scan
 * (`scanAt`) nor their last other sign of life (`signAt`) is that recent.
 */
export const awaySql = (settings: SQL | AnyColumn, scanAt: SQL | AnyColumn, signAt: SQL | AnyColumn, now: number): SQL => sql`coalesce(
  greatest(${scanAt}, ${signAt}) < ${new Date(now).toISOString()}::timestamptz - make_interval(mins => (${settings}->>'awayAfterMinutes')::int),
  false)`;

/**
 * Presence now for a few attendees: the type of each one's latest accepted scan by the time
 * it was scanned (an offline upload counts where it happened, not when it arrived), and
 * with `now`, whether someone checked in is away (no sign for the event's "away after").
 */
export async function presenceAt(db: Db, attendeeIds: string[], now?: number): Promise<Map<string, Presence>> {
  const presence = new Map<string, Presence>(attendeeIds.map((id) => [id, 'not_arrived']));
  if (attendeeIds.length === 0) return presence;
  const rows = await db
    .selectDistinctOn([checkins.attendeeId], {
      attendeeId: checkins.attendeeId,
      type: checkins.type,
      away:
        now === undefined
          ? sql<boolean>`false`
          : sql<boolean>`${awaySql(events.settings, checkins.scannedAt, attendees.lastSignAt, now)}`.mapWith(Boolean),
    })
    .from(checkins)
    .innerJoin(attendees, eq(attendees.id, checkins.attendeeId))
    .innerJoin(events, eq(events.id, checkins.eventId))
    .where(and(inArray(checkins.attendeeId, attendeeIds), eq(checkins.effective, true)))
    .orderBy(checkins.attendeeId, desc(checkins.scannedAt), desc(checkins.receivedAt), desc(checkins.id));
  for (const r of rows) if (r.attendeeId) presence.set(r.attendeeId, r.type === 'entry' && r.away ? 'away' : presenceFromType(r.type));
  return presence;
}

/** The event's attendees checked in by the log but away at `now` (none when "away after" is off). */
export async function awayAttendeeIds(db: Db, eventId: string, now: number): Promise<string[]> {
  // Off for most events: one small read spares the whole room's log every sweep.
  const [event] = await db.select({ after: sql<string | null>`${events.settings}->>'awayAfterMinutes'` }).from(events).where(eq(events.id, eventId)).limit(1);
  if (!event?.after) return [];
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      with latest as (
        select distinct on (attendee_id) attendee_id, type, scanned_at
        from checkins
        where event_id = ${eventId} and effective and attendee_id is not null
        order by attendee_id, scanned_at desc, received_at desc, id desc
      )
      select a.id from latest l
      join attendees a on a.id = l.attendee_id
      join events e on e.id = a.event_id
      where l.type = 'entry' and e.settings->>'awayAfterMinutes' is not null
        and ${awaySql(sql`e.settings`, sql`l.scanned_at`, sql`a.last_sign_at`, now)}`),
  );
  return rows.map((r) => r.id);
}

/** How often at most a sign of life is written per attendee. */
export const SIGN_EVERY_MS = 60_000;

/**
 * Records a sign of life at `at`, unless one was written less than a minute before. Answers
 * whether the attendee was away until now (so matching takes them back), or null when
 * nothing was written.
 */
export async function writeSign(db: Db, eventId: string, attendeeId: string, at: number): Promise<boolean | null> {
  const iso = new Date(at).toISOString();
  const rows = rowsOf<{ was_away: boolean }>(
    await db.execute(sql`
      with prior as (
        select a.id, ${awaySql(
          sql`e.settings`,
          sql`(select max(c.scanned_at) from checkins c where c.attendee_id = a.id and c.effective)`,
          sql`a.last_sign_at`,
          at,
        )} as was_away
        from attendees a join events e on e.id = a.event_id
        where a.id = ${attendeeId} and a.event_id = ${eventId}
      )
      update attendees set last_sign_at = ${iso}::timestamptz
      from prior
      where attendees.id = prior.id
        and (attendees.last_sign_at is null or attendees.last_sign_at <= ${iso}::timestamptz - make_interval(secs => ${SIGN_EVERY_MS / 1000}))
      returning prior.was_away`),
  );
  const row = rows[0];
  return row ? Boolean(row.was_away) : null;
}

/**
 * The event's close checks out everyone checked in by the log (away or not): one exit row
 * each, method 'event_close', at `now`. Run in the closing transaction, after the event's
 * row is locked (no scan is accepted once it commits). Returns whom it checked out.
 */
export async function checkOutEveryone(tx: Db, eventId: string, now: number): Promise<string[]> {
  const iso = new Date(now).toISOString();
  const rows = rowsOf<{ attendee_id: string }>(
    await tx.execute(sql`
      insert into checkins (event_id, attendee_id, device_id, nonce, type, method, status, reason, scanned_at, received_at, flagged, effective)
      select ${eventId}, latest.attendee_id, null, 'event_close:' || gen_random_uuid()::text, 'exit', 'event_close', 'ok', 'exit',
        ${iso}::timestamptz, ${iso}::timestamptz, false, true
      from (
        select distinct on (attendee_id) attendee_id, type
        from checkins
        where event_id = ${eventId} and effective and attendee_id is not null
        order by attendee_id, scanned_at desc, received_at desc, id desc
      ) latest
      where latest.type = 'entry'
      returning attendee_id`),
  );
  return rows.map((r) => r.attendee_id);
}
