/**
 * Check-in throughput and latency against the real app, next to a ceiling: a bare Express
 * route doing one insert per request on the same database connection pool. The ratio says
 * how much of what the database and HTTP stack can do the check-in path keeps.
 *
 *   npm run bench:checkin
 *   BENCH_DURATION_S=3 BENCH_CONCURRENCY=1,8,32 BENCH_DATABASE_URL=postgres://... npm run bench:checkin
 *
 * Environment (all optional): BENCH_DURATION_S (10), BENCH_CONCURRENCY (1,8,32),
 * BENCH_ATTENDEES (5000), BENCH_PGLITE_STORAGE (disk, fsync at each commit as the server
 * runs; also disk-nofsync and memory, comma-separated; "none" to skip PGlite), BENCH_DATABASE_URL or TEST_DATABASE_URL (an admin URL: a fresh database is
 * created and dropped), BENCH_POOL_SIZE (10, the server's default).
 *
 * The load runs in a worker thread so the client does not eat the server's event loop.
 * Prints one JSON line per configuration; everything listens on 127.0.0.1 only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { sql } from 'drizzle-orm';
import express from 'express';
import { openDatabase, rowsOf, type Database } from '@edgewise/db';
import { defaultEventSettings } from '@edgewise/shared';
import { createApp } from '@edgewise/api';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../fixtures/postgres';

const durationS = Number(process.env.BENCH_DURATION_S ?? 10);
const levels = (process.env.BENCH_CONCURRENCY ?? '1,8,32').split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
const attendeeCount = Number(process.env.BENCH_ATTENDEES ?? 5000);
const pgliteStorageKinds = ['disk', 'disk-nofsync', 'memory'] as const;
type PgliteStorage = (typeof pgliteStorageKinds)[number];
const pgliteStorages = (process.env.BENCH_PGLITE_STORAGE ?? 'disk').split(',').map((s) => s.trim()).filter((s): s is PgliteStorage => (pgliteStorageKinds as readonly string[]).includes(s));
const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
const poolSize = Number(process.env.BENCH_POOL_SIZE ?? 10);
const warmupMs = Math.min(1000, durationS * 200);
const REQUEST_TIMEOUT_MS = 10_000;

if (!Number.isFinite(durationS) || durationS <= 0 || levels.length === 0 || !Number.isInteger(attendeeCount) || attendeeCount < 100) {
  process.stderr.write('bench: BENCH_DURATION_S > 0, BENCH_CONCURRENCY a list of positive integers and BENCH_ATTENDEES >= 100\n');
  process.exit(2);
}

// A hang (a stuck connection, a lock never released) must not keep CI waiting forever.
const configurations = pgliteStorages.length + (adminUrl ? 1 : 0);
const budgetMs = configurations * levels.length * 2 * (durationS * 1000 + warmupMs + REQUEST_TIMEOUT_MS) + 120_000;
const watchdog = setTimeout(() => {
  process.stderr.write(`bench: did not finish within ${Math.round(budgetMs / 1000)} s, giving up\n`);
  process.exit(1);
}, budgetMs);
watchdog.unref();

const machine = {
  node: process.version,
  cpus: os.cpus().length,
  machine: `${os.cpus()[0]?.model.trim() ?? 'unknown cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.arch()}`,
};

// --- load generator (worker thread) -------------------------------------------------------

interface LoadJob {
  url: string;
  concurrency: number;
  durationMs: number;
  warmupMs: number;
  /** One bearer token per client (a kiosk each); empty for the ceiling. */
  tokens: string[];
  secrets: string[];
  /** Where the shared attendee cursor starts, so runs on one event do not repeat scans. */
  startAt: number;
  runId: string;
  timeoutMs: number;
}
interface LoadResult {
  requests: number;
  errors: number;
  latenciesMs: number[];
  elapsedMs: number;
  next: number;
  statuses: Record<string, number>;
}

// Plain JavaScript, evaluated in the worker: no TypeScript loader needed there.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const job = workerData;
const target = new URL(job.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency, maxFreeSockets: job.concurrency });
let cursor = job.startAt;
let seq = 0;
const latencies = [];
const statuses = {};
let requests = 0, errors = 0;

