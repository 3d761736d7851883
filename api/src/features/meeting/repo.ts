import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { events, meetingPoints, pairMeetings, rowsOf, whereIAm, type Db } from '@edgewise/db';

export type PairMeetingRow = typeof pairMeetings.$inferSelect;

/** A pair's key: the two ids in order, as `pair_meetings` stores them. */
export const ordered = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x]);
export const pairKey = (x: string, y: string) => ordered(x, y).join(':');

export async function pointsOf(db: Db, eventId: string) {
  return db
    .select({ id: meetingPoints.id, name: meetingPoints.name })
    .from(meetingPoints)
    .where(eq(meetingPoints.eventId, eventId))
    .orderBy(asc(meetingPoints.position), asc(meetingPoints.createdAt));
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
