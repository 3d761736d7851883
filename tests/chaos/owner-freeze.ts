import postgres from 'postgres';
import { newTally, seedDatabase, sleep, startNode, startPostgres } from './lib';
import { randomBytes } from 'node:crypto';

const investor = { seeks: ['design'], offers: ['investors'], interests: ['Climate'], askMeAbout: '', hostOptIn: false, showOnScreen: false };
const designer = { seeks: ['investors'], offers: ['design'], interests: ['Climate'], askMeAbout: '', hostOptIn: false, showOnScreen: false };

/**
 * Two nodes; the matching owner is frozen (SIGSTOP) for CHAOS_FREEZE_S seconds while guests
 * arrive through the other node: each must get a list within 15 s of arriving (the lease
 * lapses, the other node takes it with a higher fence). Thawed, the former owner must stop
 * (its lease is gone) rather than write over the new owner's lists.
 */
export async function ownerFreeze() {
  const freezeS = Number(process.env.CHAOS_FREEZE_S ?? 16);
  const pg = await startPostgres();
  try {
    const seeded = await seedDatabase(pg.url, 200, 2);
    const a = await startNode({ DATABASE_URL: seeded.url });
    const b = await startNode({ DATABASE_URL: seeded.url });
    const owns = (n: typeof a) => n.output.filter((l) => l.includes('this node runs live matching now')).length;
    const start = Date.now();
    while (!owns(a) && !owns(b) && Date.now() - start < 10_000) await sleep(100);
    const owner = owns(a) ? a : b;
    const other = owner === a ? b : a;
    const kiosk = seeded.tokens[other === a ? 0 : 1]!;
    const tally = newTally();
    let next = 0;
    const arrive = async (intent: typeof investor) => {
      const secret = seeded.secrets[next++]!;
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${kiosk}` };
      const res = await fetch(`${other.url}/api/events/${seeded.eventId}/checkins`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ token: secret, nonce: randomBytes(12).toString('base64url'), type: 'entry', scannedAt: new Date().toISOString() }),
      });
      const outcome = (await res.json()) as { attendee?: { id: string } };
      if (res.status >= 500) tally.s500++;
      const id = outcome.attendee!.id;
      const put = await fetch(`${other.url}/api/events/${seeded.eventId}/attendees/${id}/intent`, { method: 'PUT', headers, body: JSON.stringify(intent) });
      if (!put.ok) tally.unexpected.push(`intent ${put.status} ${await put.text()}`);
      return { id, at: Date.now() };
    };
    // What the guest's phone would show: their listed suggestions, read where they are kept (the
    // kiosk may read only the guest it scanned last, and this asks after earlier ones too).
    const sqlc = postgres(seeded.url, { max: 1, onnotice: () => {} });
    const hasList = async (id: string) =>
      (await sqlc<{ listed: boolean }[]>`select exists (select 1 from suggestions where attendee_id = ${id} and listed) as listed`)[0]?.listed === true;
    // A room already going: people on both sides of one topic.
    for (let i = 0; i < 6; i++) await arrive(i % 2 ? investor : designer);
    await sleep(1500);

    const fenceOf = async () => Number((await sqlc<{ fence: string }[]>`select fence from matching_lease where id = 1`)[0]?.fence ?? 0);
    const fenceBefore = await fenceOf();
    owner.child.kill('SIGSTOP');
    const frozenAt = Date.now();
    const arrivals: { id: string; at: number; listAt?: number }[] = [];
    let takeoverS: number | null = null;
    while (Date.now() - frozenAt < freezeS * 1000) {
      if (arrivals.length < 20) arrivals.push(await arrive(arrivals.length % 2 ? investor : designer));
      for (const x of arrivals) if (!x.listAt && (await hasList(x.id))) x.listAt = Date.now();
      if (takeoverS === null && (await fenceOf()) > fenceBefore) takeoverS = (Date.now() - frozenAt) / 1000;
      await sleep(500);
    }
    owner.child.kill('SIGCONT');
    const thawedAt = Date.now();
    // Whoever is still waiting gets a little longer, measured from their own arrival.
    while (arrivals.some((x) => !x.listAt) && Date.now() - thawedAt < 5000) {
      for (const x of arrivals) if (!x.listAt && (await hasList(x.id))) x.listAt = Date.now();
      await sleep(250);
    }
    let formerStopped = false;
    while (Date.now() - thawedAt < 5000 && !formerStopped) {
      formerStopped = owner.output.some((l) => l.includes('no longer runs live matching'));
      await sleep(100);
    }
    const fenceAfter = await fenceOf();
    await sqlc.end();
    for (const n of [a, b]) n.child.kill('SIGTERM');
    await Promise.all([a.exited, b.exited]);
    const waits = arrivals.map((x) => (x.listAt ? (x.listAt - x.at) / 1000 : Infinity));
    const maxWaitS = Math.max(...waits);
    const failures: string[] = [];
    if (waits.some((w) => w > 15)) failures.push(`${waits.filter((w) => w > 15).length} of ${arrivals.length} arrivals had no list within 15 s`);
    if (fenceAfter <= fenceBefore) failures.push('the fence did not go up');
    if (!formerStopped) failures.push('the thawed former owner did not stop');
    if (tally.s500) failures.push(`${tally.s500} 5xx answers`);
    if (tally.unexpected.length) failures.push(tally.unexpected.slice(0, 2).join('; '));
    return {
      db: 'postgres',
      freezeS,
      arrivals: arrivals.length,
      withList: waits.filter((w) => w <= 15).length,
      maxSecondsToList: Number.isFinite(maxWaitS) ? maxWaitS : null,
      takeoverS,
      fenceBefore,
      fenceAfter,
      formerOwnerStopped: formerStopped,
      failures,
    };
  } finally {
    pg.destroy();
  }
}
