import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type Database } from '@edgewise/db';
import { defaultEventSettings } from '@edgewise/shared';
import { fewPeopleSql, readPeople } from '../../api/src/features/suggestions/repo';
import { aDatabase, dbKinds } from '../fixtures/server';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Every table the plan reads, with how: "attendees Index Scan attendees_pkey". */
function tableReads(node: PlanNode, out: string[] = []): string[] {
  if (node['Relation Name']) out.push(`${node['Relation Name']} ${node['Node Type']} ${node['Index Name'] ?? ''}`.trim());
  for (const child of node.Plans ?? []) tableReads(child, out);
  return out;
}

const NOW = Date.parse('2026-11-25T20:00:00Z');
const GUESTS = 3000;

describe.each(dbKinds)('live matching reads a batch of arrivals (%s)', (kind) => {
  let database: Database;
  let eventId: string;
  let arrived: string[];
  let absent: string[];

  beforeAll(async () => {
    database = await aDatabase(kind);
    const db = database.db;
    // A guest list just imported and a log filled at the doors, with no analyse since: the
    // planner's statistics still say the event has a handful of rows.
    const [event] = rowsOf<{ id: string }>(
      await db.execute(sql`
        insert into events (slug, name, starts_at, ends_at, time_zone, status, settings)
        values ('reads', 'Reads', '2026-11-25T18:00:00Z', '2026-11-25T23:00:00Z', 'Europe/Lisbon', 'open', ${JSON.stringify(defaultEventSettings)}::jsonb)
        returning id`),
    );
    eventId = event!.id;
    await db.execute(sql`
      insert into attendees (event_id, name, email, company, role, source)
      select ${eventId}, 'Guest ' || g, 'guest' || g || '@reads.test', 'Company', 'Role', 'guest_list'
      from generate_series(1, ${GUESTS}) g`);
    await db.execute(sql`
      insert into checkins (event_id, attendee_id, nonce, type, method, status, reason, scanned_at, received_at, effective)
      select ${eventId}, a.id, 'n-' || a.id, 'entry', 'qr', 'ok', 'entry', '2026-11-25T19:00:00Z', '2026-11-25T19:00:00Z', true
      from attendees a where a.event_id = ${eventId} and a.email < 'guest2'`);
    const people = rowsOf<{ id: string; arrived: boolean }>(
      await db.execute(sql`select a.id, exists (select 1 from checkins c where c.attendee_id = a.id) as arrived from attendees a where a.event_id = ${eventId} order by a.email limit 2000`),
    );
    arrived = people.filter((p) => p.arrived).slice(0, 20).map((p) => p.id);
    absent = people.filter((p) => !p.arrived).slice(0, 10).map((p) => p.id);
  }, 60_000);

  afterAll(async () => {
    await database?.close();
  });

  it('reads each person by id and their latest scan by the attendee index, never the whole event', async () => {
    const [row] = rowsOf<{ 'QUERY PLAN': unknown }>(await database.db.execute(sql`explain (format json) ${fewPeopleSql(eventId, NOW, [...arrived, ...absent])}`));
    const raw = row!['QUERY PLAN'];
    const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
    const reads = tableReads(plan[0]!.Plan);
    expect(reads.filter((r) => r.startsWith('attendees '))).toEqual(['attendees Index Scan attendees_pkey']);
    const scansOfTheLog = reads.filter((r) => r.startsWith('checkins '));
    expect(scansOfTheLog.length).toBeGreaterThan(0);
    for (const read of scansOfTheLog) expect(read).toMatch(/checkins_attendee_idx$/);
  });

  it('answers the people asked for, present or not, and nobody of another event', async () => {
    const people = await readPeople(database.db, eventId, NOW, [...arrived, ...absent, '00000000-0000-4000-8000-000000000000']);
    expect(people.map((p) => p.id).sort()).toEqual([...arrived, ...absent].sort());
    for (const p of people) expect(p.present).toBe(arrived.includes(p.id));
    expect(people.find((p) => p.present)?.arrivedAt).toBe(Date.parse('2026-11-25T19:00:00Z'));
  });
});
