import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { asc, eq } from 'drizzle-orm';
import { openDatabase, organisers, type Database } from '@edgewise/db';
import { CreateOrganiserBody } from '@edgewise/shared';
import { createApp } from './app';
import { openCluster } from './cluster';
import { createDemoEvent, findDemoEvent } from './demo';
import { cryptoRandomToken, jsonLog, type AppDeps } from './deps';
import { createOrganiser, organiserCount } from './features/auth/service';
import { createPairingCode } from './features/devices/service';
import { defaultFrom, smtpMailer } from './features/followup/mailer';
import { AppError, isConnectionError } from './http/errors';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DEMO_EMAIL = 'demo@edgewise.local';
const DEMO_PASSWORD = 'demo-password-1';

/** Plain lines for the person at the terminal; JSON lines stay for machines. */
const say = (line = '') => process.stdout.write(`${line}\n`);

function fail(message: string): never {
  process.stderr.write(`edgewise: ${message}\n`);
  process.exit(1);
}

function readConfig() {
  const env = process.env;
  const port = env.PORT ? Number(env.PORT) : 3000;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`PORT must be a port number, not "${env.PORT}"`);
  const email = env.ORGANISER_EMAIL?.trim();
  const password = env.ORGANISER_PASSWORD;
  if (Boolean(email) !== Boolean(password)) fail('set both ORGANISER_EMAIL and ORGANISER_PASSWORD, or neither');
  return {
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(repoRoot, env.DATA_DIR || 'data'),
    publicUrl: (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    organiser: email && password ? { email, password, name: env.ORGANISER_NAME?.trim() || 'Organiser' } : undefined,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM?.trim() || undefined,
    // The balancer's own address (e.g. `172.28.0.2`): only its X-Forwarded-For is believed.
    // Unset, nobody's is: the rate limits count the connecting address.
    trustProxy: env.TRUST_PROXY?.trim() || undefined,
    demo: process.argv.includes('--demo'),
  };
}
type Config = ReturnType<typeof readConfig>;

