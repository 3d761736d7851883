import { and, desc, eq, inArray, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import { acquaintances, attendees, checkins, events, intents, rowsOf, suggestions, type Db } from '@edgewise/db';
import type { PairState, Person, Suggestion } from '../../matching';
import { awaySql } from '../checkins/presence-repo';
import type { PairRecord } from './protocol';

/** Keeps each statement well below Postgres' 65 535 bind parameters. */
const CHUNK = 1000;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Ids as one array, sent as one text parameter: a statement's text is then the same for any
 * number of ids, so each connection parses and plans it once (an `in (...)` list is a new
 * statement for every length).
 */
const idArray = (ids: readonly string[]): SQL => sql`string_to_array(${ids.join(',')}, ',')::uuid[]`;

export async function eventForMatching(db: Db, eventId: string) {
  const [row] = await db
    .select({ id: events.id, name: events.name, status: events.status, settings: events.settings, languages: events.languages, defaultLanguage: events.defaultLanguage })
    .from(events)
    .where(eq(events.id, eventId))
    .limit(1);
  return row ?? null;
}

export async function openEventIds(db: Db): Promise<string[]> {
  const rows = await db.select({ id: events.id }).from(events).where(eq(events.status, 'open'));
  return rows.map((r) => r.id);
}

/**
 * Each attendee's latest effective scan, by the time it was scanned (an offline upload
 * counts where it happened): presence is an entry there.
 */
export function latestScans(db: Db, eventId: string) {
  return db
    .selectDistinctOn([checkins.attendeeId], { attendeeId: checkins.attendeeId, type: checkins.type, scannedAt: checkins.scannedAt })
    .from(checkins)
    .where(
      and(
        eq(checkins.eventId, eventId),
        eq(checkins.effective, true),
        isNotNull(checkins.attendeeId),
      ),
    )
    .orderBy(checkins.attendeeId, desc(checkins.scannedAt), desc(checkins.receivedAt), desc(checkins.id))
    .as('latest');
}

/** A row of `readPeople`, whichever statement read it. */
interface PersonRow {
  id: string;
  name: string;
  role: string;
  firstTime: boolean;
  host: boolean;
  optedOut: boolean;
  seeks: string[] | null;
  offers: string[] | null;
  interests: string[] | null;
  hostOptIn: boolean | null;
  lastType: string | null;
  lastAt: Date | string | null;
  away: boolean;
  knows: string[] | null;
  accepted: boolean | null;
}

function personOf(r: PersonRow, knows: string[] | undefined, accepted: boolean): Person {
  const present = r.lastType === 'entry' && !r.away;
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    seeks: r.seeks ?? [],
    offers: r.offers ?? [],
    interests: r.interests ?? [],
    firstTime: r.firstTime,
    host: r.host || Boolean(r.hostOptIn),
    present,
    arrivedAt: present && r.lastAt ? new Date(r.lastAt).getTime() : 0,
    hasAccepted: accepted,
    knows: knows ?? [],
    optedOut: r.optedOut,
  };
}

/**
 * People as matching sees them: everyone present (`ids` absent), or the given attendees of
 * the event whether present or not. Ids not returned are no longer in the event.
 */
export async function readPeople(db: Db, eventId: string, now: number, ids?: readonly string[]): Promise<Person[]> {
  if (!ids) return readRoom(db, eventId, now);
  const people: Person[] = [];
  for (const part of chunks(ids)) for (const r of await readFew(db, eventId, now, part)) people.push(personOf(r, r.knows ?? undefined, r.accepted === true));
  return people;
}

/**
 * A few people (a check-in's batch), with whom they know and whether they said yes to
 * anyone, in one round trip. Every read starts from an id, each in a subquery the planner
 * cannot merge into a scan of the whole event: with the statistics of a guest list just
 * imported, or of a log that was empty at the last analyse (doors opening), it otherwise
 * reads all of the event's attendees and scans to find a batch of thirty (measured: 5 ms
 * and a core's worth of work a second at a rush, against a tenth of a millisecond). The ids
 * are one text parameter, so the statement's text is the same for any batch: each
 * connection parses and plans it once.
 */