function post(token, body) {
  return new Promise((resolve) => {
    const payload = JSON.stringify(body);
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
    if (token) headers.authorization = 'Bearer ' + token;
    const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers, timeout: job.timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => resolve({ status: 0, body: '' }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(payload);
  });
}

async function client(i, until, record) {
  const token = job.tokens[i] || null;
  while (performance.now() < until) {
    // Distinct attendees in turn: entries on the first pass, exits on the next, and so on.
    const n = cursor++;
    const secret = job.secrets[n % job.secrets.length];
    const type = Math.floor(n / job.secrets.length) % 2 === 0 ? 'entry' : 'exit';
    const body = { token: secret, type, nonce: job.runId + '-' + i + '-' + (seq++), scannedAt: new Date().toISOString() };
    const t0 = performance.now();
    const res = await post(token, body);
    const ms = performance.now() - t0;
    if (!record) continue;
    requests++;
    let outcome = String(res.status);
    if (res.status === 201 || res.status === 200) {
      try { outcome += ':' + (JSON.parse(res.body).status ?? 'ok'); } catch { outcome += ':unparsable'; }
    }
    statuses[outcome] = (statuses[outcome] || 0) + 1;
    // The ceiling answers 201 {}; a check-in must be an accepted scan.
    if (res.status !== 201 || (token && !res.body.includes('"status":"ok"'))) errors++;
    latencies.push(ms);
  }
}

(async () => {
  const clients = Array.from({ length: job.concurrency }, (_, i) => i);
  await Promise.all(clients.map((i) => client(i, performance.now() + job.warmupMs, false)));
  const t0 = performance.now();
  await Promise.all(clients.map((i) => client(i, t0 + job.durationMs, true)));
  const elapsedMs = performance.now() - t0;
  agent.destroy();
  parentPort.postMessage({ requests, errors, latenciesMs: latencies, elapsedMs, next: cursor, statuses });
})();
`;

function runLoad(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerSource, { eval: true, workerData: job });
    worker.once('message', (m: LoadResult) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load worker exited with ${code}`));
    });
  });
}

function summarise(r: LoadResult) {
  const sorted = Float64Array.from(r.latenciesMs).sort();
  const pct = (p: number) => (sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0));
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    requests: r.requests,
    throughput_per_s: round(r.requests / (r.elapsedMs / 1000)),
    p50_ms: round(pct(0.5)),
    p99_ms: round(pct(0.99)),
    errors: r.errors,
  };
}

// --- CPU per request ----------------------------------------------------------------
//
// Throughput on a shared 2-core machine moves with whatever else runs on it; the CPU time a
// request costs moves much less. This process (server, load worker and matching worker alike,
// for the check-ins and the ceiling) plus, when Postgres runs on this machine, its backends
// serving the bench's database (found in /proc by the database's name in their title).

const clockTicksPerS = 100;

function backendCpuMs(databaseName: string | null): number {
  if (!databaseName) return 0;
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(databaseName)) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return (ticks * 1000) / clockTicksPerS;
}

function cpuMeter(databaseName: string | null) {
  const read = () => {
    const own = process.cpuUsage();
    return { node: (own.user + own.system) / 1000, db: process.platform === 'linux' ? backendCpuMs(databaseName) : 0 };
  };
  const start = read();
  return {
    /** CPU milliseconds since the start, in all and of the database's backends. */
    since: () => {
      const now = read();
      return { all: now.node - start.node + now.db - start.db, db: now.db - start.db };
    },
  };
}

// --- fixtures -------------------------------------------------------------------------

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = () => randomBytes(32).toString('base64url');


