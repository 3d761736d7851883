import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { attendees, devices, events, intents, kioskZones, meetingPoints, pairMeetings, rowsOf, whereIAm, type Db } from '@edgewise/db';

export type PairMeetingRow = typeof pairMeetings.$inferSelect;

/** A pair's key: the two ids in order, as `pair_meetings` stores them. */
export const ordered = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x]);
export const pairKey = (x: string, y: string) => ordered(x, y).join(':');

export async function pointsOf(db: Db, eventId: string) {
  return db
    .select({ id: meetingPoints.id, name: meetingPoints.name, zone: meetingPoints.zone })
    .from(meetingPoints)
    .where(eq(meetingPoints.eventId, eventId))
    .orderBy(asc(meetingPoints.position), asc(meetingPoints.createdAt));
}

/** The event's paired kiosks, in pairing order, with the zone each stands in. */
export async function kiosksOf(db: Db, eventId: string) {
  return db
    .select({ id: devices.id, name: devices.name, zone: kioskZones.zone })
    .from(devices)
    .leftJoin(kioskZones, eq(kioskZones.deviceId, devices.id))
    .where(and(eq(devices.eventId, eventId), eq(devices.kind, 'kiosk'), isNull(devices.unpairedAt)))
    .orderBy(asc(devices.pairedAt), asc(devices.id));
}

/** Where each of these attendees was last seen: the zone of the kiosk that last let them in, if it has one. */
export async function lastSeenZones(db: Db, attendeeIds: readonly string[]): Promise<Map<string, string>> {
  if (attendeeIds.length === 0) return new Map();
  const rows = rowsOf<{ id: string; zone: string | null }>(
    await db.execute(sql`
      select distinct on (c.attendee_id) c.attendee_id as id, z.zone
      from checkins c left join kiosk_zones z on z.device_id = c.device_id
      where c.attendee_id in (${sql.join(attendeeIds.map((id) => sql`${id}`), sql`, `)})
        and c.type = 'entry' and c.status = 'ok' and c.effective
      order by c.attendee_id, c.received_at desc`),
  );
  return new Map(rows.flatMap((r) => (r.zone ? [[r.id, r.zone] as const] : [])));
}

/** First-timers who are not hosts: the people the other person goes to. */
export async function newcomersAmong(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: attendees.id, firstTime: attendees.firstTime, host: attendees.host, hostOptIn: intents.hostOptIn })
    .from(attendees)
    .leftJoin(intents, eq(intents.attendeeId, attendees.id))
    .where(inArray(attendees.id, [...ids]));
  return new Set(rows.filter((r) => r.firstTime && !r.host && !r.hostOptIn).map((r) => r.id));
}

export async function meetingsOf(db: Db, pairs: readonly [string, string][]): Promise<Map<string, PairMeetingRow>> {
  if (pairs.length === 0) return new Map();
  const rows = await db
    .select()
    .from(pairMeetings)
    .where(or(...pairs.map(([a, b]) => and(eq(pairMeetings.aId, a), eq(pairMeetings.bId, b)))));
  return new Map(rows.map((r) => [pairKey(r.aId, r.bId), r]));
}

/** Holds the event's row until the transaction ends: spots are handed out one batch at a time. */
export async function lockEvent(tx: Db, eventId: string): Promise<void> {
  await tx.select({ id: events.id }).from(events).where(eq(events.id, eventId)).for('update');
}

/**
 * How many pairs are heading to each spot now: meetings set for the last 15 minutes or later
 * whose pair has not yet said they met.
 */
export async function spotLoad(tx: Db, eventId: string): Promise<Map<string, number>> {
  const rows = rowsOf<{ id: string; n: number | string }>(
    await tx.execute(sql`
      select m.meeting_point_id as id, count(*) as n
      from pair_meetings m
      where m.event_id = ${eventId} and m.meeting_point_id is not null
        and m.meet_at > now() - interval '15 minutes'
        and not exists (select 1 from suggestions s where s.attendee_id = m.a_id and s.target_id = m.b_id and s.state = 'met')
      group by m.meeting_point_id`),
  );
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

export async function whereIAmOf(db: Db, attendeeIds: readonly string[]) {
  if (attendeeIds.length === 0) return new Map<string, { text: string; at: Date }>();
  const rows = await db
    .select({ attendeeId: whereIAm.attendeeId, text: whereIAm.text, at: whereIAm.writtenAt })
    .from(whereIAm)
    .where(inArray(whereIAm.attendeeId, [...attendeeIds]));
  return new Map(rows.map((r) => [r.attendeeId, { text: r.text, at: r.at }]));
}
