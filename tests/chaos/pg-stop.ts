import { emit, newTally, runKiosk, seedDatabase, sleep, startNode, startPostgres, verify } from './lib';

/**
 * Postgres stopped for CHAOS_PG_STOP_S seconds under check-in load, CHAOS_PG_STOPS times in a
 * row, with one API node: the node must stay up, answer every request within 2 s (a 503 with
 * Retry-After, or the outcome), never 500, and answer normally within 1 s of the restart;
 * after the queues drain, no acknowledged scan is lost and none is doubled.
 */
export async function pgStop() {
  const stops = Number(process.env.CHAOS_PG_STOPS ?? 2);
  const stopS = Number(process.env.CHAOS_PG_STOP_S ?? 4);
  const kiosks = Number(process.env.CHAOS_KIOSKS ?? 8);
  const gapMs = Number(process.env.CHAOS_GAP_MS ?? 40);
  const pg = await startPostgres();
  const failures: string[] = [];
  try {
    const seeded = await seedDatabase(pg.url, Math.max(2000, Math.ceil(stops * (stopS + 3) * 120)), kiosks);
    const node = await startNode({ DATABASE_URL: seeded.url });
    const tally = newTally();
    const perKiosk = Math.floor(seeded.secrets.length / kiosks);
    const running = seeded.tokens.map((token, i) =>
      runKiosk({ token, eventId: seeded.eventId, secrets: seeded.secrets.slice(i * perKiosk, (i + 1) * perKiosk), pick: () => node.url, gapMs, tally }),
    );
    await sleep(1500);
    const recoveries: number[] = [];
    for (let i = 0; i < stops; i++) {
      if (process.env.CHAOS_VERBOSE) emit({ stopping: new Date().toISOString() });
      pg.stop('fast');
      await sleep(stopS * 1000);
      pg.start();
      const restartedAt = Date.now();
      if (process.env.CHAOS_VERBOSE) emit({ started: new Date().toISOString() });
      await sleep(2000);
      const firstOk = tally.okAt.find((t) => t >= restartedAt);
      recoveries.push(firstOk === undefined ? Infinity : (firstOk - restartedAt) / 1000);
      if (process.env.CHAOS_VERBOSE) emit({ chaos: 'pg-stop', round: i + 1, recoverS: recoveries.at(-1), s503: tally.s503, maxAnswerMs: tally.maxAnswerMs });
    }
    for (const k of running) k.stop();
    await Promise.race([Promise.all(running.map((k) => k.done)), sleep(30_000)]);
    const queued = running.reduce((n, k) => n + k.queued(), 0);
    const alive = node.alive();
    const { lost, doubled } = await verify(seeded.url, seeded.eventId, tally);
    node.child.kill('SIGTERM');
    await node.exited;
    const crashes = node.output.filter((l) => /uncaught|start-up failed/i.test(l) && !/carrying on/.test(l)).length;
    const driverFaults = node.output.filter((l) => /carrying on/.test(l)).length;
    const maxRecoverS = Math.max(...recoveries);
    if (!alive) failures.push('the node died');
    if (lost) failures.push(`${lost} acknowledged scans lost`);
    if (doubled) failures.push(`${doubled} scans doubled`);
    if (queued) failures.push(`${queued} scans still queued after 30 s`);
    if (tally.s500 || tally.other5xx) failures.push(`${tally.s500} answers 500, ${tally.other5xx} other 5xx than 503`);
    if (tally.slow || tally.timeouts) failures.push(`${tally.slow} answers slower than 2 s, ${tally.timeouts} timeouts at 4 s`);
    if (maxRecoverS > 1) failures.push(`normal answers came back ${maxRecoverS} s after a restart`);
    if (tally.unexpected.length) failures.push(`unexpected answers: ${tally.unexpected.slice(0, 3).join('; ')}`);
    return {
      db: 'postgres',
      stops,
      stopS,
      kiosks,
      acknowledged: tally.acknowledged.size,
      lost,
      doubled,
      sent: tally.sent,
      s503: tally.s503,
      s500: tally.s500,
      other5xx: tally.other5xx,
      networkErrors: tally.networkErrors,
      timeouts: tally.timeouts,
      slowOver2s: tally.slow,
      slowStatuses: tally.slowStatuses,
      maxAnswerMs: tally.maxAnswerMs,
      recoverS: recoveries,
      maxRecoverS,
      processUp: alive,
      crashes,
      driverFaultsSurvived: driverFaults,
      failures,
    };
  } finally {
    pg.destroy();
  }
}
