/**
 * The chaos suite's parts: a Postgres of its own that it can stop and start, API nodes as
 * child processes (the real `api/src/server.ts`, as production runs it), and kiosks that
 * behave like the real one: each scan has a nonce; an answer within 4 s is the outcome; a
 * 5xx, a refused connection or a timeout queues the scan, which is sent again with the same
 * nonce until the server answers it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { defaultEventSettings } from '@edgewise/shared';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
export const machine = { cpus: os.cpus().length, load1: Number(os.loadavg()[0]?.toFixed(2)) };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

// --- a Postgres of our own ------------------------------------------------------------------

function pgBin(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(a) - Number(b)) : [];
  const bin = versions.length ? path.join(base, versions[versions.length - 1]!, 'bin') : '';
  if (!bin || !existsSync(path.join(bin, 'pg_ctl'))) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql (run bash .ci/postgres.sh once to install them)');
  return bin;
}

/** Postgres refuses to run as root: as root, every command runs as the postgres user. */
function asPg(command: string) {
  const root = process.getuid?.() === 0;
  execFileSync(root ? 'su' : 'bash', root ? ['postgres', '-s', '/bin/bash', '-c', command] : ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'] });
}

export interface ChaosPostgres {
  url: string;
  stop(mode?: 'fast' | 'immediate'): void;
  start(): void;
  destroy(): void;
}

export async function startPostgres(): Promise<ChaosPostgres> {
  const bin = pgBin();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ew-chaos-pg.'));
  execFileSync('chmod', ['755', tmp]);
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', tmp]);
  const port = await freePort();
  asPg(`${bin}/initdb -D ${tmp}/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >${tmp}/initdb.log 2>&1`);
  const start = () => asPg(`${bin}/pg_ctl -D ${tmp}/data -l ${tmp}/pg.log -w -o '-p ${port} -k ${tmp} -c listen_addresses=127.0.0.1 -c max_connections=300' start >/dev/null`);
  start();
  let running = true;
  // Stopped with the suite even when a scenario or the watchdog ends it early.
  process.once('exit', () => {
    if (!running) return;
    try {
      asPg(`${bin}/pg_ctl -D ${tmp}/data -m immediate -w stop >/dev/null`);
    } catch {
      // already stopped
    }
  });
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop(mode = 'fast') {
      asPg(`${bin}/pg_ctl -D ${tmp}/data -m ${mode} -w stop >/dev/null`);
      running = false;
    },
    start() {
      start();
      running = true;
    },
    destroy() {
      try {
        if (running) asPg(`${bin}/pg_ctl -D ${tmp}/data -m immediate -w stop >/dev/null`);
      } catch {
        // already stopped
      }
      running = false;
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** A fresh database on `adminUrl`, migrated, with an open event, guests with tickets and kiosks. */
export async function seedDatabase(adminUrl: string, guests: number, kiosks: number) {
  const name = `ew_chaos_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const { openDatabase } = await import('@edgewise/db');
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
  await database.migrate();
  await database.close();
  const seeded = await seed(url.toString(), guests, kiosks);
  return { url: url.toString(), ...seeded };
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Seeds through a plain postgres.js client (PGlite seeds through `seedPglite`). */
async function seed(url: string, guests: number, kiosks: number) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const { eventSql, guestsSql, ticketsSql } = seedStatements(guests);
    const [event] = await sql.unsafe<{ id: string }[]>(eventSql);
    await sql.unsafe(guestsSql, [event!.id]);
    const secrets = (await sql.unsafe<{ secret: string }[]>(ticketsSql, [event!.id])).map((r) => r.secret);
    const tokens = Array.from({ length: kiosks }, () => randomBytes(32).toString('base64url'));
    for (const [i, t] of tokens.entries()) {
      await sql`insert into devices (event_id, kind, name, token_hash) values (${event!.id}, 'kiosk', ${`Chaos kiosk ${i + 1}`}, ${sha256(t)})`;
    }
    return { eventId: event!.id, secrets, tokens };
  } finally {
    await sql.end();
  }
}

export function seedStatements(guests: number) {
  const slug = `chaos-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const start = new Date(Date.now() - 3_600_000).toISOString();
  const end = new Date(Date.now() + 6 * 3_600_000).toISOString();
  const settings = JSON.stringify(defaultEventSettings).replaceAll("'", "''");
  return {
    eventSql: `insert into events (slug, name, starts_at, ends_at, time_zone, status, settings)
      values ('${slug}', 'Chaos night', '${start}', '${end}', 'Europe/Lisbon', 'open', '${settings}'::jsonb) returning id`,
    guestsSql: `with a as (
        insert into attendees (event_id, name, email, company, role, source)
        select $1, 'Guest ' || g, 'guest' || g || '@chaos.test', 'Company ' || (g % 97), 'Role', 'guest_list'
        from generate_series(1, ${guests}) g returning id, event_id)
      insert into tickets (attendee_id, event_id, secret) select id, event_id, 'C' || md5(id::text || '${slug}') from a`,
    ticketsSql: `select secret from tickets where event_id = $1 order by secret`,
  };
}

// --- API nodes ------------------------------------------------------------------------------

export interface Node {
  url: string;
  port: number;
  child: ChildProcess;
  /** The node's JSON log lines and anything else it printed. */
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
}

/** Every node started, so none outlives the suite (a failed scenario, the watchdog). */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

export async function startNode(env: Record<string, string>, port?: number): Promise<Node> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/server.ts'], {
    cwd: repoRoot,
    env: { ...process.env, ...env, PORT: String(p), PUBLIC_URL: `http://127.0.0.1:${p}`, ORGANISER_EMAIL: '', ORGANISER_PASSWORD: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) output.push(line);
    if (output.length > 5000) output.splice(0, output.length - 5000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exitedState: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      exitedState = { code, signal };
      resolve(exitedState);
    }),
  );
  const node: Node = { url: `http://127.0.0.1:${p}`, port: p, child, output, exited, alive: () => exitedState === null };
  await waitReady(node, 60_000);
  return node;
}

