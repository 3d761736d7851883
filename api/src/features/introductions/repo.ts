import { aliasedTable, and, asc, desc, eq, inArray, or } from 'drizzle-orm';
import { attendees, intents, introductions, suggestions, type Db } from '@edgewise/db';
import { profileColumns } from '../me/repo';

export type IntroductionRow = typeof introductions.$inferSelect;

/**
 * The pairs that matter to the edges: mutual and met ones make both people engaged (no
 * longer alone) and, with declined ones, rule an introduction out. Returned per person
 * too, as the number of mutual or met pairs each has.
 */
export async function settledPairs(db: Db, eventId: string) {
  const rows = await db
    .select({ attendeeId: suggestions.attendeeId, targetId: suggestions.targetId, state: suggestions.state })
    .from(suggestions)
    .where(and(eq(suggestions.eventId, eventId), inArray(suggestions.state, ['mutual', 'declined', 'met'])));
  return rows;
}

export interface ProfileRow {
  id: string;
  name: string;
  company: string;
  role: string;
  firstTime: boolean;
  host: boolean;
  seeks: string[] | null;
  offers: string[] | null;
  interests: string[] | null;
  askMeAbout: string | null;
  hostOptIn: boolean | null;
}

/** What anyone matched with these people may see of them (the caller shapes it). */
export async function profilesOf(db: Db, eventId: string, ids: readonly string[]): Promise<Map<string, ProfileRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({
      id: attendees.id,
      ...profileColumns,
    })
    .from(attendees)
    .leftJoin(intents, eq(intents.attendeeId, attendees.id))
    .where(and(eq(attendees.eventId, eventId), inArray(attendees.id, [...ids])));
  return new Map(rows.map((r) => [r.id, r]));
}

/** The two people of a proposed introduction, as stored, locked against a concurrent opt-out or removal. */
export async function lockPeople(db: Db, ids: readonly string[]) {
  return db
    .select({
      id: attendees.id,
      eventId: attendees.eventId,
      name: attendees.name,
      company: attendees.company,
      firstTime: attendees.firstTime,
      host: attendees.host,
      optedOut: attendees.matchingOptOut,
      seeks: intents.seeks,
      offers: intents.offers,
      interests: intents.interests,
    })
    .from(attendees)
    .leftJoin(intents, eq(intents.attendeeId, attendees.id))
    .where(inArray(attendees.id, [...ids]))
    .orderBy(asc(attendees.id))
    .for('no key update', { of: attendees });
}

const pairWhere = (a: string, b: string) =>
  or(and(eq(introductions.aId, a), eq(introductions.bId, b)), and(eq(introductions.aId, b), eq(introductions.bId, a)));

export async function introductionOfPair(db: Db, eventId: string, a: string, b: string): Promise<IntroductionRow | undefined> {
  const [row] = await db
    .select()
    .from(introductions)
    .where(and(eq(introductions.eventId, eventId), pairWhere(a, b)))
    .limit(1);
  return row;
}

export async function insertIntroduction(db: Db, values: typeof introductions.$inferInsert): Promise<IntroductionRow> {
  const [row] = await db.insert(introductions).values(values).returning();
  if (!row) throw new Error('introduction insert returned nothing');
  return row;
}

const pa = aliasedTable(attendees, 'pa');
const pb = aliasedTable(attendees, 'pb');

/** An event's introductions with both people's names, newest first. */
export async function listIntroductionRows(db: Db, eventId: string, id?: string) {
  return db
    .select({
      intro: introductions,
      aName: pa.name,
      aCompany: pa.company,
      bName: pb.name,
      bCompany: pb.company,
    })
    .from(introductions)
    .innerJoin(pa, eq(pa.id, introductions.aId))
    .innerJoin(pb, eq(pb.id, introductions.bId))
    .where(and(eq(introductions.eventId, eventId), id ? eq(introductions.id, id) : undefined))
    .orderBy(desc(introductions.createdAt), desc(introductions.id));
}
export type IntroductionListRow = Awaited<ReturnType<typeof listIntroductionRows>>[number];

/** The introductions one attendee is part of, keyed by the other person. */
export async function introductionsOf(db: Db, eventId: string, attendeeId: string): Promise<Map<string, IntroductionRow>> {
  return (await introductionsAmong(db, eventId, [attendeeId])).get(attendeeId) ?? new Map();
}

/** Per viewer, their introductions by the other person's id. */
export async function introductionsAmong(db: Db, eventId: string, viewers: readonly string[]): Promise<Map<string, Map<string, IntroductionRow>>> {
  const out = new Map<string, Map<string, IntroductionRow>>();
  if (viewers.length === 0) return out;
  const rows = await db
    .select()
    .from(introductions)
    .where(and(eq(introductions.eventId, eventId), or(inArray(introductions.aId, [...viewers]), inArray(introductions.bId, [...viewers]))))
    .orderBy(asc(introductions.createdAt));
  const wanted = new Set(viewers);
  const add = (viewer: string, other: string, row: IntroductionRow) => {
    if (!wanted.has(viewer)) return;
    let m = out.get(viewer);
    if (!m) out.set(viewer, (m = new Map()));
    // The latest wins when a pair was introduced twice (it cannot be through this API).
    m.set(other, row);
  };
  for (const r of rows) {
    add(r.aId, r.bId, r);
    add(r.bId, r.aId, r);
  }
  return out;
}

/** The viewer's own suggestion targets in the states their page shows: whom a host may introduce. */
export async function ownListTargets(db: Db, eventId: string, attendeeId: string): Promise<Set<string>> {
  const rows = await db
    .select({ targetId: suggestions.targetId, listed: suggestions.listed, state: suggestions.state })
    .from(suggestions)
    .where(and(eq(suggestions.eventId, eventId), eq(suggestions.attendeeId, attendeeId), inArray(suggestions.state, ['proposed', 'accepted_by_one', 'mutual', 'met'])));
  return new Set(rows.filter((r) => r.listed || r.state !== 'proposed').map((r) => r.targetId));
}

