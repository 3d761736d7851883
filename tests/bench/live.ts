/**
 * Live matching under load: the real app with N present attendees, each holding a real
 * attendee socket, then a stream of new check-ins; for each, how long from sending the
 * check-in until the new suggestion reaches the right socket.
 *
 *   npm run bench:live
 *   BENCH_PRESENT=1000 npm run bench:live            (a quick run)
 *   BENCH_DATABASE_URL=postgres://... npm run bench:live
 *
 * Environment (all optional): BENCH_PRESENT (10000), BENCH_CHECKINS (600),
 * BENCH_WARMUP (20), BENCH_SPACING_MS (50), BENCH_SEED (1), BENCH_DATABASE_URL or TEST_DATABASE_URL (an admin
 * URL: a fresh database is created and dropped; otherwise PGlite on a temporary folder, or
 * in memory with BENCH_PGLITE_STORAGE=memory), BENCH_SLOW_SQL_MS (PGlite: report on stderr
 * every statement that holds the event loop at least this long).
 *
 * What is measured, per new arrival (whose intent is stored before the scan, as when a
 * guest filled it in ahead, so matching has something to work with):
 * - `checkin_to_push_*`: from sending `POST /checkins` to the first `suggestions:changed`
 *   carrying a non-empty list on the arrival's own socket (opened before the scan, as a
 *   phone with the personal link would be). That is the push the arrival is waiting for.
 * - `checkin_to_other_push_*`: to the first `suggestions:changed` on someone else's socket
 *   whose list now names the arrival (only arrivals that entered someone's list count;
 *   `other_push_samples` says how many). An arrival enters at least one list in its own
 *   batch whenever one of its matches can take it without leaving anyone unseen (see
 *   `offerSelf` in api/src/matching/updates.ts); otherwise only at a later periodic pass.
 * - `checkin_response_*`: the check-in request itself, as the kiosk waits for it.
 * - `event_loop_lag_*`, `server_rss_mb`: the server process during the check-in phase.
 * - `global_pass_ms`: one global pass with everyone connected, timed before the check-ins.
 * - A global pass is also started a third of the way through the check-ins (as the periodic
 *   one, every `global_pass_every_ms`, would at some point): the figures above include its
 *   effect, whatever the timer does. `pass_during_checkins_settled_ms` is how long until the
 *   event's queue was empty after it started (its lists written and pushed, and the
 *   check-ins arriving meanwhile applied: with a steady stream, near the end of the stream).
 * - `seed_ms`, `warm_ms` (engine built, everyone's first list), `connect_ms`: setup.
 * 600 check-ins 50 ms apart (30 s, as long as the periodic pass's period): a p99 of 200
 * samples would be their second worst, one stall of the machine away from any figure.
 * The evening so far is written straight to the tables, so before the measured check-ins
 * `warmup_checkins` more guests check in through the API, unmeasured, as the guests before
 * them would have: a server that has served no check-in yet has its code paths and
 * statements still to compile and prepare (on each pooled connection), which the 10,001st
 * guest of a real evening does not meet.
 * The server (HTTP, socket.io, the database when PGlite, the matching worker thread) runs
 * in this process; the sockets and the check-ins run in a child process, so the server's
 * event loop lag and memory are its own. Both clocks of a sample are read in the child.
 * Everything listens on 127.0.0.1 only. Prints one JSON line.
 */