export async function waitReady(node: Node, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!node.alive()) throw new Error(`the node exited while starting:\n${node.output.slice(-20).join('\n')}`);
    const ok = await fetch(`${node.url}/api/health/ready`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`the node was not ready within ${timeoutMs} ms:\n${node.output.slice(-20).join('\n')}`);
}

// --- kiosks ---------------------------------------------------------------------------------

export const KIOSK_TIMEOUT_MS = 4000;

export interface Tally {
  sent: number;
  acknowledged: Map<string, string>;
  s500: number;
  s503: number;
  other5xx: number;
  networkErrors: number;
  timeouts: number;
  /** Answers (any status) slower than 2 s, and their statuses. */
  slow: number;
  slowStatuses: number[];
  maxAnswerMs: number;
  /** Time of every successful answer, for recovery figures. */
  okAt: number[];
  /** Time of every answer at all (including 503), for "an answer within 2 s". */
  answeredAt: number[];
  unexpected: string[];
}

export const newTally = (): Tally => ({
  sent: 0,
  acknowledged: new Map(),
  s500: 0,
  s503: 0,
  other5xx: 0,
  networkErrors: 0,
  timeouts: 0,
  slow: 0,
  slowStatuses: [],
  maxAnswerMs: 0,
  okAt: [],
  answeredAt: [],
  unexpected: [],
});

interface Scan {
  token: string;
  nonce: string;
  scannedAt: string;
}

/**
 * One kiosk scanning `secrets` in turn, every `gapMs`, against whichever node `pick` gives.
 * Scans the server did not answer are queued and resent with their nonce. Resolves when
 * `stop()` has been called and the queue is empty (or `drainMs` passed).
 */
