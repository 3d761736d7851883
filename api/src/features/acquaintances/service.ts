import { and, asc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { acquaintances, attendees, type Db } from '@edgewise/db';
import type { Acquaintance, AcquaintanceBody } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import { AppError } from '../../http/errors';
import { requireAttendee, requireEvent } from '../attendees/service';

const known = alias(attendees, 'known');

async function acquaintanceRows(db: Db, eventId: string, pair?: { attendeeId: string; knowsId: string }): Promise<Acquaintance[]> {
  const rows = await db
    .select({
      attendeeId: acquaintances.attendeeId,
      attendeeName: attendees.name,
      knowsId: acquaintances.knowsId,
      knowsName: known.name,
      createdAt: acquaintances.createdAt,
    })
    .from(acquaintances)
    .innerJoin(attendees, eq(attendees.id, acquaintances.attendeeId))
    .innerJoin(known, eq(known.id, acquaintances.knowsId))
    .where(
      and(
        eq(acquaintances.eventId, eventId),
        pair ? and(eq(acquaintances.attendeeId, pair.attendeeId), eq(acquaintances.knowsId, pair.knowsId)) : undefined,
      ),
    )
    .orderBy(asc(attendees.name), asc(known.name));
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/** Who knows whom at this event, as recorded: the matching reads it to find introducers. */
export async function listAcquaintances(db: Db, eventId: string): Promise<Acquaintance[]> {
  await requireEvent(db, eventId);
  return acquaintanceRows(db, eventId);
}

/**
 * Records that one attendee knows another (both of this event). Saying it again changes
 * nothing. Either side's record makes the two acquainted for matching, which hears of it at
 * once: each can now be suggested as the one who introduces the other.
 */
export async function addAcquaintance(ctx: FeatureContext, eventId: string, body: AcquaintanceBody): Promise<Acquaintance> {
  const db = ctx.deps.database.db;
  await requireEvent(db, eventId);
  await Promise.all([requireAttendee(db, eventId, body.attendeeId), requireAttendee(db, eventId, body.knowsId)]);
  await db
    .insert(acquaintances)
    .values({ eventId, attendeeId: body.attendeeId, knowsId: body.knowsId, createdAt: new Date(ctx.deps.now()) })
    .onConflictDoNothing();
  ctx.matching.attendeeChanged(eventId, body.attendeeId);
  ctx.matching.attendeeChanged(eventId, body.knowsId);
  const [row] = await acquaintanceRows(db, eventId, body);
  // Gone between the insert and the read: one of the two was removed meanwhile.
  if (!row) throw new AppError('not_found', 'No such attendee in this event.');
  return row;
}

export async function removeAcquaintance(ctx: FeatureContext, eventId: string, attendeeId: string, knowsId: string): Promise<void> {
  const db = ctx.deps.database.db;
  const gone = await db
    .delete(acquaintances)
    .where(and(eq(acquaintances.eventId, eventId), eq(acquaintances.attendeeId, attendeeId), eq(acquaintances.knowsId, knowsId)))
    .returning({ attendeeId: acquaintances.attendeeId });
  if (gone.length === 0) throw new AppError('not_found', 'No such acquaintance recorded at this event.');
  ctx.matching.attendeeChanged(eventId, attendeeId);
  ctx.matching.attendeeChanged(eventId, knowsId);
}