/** An open event with `count` attendees holding live tickets, seeded in SQL. */
async function seedEvent(database: Database, count: number): Promise<{ eventId: string; secrets: string[] }> {
  const db = database.db;
  const start = new Date(Date.now() - 3_600_000);
  const end = new Date(Date.now() + 6 * 3_600_000);
  const slug = `bench-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const [event] = rowsOf<{ id: string }>(
    await db.execute(sql`
      insert into events (slug, name, starts_at, ends_at, time_zone, status, settings)
      values (${slug}, 'Benchmark night', ${start.toISOString()}, ${end.toISOString()}, 'Europe/Lisbon', 'open', ${JSON.stringify(defaultEventSettings)}::jsonb)
      returning id`),
  );
  if (!event) throw new Error('seeding the event returned nothing');
  await db.execute(sql`
    with a as (
      insert into attendees (event_id, name, email, company, role, source)
      select ${event.id}, 'Guest ' || g, 'guest' || g || '@bench.test', 'Company ' || (g % 97), 'Role', 'guest_list'
      from generate_series(1, ${count}) g
      returning id, event_id
    )
    insert into tickets (attendee_id, event_id, secret)
    select id, event_id, 'B' || md5(id::text || ${slug}) from a`);
  const secrets = rowsOf<{ secret: string }>(await db.execute(sql`select secret from tickets where event_id = ${event.id} order by secret`)).map((r) => r.secret);
  return { eventId: event.id, secrets };
}

/** Kiosks paired with the event, as pairing leaves them: a row holding the token's hash. */
async function seedKiosks(database: Database, eventId: string, count: number): Promise<string[]> {
  const tokens = Array.from({ length: count }, token);
  for (const [i, t] of tokens.entries()) {
    await database.db.execute(sql`insert into devices (event_id, kind, name, token_hash) values (${eventId}, 'kiosk', ${`Bench kiosk ${i + 1}`}, ${sha256(t)})`);
  }
  return tokens;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** The ceiling: JSON in, one insert, JSON out, through the same pool. */
async function startCeiling(database: Database) {
  await database.db.execute(sql`
    create table if not exists ceiling_bench (
      id uuid primary key default gen_random_uuid(),
      nonce text not null unique,
      scanned_at timestamptz not null,
      received_at timestamptz not null default now()
    )`);
  const app = express();
  app.use(express.json());
  app.post('/ceiling', async (req, res) => {
    const body = req.body as { nonce: string; scannedAt: string };
    await database.db.execute(sql`insert into ceiling_bench (nonce, scanned_at) values (${body.nonce}, ${body.scannedAt})`);
    res.status(201).json({});
  });
  const server = createServer(app);
  return { server, url: `${await listen(server)}/ceiling` };
}

async function startEdgewise(database: Database) {
  const errors: Record<string, unknown>[] = [];
  const { app, io, matching } = createApp({
    database,
    now: () => Date.now(),
    randomToken: (bytes) => randomBytes(bytes).toString('base64url'),
    publicUrl: 'http://127.0.0.1',
    log: (line) => {
      if (line.level === 'error') errors.push(line);
    },
  });
  const server = createServer(app);
  io.attach(server);
  const url = await listen(server);
  return { server, io, matching, url, errors };
}

// --- one database ---------------------------------------------------------------------

interface Target {
  db: 'pglite' | 'postgres';
  storage: PgliteStorage | 'server';
  open(): Promise<Database>;
  cleanup(): Promise<void>;
  /** The Postgres database's name, for its backends' CPU time; null on PGlite (in this process). */
  databaseName(): string | null;
}

async function benchmark(target: Target) {
  const database = await target.open();
  try {
    await database.migrate();
    const edgewise = await startEdgewise(database);
    const ceiling = await startCeiling(database);
    try {
      for (const concurrency of levels) {
        // A fresh event per level: the log starts empty each time, as at doors opening.
        const { eventId, secrets } = await seedEvent(database, attendeeCount);
        const tokens = await seedKiosks(database, eventId, concurrency);
        const runId = randomBytes(6).toString('base64url');
        // As on a server that has been up a while: live matching's worker is running (it starts,
        // and compiles the engine, on first use) and holds this event's engine.
        edgewise.matching.eventChanged(eventId);
        await edgewise.matching.settled();
        const common = { concurrency, durationMs: durationS * 1000, warmupMs, secrets, startAt: 0, timeoutMs: REQUEST_TIMEOUT_MS };
        const loadAvg = Math.round(os.loadavg()[0]! * 100) / 100;
        const checkinCpu = cpuMeter(target.databaseName());
        const checkin = await runLoad({ ...common, url: `${edgewise.url}/api/events/${eventId}/checkins`, tokens, runId: `c${runId}` });
        // Live matching works through the check-ins after the answers: let it finish, so it
        // does not run during (and slow down) the ceiling. Its work counts to the check-ins.
        await edgewise.matching.settled();
        const checkinCpuMs = checkinCpu.since();
        const ceilingCpu = cpuMeter(target.databaseName());
        const ceil = await runLoad({ ...common, url: ceiling.url, tokens: [], runId: `x${runId}` });
        const ceilingCpuMs = ceilingCpu.since();
        // Warm-up requests run too: they are counted in (the worker reports where its cursor ended).
        const perRequestUs = (ms: number, r: LoadResult) => Math.round((ms * 1000) / Math.max(1, r.next));
        const a = summarise(checkin);
        const b = summarise(ceil);
        process.stdout.write(
          `${JSON.stringify({
            bench: 'checkin',
            db: target.db,
            storage: target.storage,
            concurrency,
            duration_s: durationS,
            attendees: attendeeCount,
            passes: Math.ceil(checkin.next / attendeeCount),
            pool_size: target.db === 'postgres' ? poolSize : 1,
            ...a,
            ceiling_throughput_per_s: b.throughput_per_s,
            ceiling_p50_ms: b.p50_ms,
            ceiling_p99_ms: b.p99_ms,
            ceiling_errors: b.errors,
            ratio_to_ceiling: b.throughput_per_s > 0 ? Math.round((a.throughput_per_s / b.throughput_per_s) * 100) / 100 : null,
            // CPU per request, in all and of it in the Postgres backends (0 on PGlite: in process).
            cpu_us_per_checkin: perRequestUs(checkinCpuMs.all, checkin),
            db_cpu_us_per_checkin: perRequestUs(checkinCpuMs.db, checkin),
            ceiling_cpu_us_per_request: perRequestUs(ceilingCpuMs.all, ceil),
            ceiling_db_cpu_us_per_request: perRequestUs(ceilingCpuMs.db, ceil),
            cpu_ratio_to_ceiling: checkinCpuMs.all > 0 ? Math.round((perRequestUs(ceilingCpuMs.all, ceil) / perRequestUs(checkinCpuMs.all, checkin)) * 100) / 100 : null,
            outcomes: checkin.statuses,
            server_errors: edgewise.errors.length,
            // Other work on the machine shows here: the figures are only as quiet as it was.
            load_avg_1m: loadAvg,
            ...machine,
          })}\n`,
        );
      }
    } finally {
      await edgewise.matching.close();
      edgewise.io.close();
      await close(edgewise.server);
      await close(ceiling.server);
    }
  } finally {
    await database.close();
    await target.cleanup();
  }
}

function pgliteTarget(storage: PgliteStorage): Target {
  const dir = storage === 'memory' ? null : mkdtempSync(path.join(os.tmpdir(), 'edgewise-bench-'));
  return {
    db: 'pglite',
    storage,
    // `disk` flushes each commit's WAL to disk (the server's default); `disk-nofsync` is
    // PGlite's own default, durable against a killed process only: the difference is the cost.
    open: () => openDatabase({ dataDir: dir ?? 'memory://', pgliteFsync: storage === 'disk' }),
    cleanup: async () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
    databaseName: () => null,
  };
}

function postgresTarget(admin: string): Target {
  let created: ThrowawayDatabase | null = null;
  return {
    db: 'postgres',
    storage: 'server',
    async open() {
      created = await createThrowawayDatabase(admin, 'ew_bench');
      return openDatabase({ databaseUrl: created.url, poolSize: poolSize });
    },
    cleanup: async () => {
      await created?.drop();
    },
    databaseName: () => (created ? new URL(created.url).pathname.slice(1) : null),
  };
}

const targets: Target[] = [...pgliteStorages.map((s) => pgliteTarget(s)), ...(adminUrl ? [postgresTarget(adminUrl)] : [])];
let failed = false;
for (const target of targets) {
  try {
    await benchmark(target);
  } catch (err) {
    failed = true;
    process.stderr.write(`bench: ${target.db} (${target.storage}) failed: ${String((err as Error)?.stack ?? err)}\n`);
  }
}
clearTimeout(watchdog);
process.exit(failed ? 1 : 0);