async function readFew(db: Db, eventId: string, now: number, ids: readonly string[]): Promise<PersonRow[]> {
  return rowsOf<PersonRow>(await db.execute(fewPeopleSql(eventId, now, ids)));
}

/** The statement `readFew` runs (exported for the test of its plan). */
export function fewPeopleSql(eventId: string, now: number, ids: readonly string[]): SQL {
  const away = awaySql(sql`e.settings`, sql`l.scanned_at`, sql`a.last_sign_at`, now);
  return sql`
    select a.id, a.name, a.role, a.first_time as "firstTime", a.host, a.matching_opt_out as "optedOut",
      i.seeks, i.offers, i.interests, i.host_opt_in as "hostOptIn",
      l.type as "lastType", l.scanned_at as "lastAt",
      ${away} as away,
      (select json_agg(k.knows_id) from acquaintances k where k.attendee_id = a.id and k.event_id = a.event_id) as knows,
      exists (select 1 from suggestions s where s.attendee_id = a.id and s.event_id = a.event_id and s.answer = 'yes') as accepted
    from unnest(${idArray(ids)}) as wanted(id)
    cross join lateral (select * from attendees x where x.id = wanted.id limit 1) a
    join events e on e.id = a.event_id
    left join intents i on i.attendee_id = a.id
    left join lateral (
      select c.type, c.scanned_at from checkins c
      where c.attendee_id = a.id and c.effective
      order by c.scanned_at desc, c.received_at desc, c.id desc
      limit 1
    ) l on true
    where a.event_id = ${eventId}`;
}

/**
 * Everyone present (a rebuild): whom they know and whether they said yes to anyone are read
 * in one scan each beside it: per-row subqueries over ten thousand rows, or joins against
 * grouped subqueries, cost PGlite seconds to minutes where these take half a second.
 */
async function readRoom(db: Db, eventId: string, now: number): Promise<Person[]> {
  const latest = latestScans(db, eventId);
  // Checked in but no sign of life for the event's "away after": out of every list.
  const away = awaySql(events.settings, latest.scannedAt, attendees.lastSignAt, now);
  const rows: PersonRow[] = await db
    .select({
      id: attendees.id,
      name: attendees.name,
      role: attendees.role,
      firstTime: attendees.firstTime,
      host: attendees.host,
      optedOut: attendees.matchingOptOut,
      seeks: intents.seeks,
      offers: intents.offers,
      interests: intents.interests,
      hostOptIn: intents.hostOptIn,
      lastType: latest.type,
      lastAt: latest.scannedAt,
      away: sql<boolean>`${away}`.mapWith(Boolean),
      knows: sql<string[] | null>`null`,
      accepted: sql<boolean | null>`null`,
    })
    .from(attendees)
    .innerJoin(events, eq(events.id, attendees.eventId))
    .innerJoin(latest, eq(latest.attendeeId, attendees.id))
    .leftJoin(intents, eq(intents.attendeeId, attendees.id))
    .where(and(eq(attendees.eventId, eventId), eq(latest.type, 'entry'), sql`not ${away}`));
  if (rows.length === 0) return [];
  const [knows, accepted] = await Promise.all([knowsOf(db, eventId), acceptedBy(db, eventId)]);
  return rows.map((r) => personOf(r, knows.get(r.id), accepted.has(r.id)));
}

/** Whom each person of the event declared they know (the engine reads the relation both ways). */
async function knowsOf(db: Db, eventId: string): Promise<Map<string, string[]>> {
  const rows = await db
    .select({ attendeeId: acquaintances.attendeeId, knowsId: acquaintances.knowsId })
    .from(acquaintances)
    .where(eq(acquaintances.eventId, eventId));
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const list = out.get(r.attendeeId);
    if (list) list.push(r.knowsId);
    else out.set(r.attendeeId, [r.knowsId]);
  }
  return out;
}

