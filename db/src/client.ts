import { existsSync, fsyncSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema/index';

export type Schema = typeof schema;
/** The one database type the rest of the code sees, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Applies the committed migrations; safe when several processes start at once. */
  migrate(): Promise<void>;
  /**
   * Whether the database answers `select 1` within `timeoutMs`, asked on a connection of its
   * own (Postgres) so a busy pool does not read as a dead database.
   */
  ping(timeoutMs: number): Promise<boolean>;
  /** Whether every committed migration has been applied to this database. */
  migrated(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The rows of a raw `db.execute(sql)` result, whichever driver ran it: postgres.js answers
 * an array of rows, PGlite an object with `rows`.
 */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? [])) as T[];
}

export interface DatabaseOptions {
  /** A postgres:// URL. When absent, PGlite runs in-process. */
  databaseUrl?: string | undefined;
  /** PGlite's data folder; `memory://` keeps everything in memory (tests). */
  dataDir?: string | undefined;
  /** Postgres pool size. */
  poolSize?: number;
  /**
   * PGlite on disk: flush the WAL to disk at every commit (default), so an acknowledged write
   * survives a power cut or an OS crash, not only a killed process. `false` restores PGlite's
   * own default (fsync off), for benchmarks that measure the cost.
   */
  pgliteFsync?: boolean;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** db/migrations: beside db/src, or, from the compiled bundle in api/dist, two levels up. */
export const migrationsFolder = [path.resolve(here, '../migrations'), path.resolve(here, '../../db/migrations')].find((p) => existsSync(p)) ?? path.resolve(here, '../migrations');

// Any constant works; it only has to be the same in every process of this app.
const MIGRATION_LOCK_KEY = 7_271_993;

export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir ?? './data', options.pgliteFsync ?? true);
}

/**
 * PGlite starts Postgres with `-F` (fsync off), and Emscripten's Node file system has no
 * fsync at all (its `fdatasync` is a no-op, and `fsync` finds no handler), so under strace a
 * commit is a pwrite64 and nothing more: durable against a killed process, not against a
 * power cut. This file system gives Emscripten's NODEFS an fsync that reaches the disk, and
 * Postgres runs with fsync on and `wal_sync_method=fsync` (the one path that calls it): each
 * commit's WAL is on disk before the commit returns. Checkpoints fsync the data files the
 * same way.
 */
class DurableNodeFS extends NodeFS {
  override async init(...args: Parameters<NodeFS['init']>) {
    const result = await super.init(...args);
    const preRun = result.emscriptenOpts.preRun ?? [];
    result.emscriptenOpts = {
      ...result.emscriptenOpts,
      preRun: [
        ...(Array.isArray(preRun) ? preRun : [preRun]),
        (mod: unknown) => {
          const { NODEFS: nodefs, FS } = mod as { NODEFS: { stream_ops: Record<string, unknown> }; FS: { ErrnoError: new (errno: number) => Error } };
          const errnoError = FS.ErrnoError;
          nodefs.stream_ops.fsync = (stream: { nfd?: number }) => {
            if (typeof stream.nfd !== 'number') return 0;
            try {
              fsyncSync(stream.nfd);
            } catch {
              // EIO: Postgres treats a failed fsync as fatal, as it should.
              throw new errnoError(29);
            }
            return 0;
          };
        },
      ],
    };
    return result;
  }
}

/** How many migrations the committed journal lists: what `migrated()` expects to find applied. */
function journalLength(): number {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

/**
 * Whether `work` succeeds within `timeoutMs`. A process that was itself stalled (a long
 * synchronous task, a starved CPU) fires the timer late, with the answer maybe already
 * waiting in the socket: then it waits once more, and it always lets pending I/O be read
 * (setImmediate runs after the poll phase) before it says no.
 */
function withTimeout(work: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const started = performance.now();
  let extended = false;
  return Promise.race([
    work.then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => {
      const expire = () => {
        const lateMs = performance.now() - started - timeoutMs * (extended ? 2 : 1);
        if (lateMs > 100 && !extended) {
          extended = true;
          timer = setTimeout(expire, timeoutMs);
          return;
        }
        setImmediate(() => resolve(false));
      };
      timer = setTimeout(expire, timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

const APPLIED_MIGRATIONS = 'select count(*)::int as n from drizzle.__drizzle_migrations';

async function openPglite(dataDir: string, fsync: boolean): Promise<Database> {
  const inMemory = dataDir === 'memory://';
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const client = inMemory
    ? new PGlite()
    : fsync
      ? new PGlite({
          fs: new DurableNodeFS(dataDir),
          startParams: [...PGlite.defaultStartParams.filter((p) => p !== '-F'), '-c', 'fsync=on', '-c', 'wal_sync_method=fsync'],
        })
      : new PGlite(dataDir);
  await client.waitReady;
  const db = drizzlePglite(client, { schema, casing: 'snake_case' });
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    // PGlite is one process by construction: no lock needed.
    migrate: () => migratePglite(db, { migrationsFolder }),
    ping: (timeoutMs) => withTimeout(client.query('select 1'), timeoutMs),
    async migrated() {
      const { rows } = await client.query<{ n: number }>(APPLIED_MIGRATIONS).catch(() => ({ rows: [] as { n: number }[] }));
      return (rows[0]?.n ?? 0) >= journalLength();
    },
    close: () => client.close(),
  };
}

/**
 * Fail fast and come back at once: postgres.js waits up to 30 s for a connection and backs
 * off up to 20 s between attempts, so a restarted database would keep requests waiting long
 * after it answers again. The API answers 503 itself when the database is away
 * (api/src/http/health.ts); the pool only has to notice quickly when it is back.
 */
const failFast = {
  connect_timeout: 2,
  // Seconds before a connection that failed tries again: a tenth of a second, jittered.
  backoff: () => 0.05 + Math.random() * 0.1,
  onnotice: () => {},
} as const;

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const client = postgres(url, { max: poolSize, ...failFast });
  // The ping's own connection: a queue of requests in the pool must not read as an outage.
  const pinger = postgres(url, { max: 1, ...failFast, connect_timeout: 1 });
  const db = drizzlePostgres(client, { schema, casing: 'snake_case' });
  return {
    db: db as unknown as Db,
    kind: 'postgres',
    async migrate() {
      // A session-level advisory lock on its own connection: a second process starting at
      // the same moment waits here, then finds the migrations applied and does nothing.
      const lock = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await lock`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        try {
          await migratePostgres(db, { migrationsFolder });
        } finally {
          await lock`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
        }
      } finally {
        await lock.end();
      }
    },
    ping: (timeoutMs) => withTimeout(pinger`select 1`.execute(), timeoutMs),
    async migrated() {
      const rows = await pinger<{ n: number }[]>`${pinger.unsafe(APPLIED_MIGRATIONS)}`.catch(() => []);
      return (rows[0]?.n ?? 0) >= journalLength();
    },
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), pinger.end({ timeout: 1 })]);
    },
  };
}