/** Creates an organiser from the environment or the demo defaults when nobody exists yet. */
async function ensureOrganiser(deps: AppDeps, config: Config): Promise<{ created?: { email: string; password: string } }> {
  const db = deps.database.db;
  if ((await organiserCount(db)) > 0) return {};
  const wanted = config.organiser ?? (config.demo ? { email: DEMO_EMAIL, password: DEMO_PASSWORD, name: 'Demo Organiser' } : undefined);
  if (!wanted) return {};
  const parsed = CreateOrganiserBody.safeParse(wanted);
  if (!parsed.success) {
    fail(`the organiser from the environment is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  }
  try {
    await createOrganiser(db, deps.now(), { ...parsed.data, role: 'owner' });
  } catch (err) {
    // Another node starting at the same moment created it first: that is fine.
    if (!(err instanceof AppError && err.code === 'conflict')) throw err;
  }
  return { created: { email: parsed.data.email, password: wanted.password } };
}

async function runDemo(deps: AppDeps, config: Config, created: { email: string; password: string } | undefined) {
  const db = deps.database.db;
  const [first] = await db.select().from(organisers).orderBy(asc(organisers.createdAt)).limit(1);
  let event = await findDemoEvent(deps);
  if (!event) {
    const demo = await createDemoEvent(deps, first?.id ?? null);
    event = demo.event;
    say(`Created "${event.name}" with ${demo.attendees} guests (${demo.hosts} hosts, ${demo.intents} with an intent).`);
  }
  const code = await createPairingCode(deps, { eventId: event.id, kind: 'kiosk', name: 'Demo kiosk', createdBy: first?.id ?? null, ttlMs: 24 * 3_600_000 });

  let login: string;
  // A password from the environment stays out of terminal logs; the demo default is no secret.
  if (config.organiser) login = `${config.organiser.email} / (the ORGANISER_PASSWORD you set)`;
  else if (created) login = `${created.email} / ${created.password}`;
  else {
    const [demoOrganiser] = await db.select({ id: organisers.id }).from(organisers).where(eq(organisers.email, DEMO_EMAIL)).limit(1);
    login = demoOrganiser ? `${DEMO_EMAIL} / ${DEMO_PASSWORD} (unless you changed it)` : 'your existing organiser account';
  }
  say();
  say('Demo');
  say(`  event:          ${event.name} (${event.slug}), in ${config.publicUrl}/dashboard`);
  say(`  organiser:      ${login}`);
  say(`  kiosk pairing:  open ${config.publicUrl}/kiosk and enter ${code.code.slice(0, 3)}-${code.code.slice(3)} (valid 24 hours, one kiosk)`);
  say('  badges:         in the dashboard, the event\'s guest list, "Print all badges"');
}

async function main() {
  const config = readConfig();
  const database: Database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await database.migrate();

  const deps: AppDeps = {
    database,
    now: () => Date.now(),
    randomToken: cryptoRandomToken,
    publicUrl: config.publicUrl,
    log: jsonLog,
    clientDist: path.join(repoRoot, 'client/dist'),
    trustProxy: config.trustProxy,
  };
  // A real Postgres may be shared by several nodes behind a load balancer: emits go
  // through it to every node's sockets. PGlite is one process: nothing to share.
  const cluster = config.databaseUrl ? openCluster(config.databaseUrl, { log: jsonLog }) : undefined;
  deps.cluster = cluster;
  const from = config.mailFrom ?? defaultFrom(config.publicUrl);
  // Without SMTP_URL the app's own default mailer only previews: nothing is ever sent.
  if (config.smtpUrl) deps.mailer = smtpMailer(config.smtpUrl, from);

  const { created } = await ensureOrganiser(deps, config);
  if (created && config.organiser) say(`Created the organiser ${created.email} from ORGANISER_EMAIL.`);
  if ((await organiserCount(database.db)) === 0) deps.setupToken = deps.randomToken(24);

  const { app, io, matching, followups, availability } = createApp(deps);
  const server = createServer(app);
  let stopping = false;
  // While stopping, every answer closes its connection: the client's next request opens a
  // new one, which the balancer sends to a node that is not stopping.
  server.on('request', (_req, res) => {
    if (stopping) res.setHeader('connection', 'close');
  });
  io.attach(server);
  // Listening to the other nodes before taking requests: no emit of theirs is missed.
  await cluster?.ready();

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EADDRINUSE' ? fail(`port ${config.port} is in use: set PORT to another one`) : reject(err),
    );
    server.listen(config.port, resolve);
  });

  const u = config.publicUrl;
  say();
  say(`Edgewise is running on port ${config.port} (database: ${database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'Postgres'})`);
  say(`  dashboard:      ${u}/dashboard`);
  say(`  kiosk:          ${u}/kiosk`);
  say(`  screen:         ${u}/screen`);
  say(`  API reference:  ${u}/api/openapi.json`);
  say(
    config.smtpUrl
      ? `  mail:           follow-ups, guests' sign-in links and team invitations are sent through SMTP_URL, from ${from}`
      : "  mail:           no SMTP_URL: follow-ups are previewed, never sent; guests open their page from the kiosk's code; invitation links are shown to pass on",
  );
  const host = new URL(u).hostname;
  if (host === 'localhost' || host === '127.0.0.1' || host === '::1' || host === '[::1]') {
    // The QR codes carry this address: a phone in the room cannot open localhost.
    const lan = lanAddresses().map((a) => `http://${a}:${config.port}`);
    say(`  note:           QR codes point at ${u}, which phones in the room cannot reach: set PUBLIC_URL to this machine's address on the venue's network${lan.length ? ` (${lan.join(' or ')})` : ''}`);
  }
  if (!deps.clientDist || !existsSync(path.join(deps.clientDist, 'index.html'))) {
    say('  note:           the client is not built (npm run build): only the API is served');
  }
  if (deps.setupToken) {
    say();
    say('No organiser account yet. Open this one-time link to create the first one:');
    say(`  ${u}/dashboard/setup?token=${deps.setupToken}`);
  }
  if (config.demo) await runDemo(deps, config, created);
  say();

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: shutting down`);
    // Readiness fails from now on: a balancer stops sending new requests here.
    availability.drain();
    // A hung socket must not keep the process alive for ever; compose waits 15 s
    // (stop_grace_period) before it kills.
    setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS).unref();
    server.closeIdleConnections();
    // Matching first: its last batch still writes to the database and emits.
    const matchingClosed = matching.close().catch((err: unknown) => jsonLog({ level: 'error', msg: 'stopping live matching failed', err: String(err) }));
    // Mails on their way finish and are recorded; a claim cut short is retried after its lease.
    const followupsClosed = followups.close().catch((err: unknown) => jsonLog({ level: 'error', msg: 'stopping the follow-up scheduler failed', err: String(err) }));
    // io.close() also closes the HTTP server it is attached to.
    io.close(async () => {
      await matchingClosed;
      await followupsClosed;
      deps.mailer?.close?.();
      // After io.close(): the adapter has said goodbye to the other nodes through it.
      await cluster?.close().catch((err: unknown) => jsonLog({ level: 'error', msg: 'closing the cluster connection failed', err: String(err) }));
      database.close().then(
        () => process.exit(0),
        (err: unknown) => {
          jsonLog({ level: 'error', msg: 'closing the database failed', err: String(err) });
          process.exit(1);
        },
      );
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** Requests in flight get this long to finish on SIGTERM before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * An exception from the Postgres driver's own timers or socket events (a connection that
 * dropped mid-write: porsager/postgres 1066, 1154, 1208) reaches no caller's try/catch. Its
 * query has failed, the pool reconnects, and every kiosk needs this process up: log it and
 * go on. Anything else is a bug that leaves the process in an unknown state: exit, and let
 * the supervisor restart it.
 */
function fromDatabaseDriver(err: unknown): boolean {
  const stack = String((err as Error | undefined)?.stack ?? '');
  return isConnectionError(err) || /[\\/]node_modules[\\/]postgres[\\/]/.test(stack);
}
process.on('uncaughtException', (err, origin) => {
  if (fromDatabaseDriver(err)) {
    jsonLog({ level: 'warn', msg: 'the database driver failed outside any request; carrying on', origin, err: String((err as Error)?.stack ?? err) });
    return;
  }
  jsonLog({ level: 'error', msg: 'uncaught exception', origin, err: String((err as Error)?.stack ?? err) });
  process.exit(1);
});

main().catch((err: unknown) => {
  jsonLog({ level: 'error', msg: 'start-up failed', err: String((err as Error)?.stack ?? err) });
  process.exit(1);
});

/** This machine's IPv4 addresses on its networks, for the PUBLIC_URL hint. */
function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => a.family === 'IPv4' && !a.internal)
    .map((a) => a.address)
    .slice(0, 3);
}
