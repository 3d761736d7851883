import { and, asc, eq, ilike, isNull, or, sql, type SQL } from 'drizzle-orm';
import { attendees, checkins, events, intents, tickets, type Db } from '@edgewise/db';
import { awaySql } from '../checkins/presence-repo';

/** `%` and `_` typed by an organiser are letters, not wildcards. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The type of the attendee's latest effective scan (by the time the kiosk saw it): entry
 * means present, exit means left, none means not arrived. Ties on `scanned_at` (two kiosks
 * in the same millisecond) go to the one received last.
 */
export const latestEffectiveType = sql<'entry' | 'exit' | null>`(
  select c.type from ${checkins} c
  where c.attendee_id = ${attendees.id} and c.effective
  order by c.scanned_at desc, c.received_at desc, c.id desc
  limit 1
)`;

/**
 * The whole guest list of one event in one query: each row carries its live ticket (a
 * left join on the one-live-ticket index) and correlated sub-queries for presence, which
 * the checkins indexes by attendee answer without a scan of the log. Sorting by name is
 * left to `compareNames`: database collations differ (PGlite sorts `Á` after `z`).
 */
export async function guestListRows(db: Db, eventId: string, now: number, q?: string) {
  const filters: SQL[] = [eq(attendees.eventId, eventId)];
  if (q) {
    const p = likePattern(q);
    const match = or(ilike(attendees.name, p), ilike(attendees.email, p), ilike(attendees.company, p));
    if (match) filters.push(match);
  }
  return db
    .select({
      attendee: attendees,
      ticketIssuedAt: tickets.createdAt,
      lastType: latestEffectiveType,
      firstCheckinAt: sql<Date | null>`(
        select min(c.scanned_at) from ${checkins} c
        where c.attendee_id = ${attendees.id} and c.effective and c.type = 'entry'
      )`.mapWith(checkins.scannedAt),
      lastScanAt: sql<Date | null>`(
        select max(c.scanned_at) from ${checkins} c where c.attendee_id = ${attendees.id}
      )`.mapWith(checkins.scannedAt),
      hasIntent: sql<boolean>`exists (select 1 from ${intents} i where i.attendee_id = ${attendees.id})`.mapWith(Boolean),
      /** Away if checked in (see lastType): no sign of life for the event's "away after". */
      away: sql<boolean>`${awaySql(
        sql`(select e.settings from ${events} e where e.id = ${eventId})`,
        sql`(select max(c.scanned_at) from ${checkins} c where c.attendee_id = ${attendees.id} and c.effective)`,
        attendees.lastSignAt,
        now,
      )}`.mapWith(Boolean),
      flagged: sql<boolean>`exists (select 1 from ${checkins} c where c.attendee_id = ${attendees.id} and c.flagged)`.mapWith(Boolean),
    })
    .from(attendees)
    .leftJoin(tickets, and(eq(tickets.attendeeId, attendees.id), isNull(tickets.revokedAt)))
    .where(and(...filters))
    .orderBy(asc(attendees.id));
}
