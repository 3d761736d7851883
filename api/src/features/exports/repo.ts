import { and, eq, isNull, sql } from 'drizzle-orm';
import { attendees, checkins, intents, rowsOf, tickets, type Db } from '@edgewise/db';
import { profileColumns } from '../me/repo';

const epochMs = (expr: ReturnType<typeof sql>) => sql<number | null>`(extract(epoch from ${expr}) * 1000)::float8`;

/** Every attendee of an event with intent and check-in times, in one query. */
export async function attendeeExportRows(db: Db, eventId: string) {
  return db
    .select({
      id: attendees.id,
      email: attendees.email,
      ...profileColumns,
      firstIn: epochMs(sql`(select min(c.scanned_at) from ${checkins} c where c.attendee_id = ${attendees.id} and c.effective and c.type = 'entry')`),
      lastOut: epochMs(sql`(select max(c.scanned_at) from ${checkins} c where c.attendee_id = ${attendees.id} and c.effective and c.type = 'exit')`),
      lastType: sql<string | null>`(
        select c.type from ${checkins} c where c.attendee_id = ${attendees.id} and c.effective
        order by c.scanned_at desc, c.received_at desc, c.id desc limit 1
      )`,
      ticketSecret: tickets.secret,
    })
    .from(attendees)
    .leftJoin(intents, eq(intents.attendeeId, attendees.id))
    .leftJoin(tickets, and(eq(tickets.attendeeId, attendees.id), isNull(tickets.revokedAt)))
    .where(eq(attendees.eventId, eventId));
}

export interface PairExportRow {
  a_id: string;
  b_id: string;
  a_name: string;
  b_name: string;
  a_state: string | null;
  b_state: string | null;
  a_score: number | null;
  b_score: number | null;
  a_reasons: string | null;
  b_reasons: string | null;
  a_answer: string | null;
  b_answer: string | null;
  a_answered_at: number | null;
  b_answered_at: number | null;
  created_at: number | null;
  mutual_at: number | null;
  met_at: number | null;
  intro_by: string | null;
  intro_message: string | null;
  intro_at: number | null;
}

/**
 * Every pair of the event once, whichever of the two directions exist, with the
 * introduction that joined them if there was one. Times come as epoch milliseconds and
 * reasons as their rendered text, so both drivers answer the same.
 */
export async function pairExportRows(db: Db, eventId: string): Promise<PairExportRow[]> {
  const ms = (col: string) => sql.raw(`(extract(epoch from ${col}) * 1000)::float8`);
  const reasons = (alias: string) => sql.raw(`(select string_agg(r->>'text', ' · ') from jsonb_array_elements(${alias}.reasons) r)`);
  const result = await db.execute(sql`
    with pairs as (
      select least(attendee_id, target_id) as a, greatest(attendee_id, target_id) as b from suggestions where event_id = ${eventId}
      union
      select least(a_id, b_id), greatest(a_id, b_id) from introductions where event_id = ${eventId}
    )
    select p.a as a_id, p.b as b_id, pa.name as a_name, pb.name as b_name,
      sa.state as a_state, sb.state as b_state, sa.score::float8 as a_score, sb.score::float8 as b_score,
      ${reasons('sa')} as a_reasons, ${reasons('sb')} as b_reasons,
      sa.answer as a_answer, sb.answer as b_answer,
      ${ms('sa.answered_at')} as a_answered_at, ${ms('sb.answered_at')} as b_answered_at,
      ${ms('least(sa.created_at, sb.created_at)')} as created_at,
      ${ms('coalesce(sa.mutual_at, sb.mutual_at)')} as mutual_at,
      ${ms('coalesce(sa.met_at, sb.met_at)')} as met_at,
      i.by_name as intro_by, i.message as intro_message, ${ms('i.created_at')} as intro_at
    from pairs p
    join attendees pa on pa.id = p.a
    join attendees pb on pb.id = p.b
    left join suggestions sa on sa.attendee_id = p.a and sa.target_id = p.b
    left join suggestions sb on sb.attendee_id = p.b and sb.target_id = p.a
    left join lateral (
      select by_name, message, created_at from introductions
      where event_id = ${eventId} and least(a_id, b_id) = p.a and greatest(a_id, b_id) = p.b
      order by created_at limit 1
    ) i on true
  `);
  return rowsOf<PairExportRow>(result);
}