/** Who in the event has said yes to anyone: they are no longer waiting alone. */
async function acceptedBy(db: Db, eventId: string): Promise<Set<string>> {
  const rows = await db
    .selectDistinct({ attendeeId: suggestions.attendeeId })
    .from(suggestions)
    .where(and(eq(suggestions.eventId, eventId), eq(suggestions.answer, 'yes')));
  return new Set(rows.map((r) => r.attendeeId));
}

/** How strongly a recorded state binds the pair: the strongest of the two rows wins. */
const stateRank: Record<PairState, number> = { proposed: 0, expired: 0, accepted_by_one: 1, mutual: 2, declined: 3, met: 4 };

type PairRow = { attendeeId: string; targetId: string; state: string; answer: string | null };

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

function foldPairs(rows: PairRow[]): Map<string, PairRecord> {
  const out = new Map<string, PairRecord>();
  for (const r of rows) {
    const key = pairKey(r.attendeeId, r.targetId);
    const state = r.state as PairState;
    const by = r.answer === 'yes' ? r.attendeeId : undefined;
    const seen = out.get(key);
    if (!seen) {
      out.set(key, { a: r.attendeeId, b: r.targetId, state, by });
      continue;
    }
    if (stateRank[state] > stateRank[seen.state]) seen.state = state;
    seen.by ??= by;
  }
  for (const p of out.values()) if (p.state !== 'accepted_by_one') p.by = undefined;
  return out;
}

/** Every pair of the event with a state that binds matching (answers, declines, meetings). */
export async function boundPairs(db: Db, eventId: string): Promise<PairRecord[]> {
  const rows = await db
    .select({ attendeeId: suggestions.attendeeId, targetId: suggestions.targetId, state: suggestions.state, answer: suggestions.answer })
    .from(suggestions)
    .where(and(eq(suggestions.eventId, eventId), inArray(suggestions.state, ['accepted_by_one', 'mutual', 'declined', 'met'])));
  return [...foldPairs(rows).values()];
}

/** The current state of the given pairs; a pair with nothing binding is `proposed`. */
export async function pairStates(db: Db, eventId: string, pairs: readonly (readonly [string, string])[]): Promise<PairRecord[]> {
  const out: PairRecord[] = [];
  for (const part of chunks(pairs, 200)) {
    const conditions = part.flatMap(([a, b]): SQL[] => [
      and(eq(suggestions.attendeeId, a), eq(suggestions.targetId, b))!,
      and(eq(suggestions.attendeeId, b), eq(suggestions.targetId, a))!,
    ]);
    const rows = await db
      .select({ attendeeId: suggestions.attendeeId, targetId: suggestions.targetId, state: suggestions.state, answer: suggestions.answer })
      .from(suggestions)
      .where(and(eq(suggestions.eventId, eventId), or(...conditions)));
    const folded = foldPairs(rows);
    for (const [a, b] of part) out.push(folded.get(pairKey(a, b)) ?? { a, b, state: 'proposed' });
  }
  return out;
}

/** The lists stored as current, per owner, oldest entry first. */
export async function listedRows(db: Db, eventId: string): Promise<Map<string, { targetId: string; since: number }[]>> {
  const rows = await db
    .select({ attendeeId: suggestions.attendeeId, targetId: suggestions.targetId, createdAt: suggestions.createdAt })
    .from(suggestions)
    .where(and(eq(suggestions.eventId, eventId), eq(suggestions.listed, true)))
    .orderBy(suggestions.attendeeId, suggestions.createdAt);
  const out = new Map<string, { targetId: string; since: number }[]>();
  for (const r of rows) {
    const entry = { targetId: r.targetId, since: r.createdAt.getTime() };
    const list = out.get(r.attendeeId);
    if (list) list.push(entry);
    else out.set(r.attendeeId, [entry]);
  }
  return out;
}

