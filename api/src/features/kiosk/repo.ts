import { and, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import { attendees, tickets, type Db } from '@edgewise/db';
import { multiLetterFolds, translateTable } from './fold';

/** The attendee's name folded in SQL the way `fold` does it in JS (for Latin scripts). */
function foldedName(): SQL {
  let folded = sql`translate(lower(${attendees.name}), ${translateTable.from}, ${translateTable.to})`;
  for (const [letter, letters] of multiLetterFolds) folded = sql`replace(${folded}, ${letter}, ${letters})`;
  return folded;
}

/**
 * Attendees of the event whose folded name contains `word` somewhere (with or without its
 * apostrophes): a superset of the prefix matches, which the service then narrows in JS.
 * `word` holds only letters and digits, so it carries no LIKE wildcards.
 */
export async function nameCandidates(db: Db, eventId: string, word: string) {
  const folded = foldedName();
  const pattern = `%${word}%`;
  return db
    .select({ id: attendees.id, name: attendees.name, company: attendees.company, role: attendees.role })
    .from(attendees)
    .where(
      and(
        eq(attendees.eventId, eventId),
        or(sql`${folded} like ${pattern}`, sql`translate(${folded}, ${"'’`."}, '') like ${pattern}`),
      ),
    );
}

/** The attendee's live ticket secret, if any (a walk-in's answer links to it). */
export async function liveSecret(db: Db, attendeeId: string): Promise<string | null> {
  const [row] = await db
    .select({ secret: tickets.secret })
    .from(tickets)
    .where(and(eq(tickets.attendeeId, attendeeId), isNull(tickets.revokedAt)))
    .limit(1);
  return row?.secret ?? null;
}
