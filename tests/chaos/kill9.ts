import { sql } from 'drizzle-orm';
import { rmSync } from 'node:fs';
import { openDatabase, rowsOf } from '@edgewise/db';
import { emit, freePort, newTally, runKiosk, seedDatabase, seedStatements, sha256, sleep, startNode, startPostgres, tmpDir, verify, verifyRows, type Node } from './lib';
import { randomBytes } from 'node:crypto';

const kills = () => Number(process.env.CHAOS_KILLS ?? 2);
const kioskCount = () => Number(process.env.CHAOS_KIOSKS ?? 8);
const gapMs = () => Number(process.env.CHAOS_GAP_MS ?? 40);

/**
 * kill -9 of the only API node under check-in load, `CHAOS_KILLS` times, restarted each time
 * on the same port (the kiosks keep their address): every scan acknowledged before a kill is
 * in the log afterwards, once.
 */
async function killUnderLoad(env: Record<string, string>, seeded: { eventId: string; secrets: string[]; tokens: string[] }) {
  const port = await freePort();
  let node: Node = await startNode(env, port);
  const tally = newTally();
  const per = Math.floor(seeded.secrets.length / seeded.tokens.length);
  let current: string | null = node.url;
  const running = seeded.tokens.map((token, i) =>
    runKiosk({ token, eventId: seeded.eventId, secrets: seeded.secrets.slice(i * per, (i + 1) * per), pick: () => current, gapMs: gapMs(), tally }),
  );
  const recoveries: number[] = [];
  for (let i = 0; i < kills(); i++) {
    await sleep(2000);
    node.child.kill('SIGKILL');
    await node.exited;
    const ackedBefore = tally.acknowledged.size;
    // Recovery counts from the restart: the process starting, opening the database, answering.
    const restarted = Date.now();
    node = await startNode(env, port);
    current = node.url;
    while (tally.acknowledged.size === ackedBefore && Date.now() - restarted < 30_000) await sleep(20);
    const first = tally.okAt.find((t) => t >= restarted);
    recoveries.push(first === undefined ? Infinity : (first - restarted) / 1000);
    if (process.env.CHAOS_VERBOSE) emit({ restart: i + 1, recoverS: recoveries.at(-1), output: node.output.slice(-12), unexpected: tally.unexpected.slice(-3) });
  }
  await sleep(1000);
  for (const k of running) k.stop();
  await Promise.race([Promise.all(running.map((k) => k.done)), sleep(30_000)]);
  const queued = running.reduce((n, k) => n + k.queued(), 0);
  node.child.kill('SIGTERM');
  const exit = await node.exited;
  return { tally, recoveries, queued, exit };
}

function figures(db: string, r: Awaited<ReturnType<typeof killUnderLoad>>, v: { lost: number; doubled: number }) {
  const failures: string[] = [];
  if (v.lost) failures.push(`${v.lost} acknowledged scans lost`);
  if (v.doubled) failures.push(`${v.doubled} scans doubled`);
  if (r.queued) failures.push(`${r.queued} scans still queued`);
  if (r.tally.s500 || r.tally.other5xx) failures.push(`${r.tally.s500} answers 500, ${r.tally.other5xx} other 5xx`);
  if (r.tally.unexpected.length) failures.push(`unexpected answers: ${r.tally.unexpected.slice(0, 3).join('; ')}`);
  return {
    db,
    kills: kills(),
    kiosks: kioskCount(),
    acknowledged: r.tally.acknowledged.size,
    lost: v.lost,
    doubled: v.doubled,
    s5xx: r.tally.s500 + r.tally.s503 + r.tally.other5xx,
    networkErrors: r.tally.networkErrors,
    // Seconds from each restart command to the first check-in acknowledged after it.
    recoverS: r.recoveries,
    failures,
  };
}

export async function kill9Postgres() {
  const pg = await startPostgres();
  try {
    const seeded = await seedDatabase(pg.url, 3000, kioskCount());
    const r = await killUnderLoad({ DATABASE_URL: seeded.url }, seeded);
    return figures('postgres', r, await verify(seeded.url, seeded.eventId, r.tally));
  } finally {
    pg.destroy();
  }
}

export async function kill9Pglite() {
  const dir = tmpDir('ew-chaos-pglite.');
  try {
    // Seeded in the folder the node then opens (PGlite is one process at a time).
    const database = await openDatabase({ dataDir: dir });
    await database.migrate();
    const { eventSql, guestsSql, ticketsSql } = seedStatements(3000);
    const [event] = rowsOf<{ id: string }>(await database.db.execute(sql.raw(eventSql)));
    const eventId = event!.id;
    await database.db.execute(sql.raw(guestsSql.replace('$1', `'${eventId}'`)));
    const secrets = rowsOf<{ secret: string }>(await database.db.execute(sql.raw(ticketsSql.replace('$1', `'${eventId}'`)))).map((r) => r.secret);
    const tokens = Array.from({ length: kioskCount() }, () => randomBytes(32).toString('base64url'));
    for (const [i, t] of tokens.entries()) {
      await database.db.execute(sql`insert into devices (event_id, kind, name, token_hash) values (${eventId}, 'kiosk', ${`Chaos kiosk ${i + 1}`}, ${sha256(t)})`);
    }
    await database.close();
    const r = await killUnderLoad({ DATA_DIR: dir, DATABASE_URL: '' }, { eventId, secrets, tokens });
    const after = await openDatabase({ dataDir: dir });
    try {
      const rows = rowsOf<{ nonce: string; attendee_id: string; status: string }>(
        await after.db.execute(sql`select nonce, attendee_id, status from checkins where event_id = ${eventId}`),
      );
      return figures('pglite', r, verifyRows(rows, r.tally));
    } finally {
      await after.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
