import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { devices, rowsOf, type Db } from '@edgewise/db';
import { awaySql } from '../checkins/presence-repo';

/**
 * The dashboard's aggregate queries. Each reads one event in one statement, whatever its
 * size: no query per attendee. Times come back as epoch milliseconds (float8), which both
 * drivers hand over as numbers.
 */

async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}

/**
 * Each attendee's latest effective scan, by the time it was scanned (an offline upload
 * counts where it happened): presence is an entry there. The same rule as the guest list,
 * the stats and live matching.
 */
const latestScans = (eventId: string) => sql`
  select distinct on (attendee_id) attendee_id, type, scanned_at
  from checkins
  where event_id = ${eventId} and effective and attendee_id is not null
  order by attendee_id, scanned_at desc, received_at desc, id desc`;

/**
 * Whether a present attendee row `p` (with `id`, `first_time`, `matching_opt_out` and
 * `scanned_at`, their arrival) is at the edges: the matching engine's rule (`atEdges`),
 * in SQL. Someone matchable who is a first-timer, or who arrived at least `edgeMinutes` ago
 * and has said yes to nobody and is in no mutual or met pair.
 */
export const atEdgesSql = (cutoff: Date) => sql`(
  not p.matching_opt_out and (
    p.first_time or (
      p.scanned_at <= ${cutoff.toISOString()}::timestamptz
      and not exists (
        select 1 from suggestions s
        where s.attendee_id = p.id and (s.answer = 'yes' or s.state in ('mutual', 'met'))
      )
    )
  )
)`;

export interface PeopleCounts {
  registered: number;
  checkedIn: number;
  presentNow: number;
  awayNow: number;
  leftNow: number;
  firstTimersPresent: number;
  atEdges: number;
  /** Earliest and latest effective scan, epoch ms; null without any. */
  firstScanAt: number | null;
  lastScanAt: number | null;
}

export async function peopleCounts(db: Db, eventId: string, edgeCutoff: Date, now: number): Promise<PeopleCounts> {
  const [row] = await queryRows<Record<string, number | string | null>>(
    db,
    sql`
      with latest as (${latestScans(eventId)}),
      checked_in as (
        select a.id, a.first_time, a.matching_opt_out, l.scanned_at,
          ${awaySql(sql`e.settings`, sql`l.scanned_at`, sql`a.last_sign_at`, now)} as away
        from latest l join attendees a on a.id = l.attendee_id join events e on e.id = a.event_id
        where l.type = 'entry'
      ),
      present as (
        select
          count(*) filter (where not p.away)::int as present_now,
          count(*) filter (where p.away)::int as away_now,
          count(*) filter (where not p.away and p.first_time)::int as first_timers_present,
          count(*) filter (where not p.away and ${atEdgesSql(edgeCutoff)})::int as at_edges
        from checked_in p
      ),
      scans as (
        select
          count(distinct attendee_id) filter (where type = 'entry')::int as checked_in,
          (extract(epoch from min(scanned_at)) * 1000)::float8 as first_scan_at,
          (extract(epoch from max(scanned_at)) * 1000)::float8 as last_scan_at
        from checkins
        where event_id = ${eventId} and effective and attendee_id is not null
      )
      select
        (select count(*)::int from attendees where event_id = ${eventId}) as registered,
        (select count(*)::int from latest where type = 'exit') as left_now,
        scans.checked_in,
        scans.first_scan_at,
        scans.last_scan_at,
        present.present_now,
        present.away_now,
        present.first_timers_present,
        present.at_edges
      from scans, present`,
  );
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    registered: num(row?.registered) ?? 0,
    checkedIn: num(row?.checked_in) ?? 0,
    presentNow: num(row?.present_now) ?? 0,
    awayNow: num(row?.away_now) ?? 0,
    leftNow: num(row?.left_now) ?? 0,
    firstTimersPresent: num(row?.first_timers_present) ?? 0,
    atEdges: num(row?.at_edges) ?? 0,
    firstScanAt: num(row?.first_scan_at),
    lastScanAt: num(row?.last_scan_at),
  };
}

export interface PairCounts {
  suggestionsMade: number;
  accepted: number;
  mutual: number;
  met: number;
  introductions: number;
}

/**
 * Suggestions by pair: both rows of a pair fold into one, and the pair counts at the
 * furthest it got (a met pair was mutual and accepted too). The times stamped on the way
 * keep a pair counted even when a later step overwrote its state.
 */
