import { and, asc, desc, eq, gt, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { attendeeSessions, attendees, contactCards, events, intents, notes, phoneLinks, rowsOf, suggestions, type Db } from '@edgewise/db';

export type SuggestionRow = typeof suggestions.$inferSelect;
export type ContactCardRow = typeof contactCards.$inferSelect;

/** The other direction of a pair, joined beside the viewer's own row. */
export const theirs = alias(suggestions, 'theirs');
export const theirRow = and(eq(theirs.attendeeId, suggestions.targetId), eq(theirs.targetId, suggestions.attendeeId));
/**
 * Contact details pass when the pair is mutual (or met) and both people said yes
 * themselves. For a pair that reached mutual by answers the two go together; an
 * introduction makes a pair mutual without presuming anyone's yes.
 */
export const sharedNow = sql`${suggestions.state} in ('mutual', 'met') and ${suggestions.answer} = 'yes' and ${theirs.answer} = 'yes'`;

/**
 * A person's profile and stated intent, for a select that joins `intents` on that person.
 * Nothing in it reaches them: contact details are picked apart from it.
 */
export const profileColumns = {
  name: attendees.name,
  company: attendees.company,
  role: attendees.role,
  firstTime: attendees.firstTime,
  host: attendees.host,
  seeks: intents.seeks,
  offers: intents.offers,
  interests: intents.interests,
  askMeAbout: intents.askMeAbout,
  hostOptIn: intents.hostOptIn,
};

/**
 * Viewers' suggestion rows with everything a card shows, each with its viewer. Contact
 * details are picked in SQL, already cut down to what the target chose to share and only
 * for pairs where both said yes: whatever the code above does with a row, nothing else is
 * in it to leak.
 */
export async function viewRows(db: Db, eventId: string, viewers: readonly string[], where: SQL | undefined) {
  return db
    .select({
      id: suggestions.id,
      viewerId: suggestions.attendeeId,
      targetId: suggestions.targetId,
      score: suggestions.score,
      reasons: suggestions.reasons,
      state: suggestions.state,
      answer: suggestions.answer,
      listed: suggestions.listed,
      createdAt: suggestions.createdAt,
      theirAnswer: theirs.answer,
      askedAt: suggestions.shareAskedAt,
      theyAskedAt: theirs.shareAskedAt,
      ...profileColumns,
      note: notes.text,
      email: sql<string | null>`case when ${sharedNow} and ${contactCards.shareEmail} then ${attendees.email} end`,
      phone: sql<string | null>`case when ${sharedNow} and ${contactCards.phone} <> '' then ${contactCards.phone} end`,
      link: sql<string | null>`case when ${sharedNow} and ${contactCards.link} <> '' then ${contactCards.link} end`,
    })
    .from(suggestions)
    .innerJoin(attendees, eq(attendees.id, suggestions.targetId))
    .leftJoin(intents, eq(intents.attendeeId, suggestions.targetId))
    .leftJoin(theirs, theirRow)
    .leftJoin(notes, and(eq(notes.attendeeId, suggestions.attendeeId), eq(notes.aboutId, suggestions.targetId)))
    .leftJoin(contactCards, eq(contactCards.attendeeId, suggestions.targetId))
    .where(and(eq(suggestions.eventId, eventId), inArray(suggestions.attendeeId, [...viewers]), where))
    .orderBy(desc(suggestions.score), asc(suggestions.createdAt), asc(suggestions.id));
}
export type ViewRow = Awaited<ReturnType<typeof viewRows>>[number];

/**
 * A version for a snapshot: the database's clock, read before the snapshot's data. Every
 * change is committed before its snapshot starts, so of two snapshots the higher version
 * never misses a change the lower one saw, on any node.
 */
export async function snapshotVersion(db: Db): Promise<number> {
  const rows = rowsOf<{ v: number | string }>(await db.execute(sql`select floor(extract(epoch from clock_timestamp()) * 1000)::float8 as v`));
  return Number(rows[0]?.v ?? 0);
}

// Sessions and links -----------------------------------------------------------------

export async function insertSession(db: Db, values: typeof attendeeSessions.$inferInsert) {
  await db.insert(attendeeSessions).values(values);
}

export async function deleteSession(db: Db, sessionId: string) {
  await db.delete(attendeeSessions).where(eq(attendeeSessions.id, sessionId));
}

/** Spends a one-time link: only one caller ever gets its attendee back. */
export async function spendPhoneLink(db: Db, codeHash: string, at: Date): Promise<string | null> {
  const [row] = await db
    .update(phoneLinks)
    .set({ usedAt: at })
    .where(and(eq(phoneLinks.id, codeHash), isNull(phoneLinks.usedAt), gt(phoneLinks.expiresAt, at)))
    .returning({ attendeeId: phoneLinks.attendeeId });
  return row?.attendeeId ?? null;
}

export async function insertPhoneLink(db: Db, values: typeof phoneLinks.$inferInsert) {
  await db.insert(phoneLinks).values(values);
}

/**
 * Ends the links a kiosk gave that nobody has opened yet: they expire now, and stay on record
 * as given, so the check-ins they were for get no second one.
 */
export async function expireKioskLinks(db: Db, deviceId: string, at: Date) {
  await db
    .update(phoneLinks)
    .set({ expiresAt: at })
    .where(and(eq(phoneLinks.deviceId, deviceId), isNull(phoneLinks.usedAt), gt(phoneLinks.expiresAt, at)));
}

/**
 * Ends every session of these attendees and deletes their links not used yet. Their sockets
 * are the caller's to drop (`realtime.attendeeSessionsEnded`), once this is committed.
 */
export async function deleteCredentials(db: Db, attendeeIds: readonly string[]) {
  if (attendeeIds.length === 0) return;
  const ids = [...attendeeIds];
  await db.delete(attendeeSessions).where(inArray(attendeeSessions.attendeeId, ids));
  await db.delete(phoneLinks).where(and(inArray(phoneLinks.attendeeId, ids), isNull(phoneLinks.usedAt)));
}

/** The registrations of an address in events neither erased nor over before `endedAfter`. */
export async function registrationsOf(db: Db, email: string, endedAfter: Date, eventId?: string) {
  return db
    .select({
      attendeeId: attendees.id,
      name: attendees.name,
      email: attendees.email,
      language: attendees.language,
      eventName: events.name,
      languages: events.languages,
      defaultLanguage: events.defaultLanguage,
    })
    .from(attendees)
    .innerJoin(events, eq(events.id, attendees.eventId))
    .where(
      and(
        eq(attendees.email, email),
        isNull(events.erasedAt),
        gt(events.endsAt, endedAfter),
        eventId === undefined ? undefined : eq(events.id, eventId),
      ),
    );
}

// Pairs ------------------------------------------------------------------------------

export async function ownSuggestion(db: Db, eventId: string, attendeeId: string, suggestionId: string) {
  const [row] = await db
    .select()
    .from(suggestions)
    .where(and(eq(suggestions.id, suggestionId), eq(suggestions.attendeeId, attendeeId), eq(suggestions.eventId, eventId)))
    .limit(1);
  return row;
}

/**
 * Both directions of a pair, locked in one statement in a fixed order, so two people
 * answering each other at the same moment queue up instead of each missing the other's yes.
 */
export async function lockPair(db: Db, a: string, b: string): Promise<SuggestionRow[]> {
  return db
    .select()
    .from(suggestions)
    .where(
      or(
        and(eq(suggestions.attendeeId, a), eq(suggestions.targetId, b)),
        and(eq(suggestions.attendeeId, b), eq(suggestions.targetId, a)),
      ),
    )
    .orderBy(asc(suggestions.attendeeId))
    .for('update');
}

export async function updateSuggestion(db: Db, id: string, set: Partial<typeof suggestions.$inferInsert>) {
  await db.update(suggestions).set(set).where(eq(suggestions.id, id));
}

/**
 * One direction of a pair, inserted as given when the pair has no row that way yet, and
 * locked either way. Callers take the two directions in id order, as `lockPair` does.
 */
export async function claimDirection(db: Db, values: typeof suggestions.$inferInsert): Promise<{ row: SuggestionRow; inserted: boolean }> {
  const [inserted] = await db.insert(suggestions).values(values).onConflictDoNothing().returning();
  if (inserted) return { row: inserted, inserted: true };
  const [existing] = await db
    .select()
    .from(suggestions)
    .where(and(eq(suggestions.attendeeId, values.attendeeId), eq(suggestions.targetId, values.targetId)))
    .for('update');
  if (!existing) throw new Error('suggestion neither inserted nor found');
  return { row: existing, inserted: false };
}

/** Inserts the other direction unless it appeared meanwhile; returns it locked either way. */
export async function insertOrLockSuggestion(db: Db, values: typeof suggestions.$inferInsert): Promise<SuggestionRow> {
  return (await claimDirection(db, values)).row;
}

export async function namesOf(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: attendees.id, name: attendees.name }).from(attendees).where(inArray(attendees.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** People this attendee shares contact details with (both said yes): they hold this attendee's card. */
export async function sharingPartners(db: Db, eventId: string, attendeeId: string): Promise<string[]> {
  const rows = await db
    .select({ id: suggestions.targetId })
    .from(suggestions)
    .innerJoin(theirs, theirRow)
    .where(and(eq(suggestions.eventId, eventId), eq(suggestions.attendeeId, attendeeId), sharedNow));
  return rows.map((r) => r.id);
}

// Notes and contact cards --------------------------------------------------------------

export async function hasSuggestionAbout(db: Db, eventId: string, attendeeId: string, aboutId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: suggestions.id })
    .from(suggestions)
    .where(and(eq(suggestions.eventId, eventId), eq(suggestions.attendeeId, attendeeId), eq(suggestions.targetId, aboutId)))
    .limit(1);
  return row !== undefined;
}

