import { and, asc, eq, exists, inArray, or, sql } from 'drizzle-orm';
import { attendees, checkins, contactCards, events, followups, introductions, notes, suggestions, type Db } from '@edgewise/db';
import { sharedNow, theirRow, theirs } from '../me/repo';

export type FollowupRow = typeof followups.$inferSelect;


/** "Checked in" means an accepted entry scan: the follow-up is for people who came. */
export const checkedIn = (db: Db) =>
  exists(
    db
      .select({ one: sql`1` })
      .from(checkins)
      .where(and(eq(checkins.attendeeId, attendees.id), eq(checkins.effective, true), eq(checkins.type, 'entry'))),
  );

/**
 * The people one attendee's digest is about: pairs that are mutual (both said yes, or an
 * introduction made them so) or met, with the reader's own note, and contact details only
 * where both said yes, and then only what the other person chose to share.
 */
export async function digestRows(db: Db, eventId: string, attendeeId: string) {
  return db
    .select({
      targetId: suggestions.targetId,
      state: suggestions.state,
      reasons: suggestions.reasons,
      name: attendees.name,
      company: attendees.company,
      role: attendees.role,
      email: sql<string | null>`case when ${sharedNow} and ${contactCards.shareEmail} then ${attendees.email} end`,
      phone: sql<string | null>`case when ${sharedNow} then ${contactCards.phone} end`,
      link: sql<string | null>`case when ${sharedNow} then ${contactCards.link} end`,
      note: notes.text,
    })
    .from(suggestions)
    .innerJoin(attendees, eq(attendees.id, suggestions.targetId))
    .leftJoin(theirs, theirRow)
    .leftJoin(contactCards, eq(contactCards.attendeeId, suggestions.targetId))
    .leftJoin(notes, and(eq(notes.attendeeId, suggestions.attendeeId), eq(notes.aboutId, suggestions.targetId)))
    .where(and(eq(suggestions.eventId, eventId), eq(suggestions.attendeeId, attendeeId), inArray(suggestions.state, ['mutual', 'met'])))
    .orderBy(asc(attendees.name), asc(attendees.id));
}
export type DigestRow = Awaited<ReturnType<typeof digestRows>>[number];

/** Introductions this attendee was part of, by the other person's id (the first one made). */
export async function introductionsOf(db: Db, eventId: string, attendeeId: string) {
  const rows = await db
    .select({ aId: introductions.aId, bId: introductions.bId, byName: introductions.byName, message: introductions.message })
    .from(introductions)
    .where(and(eq(introductions.eventId, eventId), or(eq(introductions.aId, attendeeId), eq(introductions.bId, attendeeId))))
    .orderBy(asc(introductions.createdAt));
  const byOther = new Map<string, { byName: string; message: string }>();
  for (const r of rows) {
    const other = r.aId === attendeeId ? r.bId : r.aId;
    if (!byOther.has(other)) byOther.set(other, { byName: r.byName, message: r.message });
  }
  return byOther;
}

export async function followupOf(db: Db, attendeeId: string): Promise<FollowupRow | undefined> {
  const [row] = await db.select().from(followups).where(eq(followups.attendeeId, attendeeId)).limit(1);
  return row;
}

/** Everyone who checked in, with their follow-up row if it exists yet. */
export async function overviewRows(db: Db, eventId: string) {
  return db
    .select({
      attendeeId: attendees.id,
      name: attendees.name,
      email: attendees.email,
      optedOut: attendees.matchingOptOut,
      followup: followups,
    })
    .from(attendees)
    .leftJoin(followups, eq(followups.attendeeId, attendees.id))
    .where(and(eq(attendees.eventId, eventId), checkedIn(db)))
    .orderBy(asc(attendees.name), asc(attendees.id));
}

export async function isCheckedIn(db: Db, attendeeId: string): Promise<boolean> {
  const [row] = await db.select({ id: attendees.id }).from(attendees).where(and(eq(attendees.id, attendeeId), checkedIn(db))).limit(1);
  return row !== undefined;
}

/**
 * Events whose follow-up time (end + followUpHours, at most 24) has come, but not longer
 * ago than `windowMs`, and whose personal data is still there.
 */
export async function dueEventIds(db: Db, now: Date, windowMs: number): Promise<string[]> {
  const sendAt = sql`${events.endsAt} + make_interval(hours => least(24, greatest(0, coalesce((${events.settings}->>'followUpHours')::int, 12))))`;
  const rows = await db
    .select({ id: events.id })
    .from(events)
    .where(
      and(
        sql`${events.erasedAt} is null`,
        sql`${sendAt} <= ${now.toISOString()}::timestamptz`,
        sql`${sendAt} > ${new Date(now.getTime() - windowMs).toISOString()}::timestamptz`,
      ),
    );
  return rows.map((r) => r.id);
}

/** A pending row for everyone checked in (or just one of them) who has none yet. */
export async function ensureRows(db: Db, eventId: string, at: Date, attendeeId?: string): Promise<void> {
  const stamp = at.toISOString();
  await db.execute(sql`
    insert into ${followups} (event_id, attendee_id, status, next_attempt_at, created_at, updated_at)
    select a.event_id, a.id, 'pending', ${stamp}::timestamptz, ${stamp}::timestamptz, ${stamp}::timestamptz
    from ${attendees} a
    where a.event_id = ${eventId}
      ${attendeeId ? sql`and a.id = ${attendeeId}` : sql``}
      and exists (select 1 from ${checkins} c where c.attendee_id = a.id and c.effective and c.type = 'entry')
    on conflict (attendee_id) do nothing
  `);
}

/** The follow-ups waiting to be sent: the outbox claims them (see ../mail/outbox). */
export const followupWaiting = ['pending', 'failed'] as const;

/** A skipped row can be looked at again when the organiser asks for one person (an email added since). */
export async function reopenSkipped(db: Db, attendeeId: string, at: Date): Promise<void> {
  await db
    .update(followups)
    .set({ status: 'pending', lastError: null, nextAttemptAt: at, updatedAt: at })
    .where(and(eq(followups.attendeeId, attendeeId), eq(followups.status, 'skipped')));
}