export async function pairCounts(db: Db, eventId: string): Promise<PairCounts> {
  const [row] = await queryRows<Record<string, number | string>>(
    db,
    sql`
      with pairs as (
        select
          bool_or(state = 'met' or met_at is not null) as met,
          bool_or(state in ('mutual', 'met') or mutual_at is not null or met_at is not null) as mutual,
          bool_or(answer = 'yes' or state in ('accepted_by_one', 'mutual', 'met') or mutual_at is not null or met_at is not null) as accepted
        from suggestions
        where event_id = ${eventId}
        group by least(attendee_id, target_id), greatest(attendee_id, target_id)
      )
      select
        count(*)::int as made,
        count(*) filter (where accepted)::int as accepted,
        count(*) filter (where mutual)::int as mutual,
        count(*) filter (where met)::int as met,
        (select count(*)::int from introductions where event_id = ${eventId}) as introductions
      from pairs`,
  );
  return {
    suggestionsMade: Number(row?.made ?? 0),
    accepted: Number(row?.accepted ?? 0),
    mutual: Number(row?.mutual ?? 0),
    met: Number(row?.met ?? 0),
    introductions: Number(row?.introductions ?? 0),
  };
}

/** What the scans of one time slot did: people who came in, and the change in presence. */
export interface SlotChange {
  /** Index of the slot since the epoch (`floor(epochSeconds / slotSeconds)`). */
  slot: number;
  /** People whose first entry falls in this slot. */
  firstEntries: number;
  /** Entries minus exits that changed presence. */
  presentDelta: number;
}

/**
 * The scan log folded per time slot. Each effective scan changes its attendee's presence
 * by (now inside) minus (inside before it), so summing the changes up to a moment gives the
 * people present then, exactly as "latest scan is an entry" does, in one pass.
 */
export async function slotChanges(db: Db, eventId: string, slotSeconds: number): Promise<SlotChange[]> {
  const rows = await queryRows<Record<string, number | string>>(
    db,
    sql`
      with s as (
        select
          type,
          scanned_at,
          lag(type) over w as prev,
          row_number() over (partition by attendee_id, type order by scanned_at, received_at, id) as nth
        from checkins
        where event_id = ${eventId} and effective and attendee_id is not null
        window w as (partition by attendee_id order by scanned_at, received_at, id)
      )
      select
        floor(extract(epoch from scanned_at) / ${slotSeconds})::int as slot,
        count(*) filter (where type = 'entry' and nth = 1)::int as first_entries,
        sum((type = 'entry')::int - (coalesce(prev = 'entry', false))::int)::int as present_delta
      from s
      group by 1
      order by 1`,
  );
  return rows.map((r) => ({ slot: Number(r.slot), firstEntries: Number(r.first_entries), presentDelta: Number(r.present_delta) }));
}

/** Per intent tag, how many people present seek it and how many offer it. */
export async function tagCounts(db: Db, eventId: string): Promise<{ tag: string; seek: number; offer: number }[]> {
  const rows = await queryRows<Record<string, number | string>>(
    db,
    sql`
      with latest as (${latestScans(eventId)}),
      present as (
        select i.attendee_id, i.seeks, i.offers
        from latest l join intents i on i.attendee_id = l.attendee_id
        where l.type = 'entry'
      ),
      tags as (
        select attendee_id, jsonb_array_elements_text(seeks) as tag, 'seek' as side from present
        union all
        select attendee_id, jsonb_array_elements_text(offers) as tag, 'offer' as side from present
      )
      select
        tag,
        count(distinct attendee_id) filter (where side = 'seek')::int as seek,
        count(distinct attendee_id) filter (where side = 'offer')::int as offer
      from tags
      group by tag`,
  );
  return rows.map((r) => ({ tag: String(r.tag), seek: Number(r.seek), offer: Number(r.offer) }));
}

/** The event's paired kiosks and screens (unpaired ones are gone from the room). */
export function pairedDevices(db: Db, eventId: string) {
  return db
    .select({ id: devices.id, name: devices.name, kind: devices.kind, lastSeenAt: devices.lastSeenAt, queueLength: devices.queueLength, offlineSince: devices.offlineSince })
    .from(devices)
    .where(and(eq(devices.eventId, eventId), isNull(devices.unpairedAt)))
    .orderBy(asc(devices.kind), asc(devices.name), asc(devices.pairedAt));
}
