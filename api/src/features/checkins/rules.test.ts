import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rowsOf, type Database } from '@edgewise/db';
import { checkinRuleTable, decidePresence, type CheckinType, type LoggedScan } from '@edgewise/shared';
import { scanInOneBatch, scanInOneStatement, type ScanAnswer, type ScanCall } from './repo';

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
      }, true);
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

  it('answers a batch of scans as it answers each alone, in the order they came', async () => {
    // Two events with the same guests: one takes the scans one statement each, the other in
    // batches of random sizes. Scans of one guest follow each other, repeats and retries included.
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const one = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await sut.db.execute(query))[0]!;
    const setUp = async (slug: string) => {
      const id = (await one<{ id: string }>(sql`insert into events (slug, name, starts_at, ends_at, time_zone, status, settings)
        values (${slug}, ${slug}, now(), now() + interval '1 day', 'UTC', 'open', '{}') returning id`)).id;
      const kiosks = [];
      for (const k of ['A', 'B']) kiosks.push((await one<{ id: string }>(sql`insert into devices (event_id, kind, name, token_hash) values (${id}, 'kiosk', ${k}, ${slug + k}) returning id`)).id);
      for (let g = 0; g < 6; g++) {
        const attendee = await one<{ id: string }>(sql`insert into attendees (event_id, name, email, source) values (${id}, ${`Guest ${g}`}, ${`b${g}@x.test`}, 'guest_list') returning id`);
        await sut.db.execute(sql`insert into tickets (attendee_id, event_id, secret, revoked_at) values (${attendee.id}, ${id}, ${`${slug}-${g}`}, ${g === 5 ? sql`now()` : null})`);
      }
      return { id, kiosks };
    };
    const alone = await setUp('alone');
    const batched = await setUp('batched');
    const base = Date.parse('2026-12-06T19:00:00Z');
    const scans = Array.from({ length: 120 }, (_, n) => ({
      // Guest 6 has no ticket (an unknown code); guest 5's ticket is revoked.
      guest: Math.floor(random() * 7),
      kiosk: Math.floor(random() * 2),
      type: pick<CheckinType>(['entry', 'exit']),
      // Some scans reach the server late, after later ones.
      at: base + (n - Math.floor(random() * 3) * 20) * 10_000,
      // A retry sends the nonce of an earlier scan again.
      nonce: n > 0 && random() < 0.1 ? `n${Math.floor(random() * n)}` : `n${n}`,
    }));
    const callOf = (target: { id: string; kiosks: string[] }, slug: string, s: (typeof scans)[number]): ScanCall => ({
      eventId: target.id,
      deviceId: target.kiosks[s.kiosk]!,
      key: { secret: `${slug}-${s.guest}` },
      nonce: `${slug}-${s.nonce}`,
      type: s.type,
      method: 'qr_camera',
      scannedAt: new Date(s.at),
      receivedAt: new Date(base + 3_600_000),
      disagreeing: [],
    });
    const summary = (a: ScanAnswer) =>
      a.kind === 'recorded' || a.kind === 'replayed'
        ? { kind: a.kind, status: a.row.status, reason: a.row.reason, effective: a.row.effective, flagged: a.row.flagged, name: a.attendee?.name ?? null, superseded: Boolean(a.superseded) }
        : { kind: a.kind };

    const expected = [];
    // One by one with the row locks (as on Postgres), in batches without (as on PGlite).
    for (const s of scans) expected.push(summary(await scanInOneStatement(sut.db, callOf(alone, 'alone', s), true)));
    const actual = [];
    for (let i = 0; i < scans.length; ) {
      const size = 1 + Math.floor(random() * 12);
      const answers = await scanInOneBatch(sut.db, scans.slice(i, i + size).map((s) => callOf(batched, 'batched', s)), false);
      actual.push(...answers.map(summary));
      i += size;
    }
    expect(actual).toEqual(expected);
    // The cases the test is about did occur.
    const kinds = new Set(expected.map((e) => ('status' in e ? `${e.kind}:${e.status}` : e.kind)));
    for (const k of ['recorded:ok', 'replayed:ok', 'recorded:already_checked_in', 'recorded:unknown_token', 'recorded:revoked']) expect([...kinds]).toContain(k);
  }, 60_000);
});