export function runKiosk(opts: { token: string; eventId: string; secrets: string[]; pick: () => string | null; gapMs: number; tally: Tally }) {
  const queue: Scan[] = [];
  let stopped = false;
  let next = 0;

  async function send(scan: Scan): Promise<boolean> {
    const base = opts.pick();
    if (!base) return false;
    const t0 = Date.now();
    opts.tally.sent++;
    try {
      const res = await fetch(`${base}/api/events/${opts.eventId}/checkins`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token}` },
        body: JSON.stringify({ token: scan.token, nonce: scan.nonce, type: 'entry', scannedAt: scan.scannedAt }),
        signal: AbortSignal.timeout(KIOSK_TIMEOUT_MS),
      });
      const ms = Date.now() - t0;
      opts.tally.maxAnswerMs = Math.max(opts.tally.maxAnswerMs, ms);
      if (ms > 2000) {
        opts.tally.slow++;
        opts.tally.slowStatuses.push(res.status);
        if (process.env.CHAOS_VERBOSE) emit({ slow: ms, status: res.status, at: new Date().toISOString() });
      }
      opts.tally.answeredAt.push(Date.now());
      const body = (await res.json().catch(() => null)) as { status?: string } | null;
      if (res.status === 200 || res.status === 201) {
        if (body?.status !== 'ok') opts.tally.unexpected.push(`${scan.nonce}: ${res.status} ${JSON.stringify(body)}`);
        opts.tally.acknowledged.set(scan.nonce, scan.token);
        opts.tally.okAt.push(Date.now());
        return true;
      }
      if (res.status === 503) {
        opts.tally.s503++;
        if (!res.headers.get('retry-after')) opts.tally.unexpected.push('503 without Retry-After');
      } else if (res.status === 500) opts.tally.s500++;
      else if (res.status > 500) opts.tally.other5xx++;
      else opts.tally.unexpected.push(`${scan.nonce}: ${res.status} ${JSON.stringify(body)}`);
      return res.status < 500 ? true : false;
    } catch (err) {
      if ((err as Error).name === 'TimeoutError') {
        opts.tally.timeouts++;
        if (process.env.CHAOS_VERBOSE) emit({ timeout: KIOSK_TIMEOUT_MS, at: new Date().toISOString(), queued: scan.nonce });
      }
      else opts.tally.networkErrors++;
      return false;
    }
  }

  const done = (async () => {
    while (!stopped || queue.length > 0) {
      // The queue first, oldest first, as the kiosk's sync does; then the next guest.
      const queued = queue[0];
      if (queued) {
        if (await send(queued)) queue.shift();
        else await sleep(200);
        continue;
      }
      if (stopped || next >= opts.secrets.length) {
        if (next >= opts.secrets.length) stopped = true;
        continue;
      }
      const scan = { token: opts.secrets[next++]!, nonce: randomBytes(12).toString('base64url'), scannedAt: new Date().toISOString() };
      if (!(await send(scan))) queue.push(scan);
      await sleep(opts.gapMs);
    }
  })();
  return {
    done,
    stop() {
      stopped = true;
    },
    queued: () => queue.length,
  };
}

/** Acknowledged scans missing from the log, and nonces or first entries written twice. */
export async function verify(url: string, eventId: string, tally: Tally) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await verifyRows(await sql<{ nonce: string; attendee_id: string; status: string }[]>`select nonce, attendee_id, status from checkins where event_id = ${eventId}`, tally);
  } finally {
    await sql.end();
  }
}

export function verifyRows(rows: { nonce: string; attendee_id: string; status: string }[], tally: Tally) {
  const byNonce = new Map<string, number>();
  const entries = new Map<string, number>();
  for (const r of rows) {
    byNonce.set(r.nonce, (byNonce.get(r.nonce) ?? 0) + 1);
    if (r.status === 'ok') entries.set(r.attendee_id, (entries.get(r.attendee_id) ?? 0) + 1);
  }
  let lost = 0;
  for (const nonce of tally.acknowledged.keys()) if (!byNonce.has(nonce)) lost++;
  const doubled = [...byNonce.values()].filter((n) => n > 1).length + [...entries.values()].filter((n) => n > 1).length;
  return { lost, doubled, rows: rows.length };
}

export function tmpDir(prefix: string) {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}