import { execSync, fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { io as connect, type Socket } from 'socket.io-client';
import { openDatabase, rowsOf, type Database } from '@edgewise/db';
import { defaultEventSettings, type ClientToServerEvents, type ServerToClientEvents, type SuggestionsChanged } from '@edgewise/shared';
import { createApp } from '@edgewise/api';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../fixtures/postgres';
import { defaultMatchingConfig } from '../../api/src/features/suggestions/runtime';
import { generateTrace, INTEREST_TAGS, SIM_TOPICS } from '../sim/generate';
import { percentile } from '../sim/stats';
import type { TraceRow } from '../sim/trace';

const SELF = fileURLToPath(import.meta.url);
const CLIENT_FLAG = '--clients';

// --- shared between the two processes ---------------------------------------------------

interface Arrival {
  attendeeId: string;
  secret: string;
  token: string;
}

interface ClientJob {
  url: string;
  eventId: string;
  kioskToken: string;
  /** Session tokens of the people already present. */
  present: string[];
  arrivals: Arrival[];
  /** Guests checked in through the API before the measured ones, not measured (`BENCH_WARMUP`). */
  warmups: Arrival[];
  spacingMs: number;
  /** How long to wait for the last pushes after the last check-in. */
  settleMs: number;
  connectConcurrency: number;
}

type ClientMessage =
  | { kind: 'connected'; sockets: number; failed: number; firstError: string | null; ms: number }
  | {
      kind: 'done';
      own: (number | null)[];
      other: (number | null)[];
      checkinMs: number[];
      checkinErrors: number;
      firstError: string | null;
      foreignLists: number;
      /** Every `suggestions:changed` received during the check-in phase, on any socket. */
      pushes: number;
    };

type ParentMessage = { kind: 'job'; job: ClientJob } | { kind: 'go' };

type AttendeeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const round = (x: number | null, digits = 1) => (x === null || !Number.isFinite(x) ? null : Number(x.toFixed(digits)));
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = (bytes: number) => randomBytes(bytes).toString('base64url');

// --- the client process -------------------------------------------------------------------

async function runClients() {
  const send = (m: ClientMessage) => process.send!(m);
  const job = await new Promise<ClientJob>((resolve) => process.once('message', (m: ParentMessage) => m.kind === 'job' && resolve(m.job)));
  const arrivalIndex = new Map(job.arrivals.map((a, i) => [a.attendeeId, i]));
  const sentAt: (number | null)[] = job.arrivals.map(() => null);
  const own: (number | null)[] = job.arrivals.map(() => null);
  const other: (number | null)[] = job.arrivals.map(() => null);
  let foreignLists = 0;
  let measuring = false;
  let pushes = 0;

  const onList = (ownerOf: string | null, payload: SuggestionsChanged) => {
    const at = performance.now();
    if (measuring) pushes++;
    // A socket must only ever hear its own attendee's list.
    if (ownerOf !== null && payload.attendeeId !== ownerOf) foreignLists++;
    const self = arrivalIndex.get(payload.attendeeId);
    if (self !== undefined && sentAt[self] !== null && own[self] === null && payload.suggestions.length > 0) own[self] = at - sentAt[self]!;
    for (const s of payload.suggestions) {
      const i = arrivalIndex.get(s.person.id);
      if (i !== undefined && i !== self && sentAt[i] !== null && other[i] === null) other[i] = at - sentAt[i]!;
    }
  };

  const sockets: AttendeeSocket[] = [];
  let failed = 0;
  let firstError: string | null = null;
  const open = (sessionToken: string, attendeeId: string | null) =>
    new Promise<void>((resolve) => {
      const socket: AttendeeSocket = connect(job.url, { auth: { attendeeToken: sessionToken }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 60_000 });
      socket.on('suggestions:changed', (p) => onList(attendeeId, p));
      socket.once('connect', () => {
        sockets.push(socket);
        resolve();
      });
      socket.once('connect_error', (err) => {
        failed++;
        firstError ??= String(err.message);
        socket.close();
        resolve();
      });
    });

  const t0 = performance.now();
  const tokens: [string, string | null][] = [...job.present.map((t): [string, null] => [t, null]), ...job.arrivals.map((a): [string, string] => [a.token, a.attendeeId])];
  let next = 0;
  await Promise.all(
    Array.from({ length: job.connectConcurrency }, async () => {
      while (next < tokens.length) {
        const [t, id] = tokens[next++]!;
        await open(t, id);
      }
    }),
  );
  const checkinMs: number[] = [];
  let checkinErrors = 0;
  /** One kiosk scan of the guest's ticket; resolves with how long the request took, or null. */
  const checkIn = async (a: Arrival, nonce: string) => {
    const body = { token: a.secret, nonce, type: 'entry', scannedAt: new Date().toISOString() };
    const t = performance.now();
    try {
      const res = await fetch(`${job.url}/api/events/${job.eventId}/checkins`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${job.kioskToken}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      if (res.status !== 201 || !text.includes('"status":"ok"')) {
        checkinErrors++;
        firstError ??= `check-in: ${res.status} ${text.slice(0, 200)}`;
      }
      return performance.now() - t;
    } catch (err) {
      checkinErrors++;
      firstError ??= `check-in: ${String(err)}`;
      return null;
    }
  };
  // The evening so far was seeded straight into the tables, so this server has not yet
  // served a single check-in: a few go through it first, as the guests before them would have.
  for (const [i, a] of job.warmups.entries()) {
    await checkIn(a, `bench-warmup-${i}-${token(6)}`);
    await new Promise((resolve) => setTimeout(resolve, job.spacingMs));
  }
  send({ kind: 'connected', sockets: sockets.length, failed, firstError, ms: performance.now() - t0 });
  await new Promise<void>((resolve) => process.once('message', (m: ParentMessage) => m.kind === 'go' && resolve()));

  measuring = true;
  const start = performance.now();
  const requests = job.arrivals.map(async (a, i) => {
    const due = start + i * job.spacingMs;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    sentAt[i] = performance.now();
    const ms = await checkIn(a, `bench-${i}-${token(6)}`);
    if (ms !== null) checkinMs.push(ms);
  });
  await Promise.all(requests);
  // The last pushes may still be on their way; stop early once every arrival has its own.
  const settleUntil = performance.now() + job.settleMs;
  while (performance.now() < settleUntil && own.some((x) => x === null)) await new Promise((resolve) => setTimeout(resolve, 50));

  send({ kind: 'done', own, other, checkinMs, checkinErrors, firstError, foreignLists, pushes });
  for (const s of sockets) s.close();
  // Closing ten thousand sockets politely takes a while; the parent has what it needs.
  setTimeout(() => process.exit(0), 200).unref();
}

// --- the server process ---------------------------------------------------------------------

function readConfig() {
  const env = process.env;
  const num = (name: string, fallback: number, min: number) => {
    const raw = env[name];
    const n = raw === undefined || raw === '' ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < min) {
      process.stderr.write(`bench: ${name} must be a whole number of at least ${min}\n`);
      process.exit(2);
    }
    return n;
  };
  return {
    present: num('BENCH_PRESENT', 10_000, 10),
    checkins: num('BENCH_CHECKINS', 600, 1),
    warmup: num('BENCH_WARMUP', 20, 0),
    spacingMs: num('BENCH_SPACING_MS', 50, 0),
    seed: num('BENCH_SEED', 1, 0),
    adminUrl: env.BENCH_DATABASE_URL || env.TEST_DATABASE_URL || undefined,
    pgliteStorage: env.BENCH_PGLITE_STORAGE === 'memory' ? ('memory' as const) : ('disk' as const),
    slowSqlMs: env.BENCH_SLOW_SQL_MS ? num('BENCH_SLOW_SQL_MS', 1000, 1) : null,
  };
}

/** The soft limit on open files of this process (children inherit it). */
function openFileLimit(): number | null {
  try {
    const out = execSync('ulimit -n', { shell: '/bin/sh', encoding: 'utf8' }).trim();
    return out === 'unlimited' ? Infinity : Number(out);
  } catch {
    return null;
  }
}

/** An error for a person: a failed bulk insert's message quotes its whole payload. */
function briefly(err: unknown): string {
  const e = err as Error & { cause?: unknown };
  const cause = e?.cause instanceof Error ? ` (cause: ${e.cause.message})` : '';
  const text = String(e?.message ?? err);
  return `${text.length > 400 ? `${text.slice(0, 400)}...` : text}${cause}`;
}


interface Seeded {
  eventId: string;
  kioskToken: string;
  presentTokens: string[];
  arrivals: Arrival[];
}

/**
 * The evening so far, written straight to the tables in a few statements per thousand rows:
 * the guests (from the simulator's generator: skewed tags, first-timers, circles of people
 * who know each other), their tickets, intents and acquaintances, an accepted entry scan
 * for everyone present, attendee sessions for every phone, and one paired kiosk.
 */
async function seed(database: Database, present: number, arriving: number, seedValue: number): Promise<Seeded> {
  const db = database.db;
  const now = Date.now();
  const trace = generateTrace({ n: present + arriving, seed: seedValue, durationS: 3 * 3600 });
  // The generator orders people by arrival; the last ones are the ones still to come.
  const slug = `bench-live-${now.toString(36)}-${randomBytes(3).toString('hex')}`;
  const settings = { ...defaultEventSettings, topics: [...SIM_TOPICS], interestTags: [...INTEREST_TAGS] };
  const [event] = rowsOf<{ id: string }>(
    await db.execute(sql`
      insert into events (slug, name, starts_at, ends_at, time_zone, status, settings)
      values (${slug}, 'Live benchmark night', ${new Date(now - 3 * 3_600_000).toISOString()}, ${new Date(now + 6 * 3_600_000).toISOString()}, 'UTC', 'open', ${JSON.stringify(settings)}::jsonb)
      returning id`),
  );
  if (!event) throw new Error('seeding the event returned nothing');
  const eventId = event.id;

  const people = trace.map((row: TraceRow, i) => ({
    row,
    id: randomUUID(),
    secret: token(18),
    session: token(32),
    present: i < present,
  }));
  const idOf = new Map(people.map((p) => [p.row.id, p.id]));
  const lastArrivalS = Math.max(...trace.slice(0, present).map((r) => r.arriveS));
  const CHUNK = 2000;
  for (let i = 0; i < people.length; i += CHUNK) {
    const part = people.slice(i, i + CHUNK);
    const json = (rows: unknown[]) => JSON.stringify(rows);
    await db.transaction(async (tx) => {
      await tx.execute(sql`
        insert into attendees (id, event_id, name, email, company, role, first_time, source)
        select x.id, ${eventId}, x.name, x.email, x.company, '', x.first_time, 'guest_list'
        from json_to_recordset(${json(part.map((p, k) => ({ id: p.id, name: `Guest ${p.row.id}`, email: `${p.row.id}@bench.test`, company: `Company ${(i + k) % 97}`, first_time: p.row.firstTime })))}::json)
          as x(id uuid, name text, email text, company text, first_time boolean)`);
      await tx.execute(sql`
        insert into tickets (attendee_id, event_id, secret)
        select x.id, ${eventId}, x.secret from json_to_recordset(${json(part.map((p) => ({ id: p.id, secret: p.secret })))}::json) as x(id uuid, secret text)`);
      await tx.execute(sql`
        insert into intents (attendee_id, event_id, seeks, offers, interests)
        select x.id, ${eventId}, x.seeks, x.offers, x.interests
        from json_to_recordset(${json(part.map((p) => ({ id: p.id, seeks: p.row.seeks, offers: p.row.offers, interests: p.row.interests })))}::json)
          as x(id uuid, seeks jsonb, offers jsonb, interests jsonb)`);
      await tx.execute(sql`
        insert into attendee_sessions (id, attendee_id, expires_at)
        select x.hash, x.id, ${new Date(now + 24 * 3_600_000).toISOString()}
        from json_to_recordset(${json(part.map((p) => ({ id: p.id, hash: sha256(p.session) })))}::json) as x(id uuid, hash text)`);
      // Those present came in over the evening so far: the trace's arrival times, ending now.
      const inNow = part.filter((p) => p.present);
      if (inNow.length > 0) {
        await tx.execute(sql`
          insert into checkins (event_id, attendee_id, nonce, type, method, status, reason, scanned_at, received_at, effective)
          select ${eventId}, x.id, x.nonce, 'entry', 'qr_camera', 'ok', 'first_entry', x.at, x.at, true
          from json_to_recordset(${json(inNow.map((p) => ({ id: p.id, nonce: `seed-${p.id}`, at: new Date(now - (lastArrivalS - p.row.arriveS) * 1000 - 1000).toISOString() })))}::json)
            as x(id uuid, nonce text, at timestamptz)`);
      }
    });
  }
  // After everyone exists: people know people in other chunks.
  const knows = people.flatMap((p) => p.row.knows.map((k) => ({ a: p.id, b: idOf.get(k)! })));
  for (let i = 0; i < knows.length; i += CHUNK) {
    await db.execute(sql`
      insert into acquaintances (event_id, attendee_id, knows_id)
      select ${eventId}, x.a, x.b from json_to_recordset(${JSON.stringify(knows.slice(i, i + CHUNK))}::json) as x(a uuid, b uuid)`);
  }
  const kioskToken = token(32);
  await db.execute(sql`insert into devices (event_id, kind, name, token_hash) values (${eventId}, 'kiosk', 'Bench kiosk', ${sha256(kioskToken)})`);
  return {
    eventId,
    kioskToken,
    presentTokens: people.filter((p) => p.present).map((p) => p.session),
    arrivals: people.filter((p) => !p.present).map((p) => ({ attendeeId: p.id, secret: p.secret, token: p.session })),
  };
}

/**
 * Diagnostics for PGlite, which runs each statement synchronously on the server's event
 * loop: every protocol step that holds the loop longer than `thresholdMs` is reported on
 * stderr with the statement it belongs to (taken from the last Parse message).
 */
function reportSlowStatements(database: Database, thresholdMs: number) {
  const client = (database.db as unknown as { $client?: { execProtocolRawSync?: (m: Uint8Array) => unknown } }).$client;
  const original = client?.execProtocolRawSync;
  if (!client || typeof original !== 'function') {
    process.stderr.write('bench: BENCH_SLOW_SQL_MS works with PGlite only\n');
    return;
  }
  let statement = '';
  client.execProtocolRawSync = function (message: Uint8Array) {
    // Parse: 'P', int32 length, statement name (cstring), query text (cstring).
    if (message[0] === 0x50) {
      const nameEnd = message.indexOf(0, 5);
      statement = Buffer.from(message.subarray(nameEnd + 1, message.indexOf(0, nameEnd + 1))).toString('utf8');
    }
    // Simple query: 'Q', int32 length, query text (cstring).
    if (message[0] === 0x51) statement = Buffer.from(message.subarray(5, message.indexOf(0, 5))).toString('utf8');
    const t = performance.now();
    const result = original.call(this, message);
    const ms = performance.now() - t;
    if (ms >= thresholdMs) {
      process.stderr.write(`${JSON.stringify({ slow_statement_ms: Math.round(ms), step: String.fromCharCode(message[0] ?? 63), sql: statement.replace(/\s+/g, ' ').slice(0, 400) })}\n`);
    }
    return result;
  };
}

interface Target {
  db: 'pglite' | 'postgres';
  storage: 'disk' | 'memory' | 'server';
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

function pgliteTarget(storage: 'disk' | 'memory'): Target {
  const dir = storage === 'disk' ? mkdtempSync(path.join(os.tmpdir(), 'edgewise-bench-live-')) : 'memory://';
  return {
    db: 'pglite',
    storage,
    open: () => openDatabase({ dataDir: dir }),
    cleanup: async () => {
      if (storage === 'disk') rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresTarget(admin: string): Target {
  let created: ThrowawayDatabase | null = null;
  return {
    db: 'postgres',
    storage: 'server',
    async open() {
      created = await createThrowawayDatabase(admin, 'ew_bench_live');
      return openDatabase({ databaseUrl: created.url, poolSize: 10 });
    },
    cleanup: async () => {
      await created?.drop();
    },
  };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

function nextMessage<K extends ClientMessage['kind']>(child: ChildProcess, kind: K): Promise<Extract<ClientMessage, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: ClientMessage) => {
      if (m.kind !== kind) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as Extract<ClientMessage, { kind: K }>);
    };
    const onExit = (code: number | null) => reject(new Error(`the client process exited (${code}) before "${kind}"`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function runServer() {
  const config = readConfig();
  const sockets = config.present + config.checkins;
  const limit = openFileLimit();
  // Each socket is one descriptor in this process (and one in the client process).
  if (limit !== null && limit < sockets + 500) {
    process.stderr.write(`bench: ${sockets} sockets need more open files than "ulimit -n" allows (${limit}): raise it, or lower BENCH_PRESENT\n`);
    process.exit(2);
  }
  const budgetMs = 120_000 + sockets * 30;
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: did not finish within ${Math.round(budgetMs / 1000)} s, giving up\n`);
    process.exit(1);
  }, budgetMs);
  watchdog.unref();

  const target = config.adminUrl ? postgresTarget(config.adminUrl) : pgliteTarget(config.pgliteStorage);
  const database = await target.open();
  if (config.slowSqlMs !== null && target.db === 'pglite') reportSlowStatements(database, config.slowSqlMs);
  let child: ChildProcess | null = null;
  try {
    await database.migrate();
    const errors: Record<string, unknown>[] = [];
    const { app, io, matching } = createApp({
      database,
      now: () => Date.now(),
      randomToken: token,
      publicUrl: 'http://127.0.0.1',
      log: (line) => {
        if (line.level === 'error') errors.push(line);
      },
    });
    const server = createServer(app);
    io.attach(server);
    const url = await listen(server);
    try {
      let t = performance.now();
      const seeded = await seed(database, config.present, config.warmup + config.checkins, config.seed);
      const warmups = seeded.arrivals.slice(0, config.warmup);
      const arrivals = seeded.arrivals.slice(config.warmup);
      const seedMs = performance.now() - t;
      t = performance.now();
      // Builds the engine from the database and gives everyone present their list.
      await matching.runGlobalPass(seeded.eventId);
      const warmMs = performance.now() - t;

      child = fork(SELF, [CLIENT_FLAG], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const connected = nextMessage(child, 'connected');
      child.send({
        kind: 'job',
        job: {
          url,
          eventId: seeded.eventId,
          kioskToken: seeded.kioskToken,
          present: seeded.presentTokens,
          arrivals,
          warmups,
          spacingMs: config.spacingMs,
          settleMs: 10_000,
          connectConcurrency: 100,
        },
      } satisfies ParentMessage);
      const c = await connected;
      if (c.failed > 0) throw new Error(`${c.failed} of ${sockets} sockets could not connect (first: ${c.firstError})`);
      // One global pass with everyone listening: while it runs, this event's check-ins wait
      // their turn, so its length bounds the worst push when the periodic pass comes round.
      t = performance.now();
      await matching.runGlobalPass(seeded.eventId);
      const passMs = performance.now() - t;

      // The lag and the memory of the measured phase only: seeding and connecting are setup.
      const loadAvg = os.loadavg()[0] ?? 0;
      const lag = monitorEventLoopDelay({ resolution: 10 });
      lag.enable();
      const done = nextMessage(child, 'done');
      child.send({ kind: 'go' } satisfies ParentMessage);
      let passDuringMs: number | null = null;
      const midPass = new Promise<void>((resolve) => {
        setTimeout(() => {
          const t0 = performance.now();
          matching.runGlobalPass(seeded.eventId).then(
            () => {
              passDuringMs = performance.now() - t0;
              resolve();
            },
            () => resolve(),
          );
        }, Math.round((config.checkins * config.spacingMs) / 3));
      });
      const d = await done;
      await midPass;
      lag.disable();
      const rssMb = process.memoryUsage().rss / 2 ** 20;

      const own = d.own.filter((x): x is number => x !== null);
      const other = d.other.filter((x): x is number => x !== null);
      process.stdout.write(
        `${JSON.stringify({
          bench: 'live',
          db: target.db,
          storage: target.storage,
          present: config.present,
          sockets: c.sockets,
          checkins: config.checkins,
          warmup_checkins: config.warmup,
          spacing_ms: config.spacingMs,
          measured_at: 'own socket: first suggestions:changed with a non-empty list after the check-in request was sent',
          checkin_to_push_p50_ms: round(percentile(own, 0.5)),
          checkin_to_push_p99_ms: round(percentile(own, 0.99)),
          checkin_to_push_max_ms: round(own.length ? Math.max(...own) : null),
          pushes_missing: d.own.length - own.length,
          checkin_to_other_push_p50_ms: round(percentile(other, 0.5)),
          checkin_to_other_push_p99_ms: round(percentile(other, 0.99)),
          other_push_samples: other.length,
          checkin_response_p50_ms: round(percentile(d.checkinMs, 0.5)),
          checkin_response_p99_ms: round(percentile(d.checkinMs, 0.99)),
          checkin_errors: d.checkinErrors,
          foreign_lists: d.foreignLists,
          pushes_during_checkins: d.pushes,
          event_loop_lag_p50_ms: round(lag.percentile(50) / 1e6),
          event_loop_lag_p99_ms: round(lag.percentile(99) / 1e6),
          event_loop_lag_max_ms: round(lag.max / 1e6),
          server_rss_mb: Math.round(rssMb),
          seed_ms: Math.round(seedMs),
          warm_ms: Math.round(warmMs),
          global_pass_ms: Math.round(passMs),
          pass_during_checkins_settled_ms: round(passDuringMs, 0),
          global_pass_every_ms: defaultMatchingConfig.globalPassMs,
          connect_ms: Math.round(c.ms),
          server_errors: errors.length,
          first_error: d.firstError ?? (errors[0] ? String(errors[0].msg) : null),
          // Other work on the machine shows in every figure above: say how busy it was.
          loadavg_1m: round(loadAvg, 2),
          node: process.version,
          cpus: os.cpus().length,
          machine: `${os.cpus()[0]?.model.trim() ?? 'unknown cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.arch()}`,
        })}\n`,
      );
      const ok = d.checkinErrors === 0 && d.foreignLists === 0 && own.length === d.own.length && errors.length === 0;
      return ok ? 0 : 1;
    } finally {
      if (child && child.exitCode === null) child.kill('SIGTERM');
      await matching.close();
      io.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  } finally {
    await database.close();
    await target.cleanup();
    clearTimeout(watchdog);
  }
}

if (process.argv.includes(CLIENT_FLAG)) {
  runClients().catch((err: unknown) => {
    process.stderr.write(`bench clients: ${briefly(err)}\n`);
    process.exit(1);
  });
} else {
  runServer().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`bench: ${briefly(err)}\n`);
      process.exit(1);
    },
  );
}
