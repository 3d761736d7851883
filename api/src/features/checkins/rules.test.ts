import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rowsOf, type Database } from '@edgewise/db';
import { checkinRuleTable, decidePresence, type CheckinType, type LoggedScan } from '@edgewise/shared';
import { scanInOneStatement } from './repo';

/**
 * The check-in statement (`checkin_scan`, db/migrations) decides with the rules of
 * shared/src/checkinRules.ts: it gathers the log's facts in SQL and looks the decision up in
 * `checkin_rules`. These tests keep both halves level with the TypeScript the kiosk uses.
 */
describe('the check-in statement and the rules', () => {
  let sut: Database;
  let eventId: string;
  let kioskA: string;
  let kioskB: string;

  beforeAll(async () => {
    sut = await openDatabase({ dataDir: 'memory://' });
    await sut.migrate();
    const one = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await sut.db.execute(query))[0]!;
    eventId = (await one<{ id: string }>(sql`insert into events (slug, name, starts_at, ends_at, time_zone, status, settings)
      values ('rules', 'Rules', now(), now() + interval '1 day', 'UTC', 'open', '{}') returning id`)).id;
    const kiosk = async (name: string) =>
      (await one<{ id: string }>(sql`insert into devices (event_id, kind, name, token_hash) values (${eventId}, 'kiosk', ${name}, ${name}) returning id`)).id;
    kioskA = await kiosk('A');
    kioskB = await kiosk('B');
  }, 180_000);
  afterAll(async () => {
    await sut?.close();
  });

  it('holds in checkin_rules exactly the rules of checkinRules.ts, over every combination of facts', async () => {
    const stored = rowsOf<{ facts: string; status: string; reason: string; effective: boolean; flagged: boolean; supersedes_next: boolean }>(
      await sut.db.execute(sql`select * from checkin_rules order by facts`),
    ).map((r) => ({ facts: r.facts, decision: { status: r.status, reason: r.reason, effective: r.effective, flagged: r.flagged, supersedesNext: r.supersedes_next } }));
    const expected = checkinRuleTable().sort((a, b) => (a.facts < b.facts ? -1 : 1));
    // A rule changed in TypeScript needs a migration that refills checkin_rules from checkinRuleTable().
    expect(stored).toEqual(expected);
  });

  it('decides like decidePresence on random logs, out-of-order uploads and other kiosks included', async () => {
    // A small seeded generator: a failure names its case and replays the same way.
    let seed = 20261206;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const base = Date.parse('2026-12-06T18:00:00Z');
    const minute = (m: number) => new Date(base + m * 60_000);

    for (let n = 0; n < 150; n++) {
      const [attendee] = rowsOf<{ id: string }>(
        await sut.db.execute(sql`insert into attendees (event_id, name, email, source) values (${eventId}, ${`Guest ${n}`}, ${`g${n}@x.test`}, 'guest_list') returning id`),
      );
      const secret = `secret-${n}`;
      await sut.db.execute(sql`insert into tickets (attendee_id, event_id, secret) values (${attendee!.id}, ${eventId}, ${secret})`);
      const log: LoggedScan[] = [];
      const length = Math.floor(random() * 5);
      for (let i = 0; i < length; i++) {
        // Scans on a few whole minutes (so some share the new scan's instant), each received at its own second.
        const scannedAt = minute(Math.floor(random() * 6));
        const receivedAt = new Date(scannedAt.getTime() + (1 + i + Math.floor(random() * 600)) * 1000);
        const type = pick<CheckinType>(['entry', 'exit']);
        const deviceId = pick([kioskA, kioskB, null]);
        const [row] = rowsOf<{ id: string }>(
          await sut.db.execute(sql`insert into checkins (event_id, attendee_id, device_id, nonce, type, method, status, reason, scanned_at, received_at, effective)
            values (${eventId}, ${attendee!.id}, ${deviceId}, ${`log-${n}-${i}`}, ${type}, 'qr_camera', 'ok', 'first_entry',
              ${scannedAt.toISOString()}::timestamptz, ${receivedAt.toISOString()}::timestamptz, true) returning id`),
        );
        log.push({ type, scannedAt, receivedAt, id: row!.id, deviceId });
      }
      const type = pick<CheckinType>(['entry', 'exit']);
      const scannedAt = minute(Math.floor(random() * 6));
      const expected = decidePresence(type, scannedAt, log, kioskA);
      const answer = await scanInOneStatement(sut.db, {
        eventId,
        deviceId: kioskA,
        key: { secret },
        nonce: `scan-${n}`,
        type,
        method: 'qr_camera',
        scannedAt,
        receivedAt: minute(30),
        disagreeing: [],
      });
      if (answer.kind !== 'recorded') throw new Error(`case ${n}: ${answer.kind}`);
      const { status, reason, effective, flagged } = answer.row;
      expect({ n, status, reason, effective, flagged, supersedes: answer.superseded?.id }).toEqual({
        n,
        status: expected.status,
        reason: expected.reason,
        effective: expected.effective,
        flagged: expected.flagged,
        supersedes: expected.supersedes,
      });
    }
  }, 60_000);
});
