import { emit, newTally, runKiosk, seedDatabase, sleep, startNode, startPostgres, verify, type Node } from './lib';

/**
 * SIGTERM to one of two API nodes under check-in load: it stops taking requests, finishes
 * those in flight, hands the matching lease over and exits within the compose stop timeout
 * (15 s); the kiosks go on at the other node, and nothing is lost or doubled.
 */
export async function sigterm() {
  const kiosks = Number(process.env.CHAOS_KIOSKS ?? 8);
  const pg = await startPostgres();
  try {
    const seeded = await seedDatabase(pg.url, 3000, kiosks);
    const a = await startNode({ DATABASE_URL: seeded.url });
    const b = await startNode({ DATABASE_URL: seeded.url });
    const nodes: Node[] = [a, b];
    const up = new Set([a.url, b.url]);
    const tally = newTally();
    const per = Math.floor(seeded.secrets.length / kiosks);
    let turn = 0;
    // The balancer: round robin over the nodes that are ready.
    const pick = () => {
      const list = [...up];
      return list.length ? list[turn++ % list.length]! : null;
    };
    const running = seeded.tokens.map((token, i) =>
      runKiosk({ token, eventId: seeded.eventId, secrets: seeded.secrets.slice(i * per, (i + 1) * per), pick, gapMs: Number(process.env.CHAOS_GAP_MS ?? 40), tally }),
    );
    await sleep(2500);
    const owner = nodes.find((n) => n.output.some((l) => l.includes('this node runs live matching now'))) ?? a;
    const other = owner === a ? b : a;
    const t0 = Date.now();
    owner.child.kill('SIGTERM');
    // The balancer notices readiness failing on its next check (compose: every 2 s); until
    // then requests still reach the stopping node and must be answered or refused cleanly.
    await sleep(500);
    up.delete(owner.url);
    const exit = await Promise.race([owner.exited, sleep(20_000).then(() => null)]);
    const exitS = (Date.now() - t0) / 1000;
    let handoverS: number | null = null;
    while (Date.now() - t0 < 15_000) {
      if (other.output.some((l) => l.includes('this node runs live matching now'))) {
        handoverS = (Date.now() - t0) / 1000;
        break;
      }
      await sleep(50);
    }
    await sleep(1500);
    for (const k of running) k.stop();
    await Promise.race([Promise.all(running.map((k) => k.done)), sleep(30_000)]);
    const queued = running.reduce((n, k) => n + k.queued(), 0);
    const { lost, doubled } = await verify(seeded.url, seeded.eventId, tally);
    other.child.kill('SIGTERM');
    await other.exited;
    const failures: string[] = [];
    if (!exit) failures.push('the stopped node did not exit within 20 s');
    else if (exit.code !== 0) failures.push(`the stopped node exited with ${exit.code ?? exit.signal}`);
    if (exitS > 15) failures.push(`exit took ${exitS} s, past compose's 15 s`);
    if (handoverS === null) failures.push('the other node did not take matching over within 15 s');
    if (lost) failures.push(`${lost} acknowledged scans lost`);
    if (doubled) failures.push(`${doubled} scans doubled`);
    if (queued) failures.push(`${queued} scans still queued`);
    if (tally.s500 || tally.other5xx) failures.push(`${tally.s500} answers 500, ${tally.other5xx} other 5xx`);
    if (process.env.CHAOS_VERBOSE) emit({ owner: owner.output.slice(-10) });
    return {
      db: 'postgres',
      kiosks,
      acknowledged: tally.acknowledged.size,
      lost,
      doubled,
      s5xx: tally.s500 + tally.s503 + tally.other5xx,
      s503: tally.s503,
      networkErrors: tally.networkErrors,
      exitS,
      exitCode: exit?.code ?? null,
      handoverS,
      failures,
    };
  } finally {
    pg.destroy();
  }
}
