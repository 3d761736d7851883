import { readFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder, openDatabase, type Database } from '@edgewise/db';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../fixtures/postgres';

const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] };
const tables = ['organisers', 'sessions', 'events', 'attendees', 'tickets', 'devices', 'pairing_codes', 'checkins', 'intents'];
const adminUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!adminUrl)('migrations on Postgres', () => {
  let created: ThrowawayDatabase | undefined;
  let url: string;

  beforeAll(async () => {
    created = await createThrowawayDatabase(adminUrl ?? '', 'ew_migr');
    url = created.url;
  });
  afterAll(async () => {
    await created?.drop();
  });

  it('lets two nodes starting at once both migrate one fresh database, applying each migration once', async () => {
    const nodes: Database[] = await Promise.all([openDatabase({ databaseUrl: url, poolSize: 2 }), openDatabase({ databaseUrl: url, poolSize: 2 })]);
    try {
      const results = await Promise.allSettled(nodes.map((n) => n.migrate()));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);

      const db = postgres(url, { max: 1, onnotice: () => {} });
      try {
        const found = await db<{ table_name: string }[]>`
          select table_name from information_schema.tables where table_schema = 'public' order by table_name`;
        const names = found.map((r) => r.table_name);
        for (const t of tables) expect(names.filter((n) => n === t)).toEqual([t]);
        const applied = await db`select hash from drizzle.__drizzle_migrations`;
        expect(applied).toHaveLength(journal.entries.length);
      } finally {
        await db.end();
      }

      // A later restart finds nothing to do.
      await expect(nodes[0]?.migrate()).resolves.toBeUndefined();
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
    }
  }, 120_000);
});

describe('migrations on PGlite', () => {
  it('can run again on an already migrated database', async () => {
    const sut = await openDatabase({ dataDir: 'memory://' });
    try {
      await sut.migrate();
      await sut.migrate();
      const res = (await sut.db.execute(`select count(*)::int as n from drizzle.__drizzle_migrations`)) as unknown as { rows: { n: number }[] };
      expect(res.rows[0]?.n).toBe(journal.entries.length);
    } finally {
      await sut.close();
    }
  }, 120_000);
});
