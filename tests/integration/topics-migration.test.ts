import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder } from '@edgewise/db';
import { createThrowawayDatabase } from '../fixtures/postgres';

type Journal = { entries: { tag: string }[] };
const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as Journal;
const topicsAt = journal.entries.findIndex((e) => e.tag.endsWith('_topics'));

/** The committed migrations up to (not including) the one that brought topics. */
function migrationsBeforeTopics(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ew-migr-'));
  cpSync(migrationsFolder, dir, { recursive: true });
  writeFileSync(path.join(dir, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, topicsAt) }));
  return dir;
}

interface Row {
  [k: string]: unknown;
}

/** A fresh database of each kind, with the statements the test needs. */
interface Subject {
  exec(sql: string): Promise<void>;
  rows(sql: string): Promise<Row[]>;
  migrate(folder: string): Promise<void>;
  close(): Promise<void>;
}

async function aPglite(): Promise<Subject> {
  const client = new PGlite();
  const db = drizzle(client);
  return {
    exec: async (q) => void (await client.exec(q)),
    rows: async (q) => (await client.query<Row>(q)).rows,
    migrate: (folder) => migrate(db, { migrationsFolder: folder }),
    close: () => client.close(),
  };
}

async function aPostgres(adminUrl: string): Promise<Subject> {
  const made = await createThrowawayDatabase(adminUrl, 'ew_topics');
  const client = postgres(made.url, { max: 1, onnotice: () => {} });
  const db = drizzlePostgres(client);
  return {
    exec: async (q) => void (await client.unsafe(q).simple()),
    rows: async (q) => [...(await client.unsafe(q))] as Row[],
    migrate: (folder) => migratePostgres(db, { migrationsFolder: folder }),
    close: async () => {
      await client.end({ timeout: 5 });
      await made.drop();
    },
  };
}

const adminUrl = process.env.TEST_DATABASE_URL;
const kinds = [['pglite', aPglite] as const, ...(adminUrl ? [['postgres', () => aPostgres(adminUrl)] as const] : [])];

describe.each(kinds)('the topics migration on a database with old-style intent tags (%s)', (_kind, open) => {
  let client: Subject;
  let before: string;
  const rows = (q: string) => client.rows(q);

  beforeAll(async () => {
    client = await open();
    before = migrationsBeforeTopics();
    await client.migrate(before);
    const settings = (intentTags: string[] | undefined) =>
      JSON.stringify({ ...(intentTags && { intentTags }), interestTags: ['AI'], suggestionsPerPerson: 3, edgeMinutes: 10, screenEnabled: true, walkInsAllowed: false, followUpHours: 12, awayAfterMinutes: null });
    await client.exec(`
      insert into events (id, slug, name, starts_at, ends_at, time_zone, settings) values
        ('00000000-0000-4000-8000-000000000001', 'old', 'Old night', '2026-01-01T18:00Z', '2026-01-01T22:00Z', 'UTC', '${settings(['Investors', 'Job hunting', 'C++', 'c  ++', 'Café'])}'),
        ('00000000-0000-4000-8000-000000000002', 'older', 'Older night', '2026-01-01T18:00Z', '2026-01-01T22:00Z', 'UTC', '${settings(undefined)}');
      insert into attendees (id, event_id, name, source) values
        ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000001', 'Ana', 'manual'),
        ('00000000-0000-4000-8000-0000000000a2', '00000000-0000-4000-8000-000000000001', 'Bo', 'manual'),
        ('00000000-0000-4000-8000-0000000000a3', '00000000-0000-4000-8000-000000000002', 'Cy', 'manual');
      insert into intents (attendee_id, event_id, seeks, offers, interests) values
        ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000001', '["Investors", "C++"]', '["Café"]', '["AI"]'),
        ('00000000-0000-4000-8000-0000000000a2', '00000000-0000-4000-8000-000000000001', '["Knitting"]', '["c  ++", "Job hunting"]', '[]'),
        ('00000000-0000-4000-8000-0000000000a3', '00000000-0000-4000-8000-000000000002', '["Funding"]', '["Design"]', '[]');
    `);
    await client.migrate(migrationsFolder);
  }, 120_000);

  afterAll(async () => {
    await client.close();
    rmSync(before, { recursive: true, force: true });
  });

  it("makes each old tag a one-label topic, keeps every tag someone chose, and drops the old list", async () => {
    const [old] = await rows(`select settings from events where slug = 'old'`);
    const settings = old?.settings as { topics: { id: string; seekLabel: string; offerLabel: string }[]; intentTags?: unknown };
    expect(settings.intentTags).toBeUndefined();
    expect(settings.topics).toEqual([
      { id: 'investors', seekLabel: 'Investors', offerLabel: 'Investors' },
      { id: 'job-hunting', seekLabel: 'Job hunting', offerLabel: 'Job hunting' },
      { id: 'c', seekLabel: 'C++', offerLabel: 'C++' },
      // Different tags that spell the same id get their own.
      { id: 'c-2', seekLabel: 'c  ++', offerLabel: 'c  ++' },
      { id: 'caf', seekLabel: 'Café', offerLabel: 'Café' },
      // No longer in the event's list, but still in someone's intent.
      { id: 'knitting', seekLabel: 'Knitting', offerLabel: 'Knitting' },
    ]);
    const [older] = await rows(`select settings from events where slug = 'older'`);
    expect((older?.settings as { topics: { id: string }[] }).topics.map((t) => t.id)).toContain('funding');
  });

  it("turns every intent's tags into the ids of those topics, in the order chosen", async () => {
    const intents = await rows(`select a.name, i.seeks, i.offers, i.interests from intents i join attendees a on a.id = i.attendee_id order by a.name`);
    expect(intents).toEqual([
      { name: 'Ana', seeks: ['investors', 'c'], offers: ['caf'], interests: ['AI'] },
      { name: 'Bo', seeks: ['knitting'], offers: ['c-2', 'job-hunting'], interests: [] },
      { name: 'Cy', seeks: ['funding'], offers: ['design'], interests: [] },
    ]);
  });
});