export async function upsertNote(db: Db, attendeeId: string, aboutId: string, text: string, at: Date) {
  await db
    .insert(notes)
    .values({ attendeeId, aboutId, text, updatedAt: at })
    .onConflictDoUpdate({ target: [notes.attendeeId, notes.aboutId], set: { text, updatedAt: at } });
}

export async function deleteNote(db: Db, attendeeId: string, aboutId: string) {
  await db.delete(notes).where(and(eq(notes.attendeeId, attendeeId), eq(notes.aboutId, aboutId)));
}

export async function contactCardOf(db: Db, attendeeId: string): Promise<ContactCardRow | undefined> {
  const [row] = await db.select().from(contactCards).where(eq(contactCards.attendeeId, attendeeId)).limit(1);
  return row;
}

/**
 * Records that the viewer asked the other person of this pair to share, once: only the first
 * ask sets the time; the answer says whether this call was that first ask.
 */
export async function markShareAsked(db: Db, suggestionId: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(suggestions)
    .set({ shareAskedAt: at })
    .where(and(eq(suggestions.id, suggestionId), isNull(suggestions.shareAskedAt)))
    .returning({ id: suggestions.id });
  return rows.length > 0;
}

export async function upsertContactCard(db: Db, attendeeId: string, values: { shareEmail: boolean; phone: string; link: string }, at: Date) {
  const [row] = await db
    .insert(contactCards)
    .values({ attendeeId, ...values, updatedAt: at })
    .onConflictDoUpdate({ target: contactCards.attendeeId, set: { ...values, updatedAt: at } })
    .returning();
  if (!row) throw new Error('contact card upsert returned nothing');
  return row;
}

export async function setMatchingOptOut(db: Db, attendeeId: string, optOut: boolean, at: Date) {
  await db.update(attendees).set({ matchingOptOut: optOut, updatedAt: at }).where(eq(attendees.id, attendeeId));
}
