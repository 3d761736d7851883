import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { attendees, devices, events, intents, kioskPins, kioskZones, meetingPoints, pairMeetings, rowsOf, whereIAm, type Db } from '@edgewise/db';
import type { KioskZone, MeetingPoint, Pin } from '@edgewise/shared';

export type PairMeetingRow = typeof pairMeetings.$inferSelect;

/** A pair's key: the two ids in order, as `pair_meetings` stores them. */
export const ordered = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x]);
export const pairKey = (x: string, y: string) => ordered(x, y).join(':');

const pinOf = (x: number | null, y: number | null): Pin | null => (x === null || y === null ? null : { x, y });

export async function pointsOf(db: Db, eventId: string): Promise<MeetingPoint[]> {
  const rows = await db
    .select({ id: meetingPoints.id, name: meetingPoints.name, zone: meetingPoints.zone, pinX: meetingPoints.pinX, pinY: meetingPoints.pinY })
    .from(meetingPoints)
    .where(eq(meetingPoints.eventId, eventId))
    .orderBy(asc(meetingPoints.position), asc(meetingPoints.createdAt));
  return rows.map(({ pinX, pinY, ...p }) => ({ ...p, pin: pinOf(pinX, pinY) }));
}

/** The event's paired kiosks, in pairing order, with the zone each stands in and its pin on the floor plan. */
export async function kiosksOf(db: Db, eventId: string): Promise<KioskZone[]> {
  const rows = await db
    .select({ id: devices.id, name: devices.name, zone: kioskZones.zone, pinX: kioskPins.x, pinY: kioskPins.y })
    .from(devices)
    .leftJoin(kioskZones, eq(kioskZones.deviceId, devices.id))
    .leftJoin(kioskPins, eq(kioskPins.deviceId, devices.id))
    .where(and(eq(devices.eventId, eventId), eq(devices.kind, 'kiosk'), isNull(devices.unpairedAt)))
    .orderBy(asc(devices.pairedAt), asc(devices.id));
  return rows.map(({ pinX, pinY, ...k }) => ({ ...k, pin: pinOf(pinX, pinY) }));
}

/** Where someone was last seen: the zone and the pin of the kiosk that last let them in, where it has them. */
export interface LastSeen {
  zone: string | null;
  pin: Pin | null;
}

/** Where each of these attendees was last seen (only those whose kiosk has a zone or a pin). */
export async function lastSeenPlaces(db: Db, attendeeIds: readonly string[]): Promise<Map<string, LastSeen>> {
  if (attendeeIds.length === 0) return new Map();
  const rows = rowsOf<{ id: string; zone: string | null; x: number | null; y: number | null }>(
    await db.execute(sql`
      select distinct on (c.attendee_id) c.attendee_id as id, z.zone, p.x, p.y
      from checkins c
        left join kiosk_zones z on z.device_id = c.device_id
        left join kiosk_pins p on p.device_id = c.device_id
      where c.attendee_id in (${sql.join(attendeeIds.map((id) => sql`${id}`), sql`, `)})
        and c.type = 'entry' and c.status = 'ok' and c.effective
      order by c.attendee_id, c.received_at desc`),
  );
  return new Map(
    rows.flatMap((r) => {
      const pin = r.x === null || r.y === null ? null : { x: Number(r.x), y: Number(r.y) };
      return r.zone || pin ? [[r.id, { zone: r.zone, pin }] as const] : [];
    }),
  );
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

/**
 * The "where I am" lines that still stand: a line says where someone is now, so it shows
 * while they are in, and only if written since the entry that brought them in (a line from
 * before they left and came back is not shown again).
 */
export async function whereIAmOf(db: Db, attendeeIds: readonly string[]) {
  if (attendeeIds.length === 0) return new Map<string, { text: string; at: Date }>();
  const rows = await db
    .select({ attendeeId: whereIAm.attendeeId, text: whereIAm.text, at: whereIAm.writtenAt })
    .from(whereIAm)
    .where(
      and(
        inArray(whereIAm.attendeeId, [...attendeeIds]),
        // The entry's own time or, from a kiosk whose clock runs ahead, when the server had it.
        sql`(select c.type = 'entry' and least(c.scanned_at, c.received_at) <= ${whereIAm.writtenAt} from checkins c
          where c.attendee_id = ${whereIAm.attendeeId} and c.effective
          order by c.scanned_at desc, c.received_at desc, c.id desc limit 1)`,
      ),
    );
  return new Map(rows.map((r) => [r.attendeeId, { text: r.text, at: r.at }]));
}