/** Whose current lists show these people: they see their profiles and reasons. */
export async function ownersListing(db: Db, eventId: string, targetIds: readonly string[]): Promise<string[]> {
  const owners = new Set<string>();
  for (const part of chunks(targetIds)) {
    const rows = await db
      .selectDistinct({ attendeeId: suggestions.attendeeId })
      .from(suggestions)
      .where(and(eq(suggestions.eventId, eventId), eq(suggestions.listed, true), sql`${suggestions.targetId} = any(${idArray(part)})`));
    for (const r of rows) owners.add(r.attendeeId);
  }
  return [...owners];
}

// Writing lists ------------------------------------------------------------------------

/** Scores are stored as `real`: closer than this is the same score. */
const SCORE_EPSILON = 1e-3;

/** States that hold the row where it is: an answer, a match or a meeting is never expired. */
const stateOnInsert = (s: Suggestion): PairState => (s.state === 'accepted_by_one' || s.state === 'mutual' ? s.state : 'proposed');

/**
 * Makes the stored lists of these owners what the engine says, in one statement per
 * thousand owners (one transaction around them when there are more): entries new to a list
 * are inserted (or an old row of the same pair listed again), entries that left a list are
 * unlisted and, when nobody has answered them, expired; an entry listed already with the
 * same score and reasons is left alone (jsonb compares by value, whatever the key order).
 * Nothing is deleted: the rows are the history the dashboard and the follow-up are made
 * of. Answers, declines and meetings written meanwhile by the attendees' own commands are
 * never overwritten: every state change here is conditional, in SQL. One statement is one
 * round trip: a check-in's own list is written on the way to its push. Returns the owners
 * whose stored list changed.
 */
export async function writeLists(db: Db, eventId: string, lists: ReadonlyMap<string, Suggestion[]>, at: Date): Promise<Set<string>> {
  const owners = [...lists.keys()];
  const changed = new Set<string>();
  if (owners.length === 0) return changed;
  const stamp = sql`${at.toISOString()}::timestamptz`;
  const write = async (q: Db, part: string[]) => {
    const entries = part.flatMap((owner) =>
      lists.get(owner)!.map((s) => ({ owner, target: s.targetId, score: s.score, reasons: s.reasons, state: stateOnInsert(s) })),
    );
    const result = await q.execute(sql`
      with wanted as (
        select * from jsonb_to_recordset(${JSON.stringify(entries)}::jsonb)
          as x(owner uuid, target uuid, score real, reasons jsonb, state text)
      ),
      unlisted as (
        update suggestions s
        set listed = false,
            updated_at = ${stamp},
            state = case when s.state = 'proposed' then 'expired' else s.state end,
            expired_at = case when s.state = 'proposed' then ${stamp} else s.expired_at end
        where s.event_id = ${eventId}
          and s.attendee_id = any(${idArray(part)})
          and s.listed
          and not exists (select 1 from wanted w where w.owner = s.attendee_id and w.target = s.target_id)
        returning s.attendee_id
      ),
      listed as (
        insert into suggestions as s (event_id, attendee_id, target_id, score, reasons, state, listed, created_at, updated_at)
        select ${eventId}, w.owner, w.target, w.score, w.reasons, w.state, true, ${stamp}, ${stamp}
        from wanted w
        on conflict (attendee_id, target_id) do update
        set listed = true,
            score = excluded.score,
            reasons = excluded.reasons,
            updated_at = excluded.updated_at,
            state = case when s.state = 'expired' then 'proposed' else s.state end,
            expired_at = case when s.state = 'expired' then null else s.expired_at end
        -- A pair declined or met meanwhile stays out: the next update takes it off the list.
        where s.state not in ('declined', 'met')
          and not (s.listed and abs(s.score - excluded.score) < ${SCORE_EPSILON} and s.reasons = excluded.reasons)
        returning s.attendee_id
      )
      select attendee_id as "ownerId" from unlisted
      union
      select attendee_id from listed`);
    for (const r of rowsOf<{ ownerId: string }>(result)) changed.add(r.ownerId);
  };
  const parts = chunks(owners);
  // One statement is atomic on its own; several need a transaction around them.
  if (parts.length === 1) await write(db, parts[0]!);
  else {
    await db.transaction(async (tx) => {
      for (const part of parts) await write(tx, part);
    });
  }
  return changed;
}
