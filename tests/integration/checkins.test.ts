import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkins } from '@edgewise/db';
import type { CheckinCreated, CheckinLogEntry, CheckinOutcome } from '@edgewise/shared';
import { aGuest, aNonce, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { aSocket, dbKinds, request, startServer, type ClientSocket, type TestServer } from '../fixtures/server';

describe.each(dbKinds)('check-in (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;
  let eventId: string;
  let kiosk: { token: string; deviceId: string };

  beforeAll(async () => {
    sut = await startServer(kind, { limits: { pairPerWindow: 1000 } });
    org = await anOrganiser(sut);
    eventId = await anOpenEvent(org, { name: 'Harbour Meetup' });
    kiosk = await aPairedDevice(sut, org, eventId);
  });
  afterAll(async () => {
    await sut?.close();
  });

  const now = () => new Date(sut.clock()).toISOString();
  const minutesAgo = (m: number) => new Date(sut.clock() - m * 60_000).toISOString();
  const scan = (body: Record<string, unknown>, opts: { token?: string; event?: string } = {}) =>
    request(sut.url)
      .post(`/api/events/${opts.event ?? eventId}/checkins`)
      .set('authorization', `Bearer ${opts.token ?? kiosk.token}`)
      .send({ nonce: aNonce(), scannedAt: now(), ...body });
  const rowsFor = (nonce: string) => sut.database.db.select().from(checkins).where(eq(checkins.nonce, nonce));
  const outcome = (res: { body: unknown }) => res.body as CheckinOutcome;

  describe('outcomes', () => {
    it('lets a guest in on the first scan and greets them by name', async () => {
      const guest = await aGuest(org, eventId, { name: 'Ana Sousa' });
      const res = await scan({ token: guest.secret });
      expect(res.status).toBe(201);
      expect(outcome(res)).toMatchObject({
        status: 'ok',
        reason: 'first_entry',
        type: 'entry',
        replayed: false,
        flagged: false,
        attendee: { id: guest.id, name: 'Ana Sousa', firstTime: false, hasIntent: false },
      });
      expect(outcome(res).message).toContain('Ana');
      const [row] = await rowsFor(outcome(res).nonce);
      expect(row).toMatchObject({ attendeeId: guest.id, deviceId: kiosk.deviceId, method: 'qr_camera', effective: true, status: 'ok' });
    });

    it('follows a guest in, out and back in, refusing the scans that do not fit', async () => {
      const guest = await aGuest(org, eventId);
      const steps: [string, number, string, string][] = [
        ['entry', 201, 'ok', 'first_entry'],
        ['entry', 200, 'already_checked_in', 'already_present'],
        ['exit', 201, 'ok', 'exit'],
        ['exit', 200, 'not_checked_in', 'not_present'],
        ['entry', 201, 'ok', 're_entry'],
      ];
      for (const [type, status, outcomeStatus, reason] of steps) {
        sut.clock.advance(1000);
        const res = await scan({ token: guest.secret, type });
        expect({ type, status: res.status, outcome: outcome(res).status, reason: outcome(res).reason }).toEqual({ type, status, outcome: outcomeStatus, reason });
      }
    });

    it('reads the ticket out of its link, as a handheld scanner types it', async () => {
      const guest = await aGuest(org, eventId);
      const res = await scan({ token: `  ${sut.deps.publicUrl}/t/${guest.secret}\n`, method: 'qr_keyboard' });
      expect(res.status).toBe(201);
      expect(outcome(res).attendee?.id).toBe(guest.id);
      const [row] = await rowsFor(outcome(res).nonce);
      expect(row?.method).toBe('qr_keyboard');
    });

    it('answers unknown_token for a secret nobody holds or text that is no ticket, logs it without the text', async () => {
      const unknownSecret = 'AAAAAAAAAAAAAAAAAAAAAAAA';
      for (const token of [unknownSecret, 'hello, I am a barcode from a cereal box']) {
        const res = await scan({ token });
        expect(res.status).toBe(200);
        expect(outcome(res)).toMatchObject({ status: 'unknown_token', reason: 'unknown_token', attendee: null });
        expect(outcome(res).message).toMatch(/desk/);
        const [row] = await rowsFor(outcome(res).nonce);
        expect(row).toMatchObject({ attendeeId: null, effective: false, status: 'unknown_token' });
        expect(JSON.stringify(row)).not.toContain(token);
      }
    });

    it('refuses a revoked ticket and says to ask at the desk', async () => {
      const guest = await aGuest(org, eventId);
      expect((await org.post(`/api/events/${eventId}/attendees/${guest.id}/ticket/revoke`)).status).toBeLessThan(300);
      const res = await scan({ token: guest.secret });
      expect(res.status).toBe(200);
      expect(outcome(res)).toMatchObject({ status: 'revoked', reason: 'revoked', attendee: null });
      expect(outcome(res).message).toBe('This ticket was replaced. Ask at the desk for the new one.');
      const [row] = await rowsFor(outcome(res).nonce);
      expect(row).toMatchObject({ attendeeId: guest.id, effective: false });
    });

    it("refuses another event's ticket as wrong_event and keeps its holder out of this log", async () => {
      const other = await anOpenEvent(org);
      const stranger = await aGuest(org, other);
      const res = await scan({ token: stranger.secret });
      expect(res.status).toBe(200);
      expect(outcome(res)).toMatchObject({ status: 'wrong_event', reason: 'wrong_event', attendee: null });
      const [row] = await rowsFor(outcome(res).nonce);
      expect(row).toMatchObject({ attendeeId: null, eventId, effective: false });
    });

    it('refuses scans while the event is a draft, and after it closed', async () => {
      const draft = await anOpenEvent(org, { status: 'draft' });
      const draftKiosk = await aPairedDevice(sut, org, draft);
      const early = await aGuest(org, draft);
      const before = await scan({ token: early.secret }, { token: draftKiosk.token, event: draft });
      expect(before.status).toBe(200);
      expect(outcome(before)).toMatchObject({ status: 'event_not_open', reason: 'event_not_open', attendee: null });

      expect((await org.patch(`/api/events/${draft}`, { status: 'closed' })).status).toBe(200);
      const after = await scan({ token: early.secret }, { token: draftKiosk.token, event: draft });
      expect(outcome(after)).toMatchObject({ status: 'event_closed', reason: 'event_closed' });
      const unknown = await scan({ token: 'nonsense' }, { token: draftKiosk.token, event: draft });
      expect(outcome(unknown).status).toBe('event_closed');
    });
  });

  describe('check-in by name search', () => {
    it('checks in by attendee id, recorded as name_search', async () => {
      const guest = await aGuest(org, eventId);
      // An unattended kiosk: the guest confirms with their email's domain (example.org).
      const res = await scan({ attendeeId: guest.id, confirmation: 'Exa' });
      expect(res.status).toBe(201);
      expect(outcome(res)).toMatchObject({ status: 'ok', reason: 'first_entry', attendee: { id: guest.id } });
      const [row] = await rowsFor(outcome(res).nonce);
      expect(row?.method).toBe('name_search');
    });

    it('answers unknown_token for an attendee of another event, or none at all', async () => {
      const other = await anOpenEvent(org);
      const stranger = await aGuest(org, other);
      for (const attendeeId of [stranger.id, randomUUID()]) {
        const res = await scan({ attendeeId });
        expect(outcome(res)).toMatchObject({ status: 'unknown_token', attendee: null });
        const [row] = await rowsFor(outcome(res).nonce);
        expect(row?.attendeeId).toBeNull();
      }
    });
  });

  describe('idempotency', () => {
    it('answers a repeated nonce with the first outcome, marked replayed, and stores one row', async () => {
      const guest = await aGuest(org, eventId);
      const nonce = aNonce();
      const first = await scan({ token: guest.secret, nonce });
      sut.clock.advance(5000);
      const again = await scan({ token: guest.secret, nonce, scannedAt: now() });
      expect(first.status).toBe(201);
      expect(again.status).toBe(200);
      expect(outcome(again)).toEqual({ ...outcome(first), replayed: true });
      expect(outcome(again).reason).toBe('first_entry');
      expect(await rowsFor(nonce)).toHaveLength(1);
    });

    it('replays refusals too', async () => {
      const nonce = aNonce();
      const first = await scan({ token: 'not-a-ticket', nonce });
      const again = await scan({ token: 'not-a-ticket', nonce });
      expect(again.status).toBe(200);
      expect(outcome(again)).toEqual({ ...outcome(first), replayed: true });
      expect(await rowsFor(nonce)).toHaveLength(1);
    });

    it('stores one row for 20 concurrent requests with the same nonce, and answers them all alike', async () => {
      const guest = await aGuest(org, eventId);
      const nonce = aNonce();
      const body = { token: guest.secret, nonce, scannedAt: now() };
      const answers = await Promise.all(Array.from({ length: 20 }, () => scan(body)));
      expect(await rowsFor(nonce)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 200)).toHaveLength(19);
      const outcomes = answers.map((a) => ({ ...outcome(a), replayed: undefined }));
      for (const o of outcomes) expect(o).toEqual(outcomes[0]);
      expect(outcomes[0]).toMatchObject({ status: 'ok', reason: 'first_entry' });
    });

    it('lets exactly one of 10 concurrent scans of one guest be the first entry', async () => {
      // Three guests at once, so a race has more than one chance to show.
      const guests = [await aGuest(org, eventId), await aGuest(org, eventId), await aGuest(org, eventId)];
      const answers = await Promise.all(guests.flatMap((g) => Array.from({ length: 10 }, () => scan({ token: g.secret }))));
      for (const guest of guests) {
        const reasons = answers.filter((a) => outcome(a).attendee?.id === guest.id).map((a) => outcome(a).reason).sort();
        expect(reasons).toEqual(['first_entry', ...Array<string>(9).fill('already_present')].sort());
        const rows = await sut.database.db.select().from(checkins).where(eq(checkins.attendeeId, guest.id));
        expect(rows).toHaveLength(10);
        expect(rows.filter((r) => r.effective)).toHaveLength(1);
      }
    });

    it("refuses a nonce already used by another kiosk, without revealing that scan's outcome", async () => {
      const guest = await aGuest(org, eventId);
      const secondKiosk = await aPairedDevice(sut, org, eventId);
      const nonce = aNonce();
      await scan({ token: guest.secret, nonce });
      const res = await scan({ token: guest.secret, nonce }, { token: secondKiosk.token });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('conflict');
      expect(JSON.stringify(res.body)).not.toContain(guest.id);

      const other = await anOpenEvent(org);
      const otherKiosk = await aPairedDevice(sut, org, other);
      const elsewhere = await scan({ token: 'whatever-text', nonce }, { token: otherKiosk.token, event: other });
      expect(elsewhere.status).toBe(409);
      expect(elsewhere.body.error.code).toBe('conflict');
      expect(await rowsFor(nonce)).toHaveLength(1);
    });
  });

  describe('offline uploads', () => {
    it('records a scan made hours ago with its own time, and the time it arrived', async () => {
      const guest = await aGuest(org, eventId);
      const scannedAt = minutesAgo(180);
      const res = await scan({ token: guest.secret, scannedAt });
      expect(res.status).toBe(201);
      expect(outcome(res)).toMatchObject({ status: 'ok', reason: 'first_entry', flagged: false, scannedAt, receivedAt: now() });
      const [row] = await rowsFor(outcome(res).nonce);
      expect(row?.scannedAt.toISOString()).toBe(scannedAt);
      expect(row?.receivedAt.toISOString()).toBe(now());
    });

    it('judges a late scan by the log as it stood then, and flags it when it disagrees', async () => {
      const guest = await aGuest(org, eventId);
      // Online: in 60 minutes ago, out 20 minutes ago.
      await scan({ token: guest.secret, scannedAt: minutesAgo(60) });
      await scan({ token: guest.secret, type: 'exit', scannedAt: minutesAgo(20) });
      // An offline kiosk uploads an entry it scanned 40 minutes ago, while the log says present.
      const late = await scan({ token: guest.secret, scannedAt: minutesAgo(40) });
      expect(late.status).toBe(200);
      expect(outcome(late)).toMatchObject({ status: 'already_checked_in', reason: 'already_present', flagged: true, scannedAt: minutesAgo(40) });
      // An exit scanned 30 minutes ago: present then, so accepted, but it puts two exits in a row.
      const lateExit = await scan({ token: guest.secret, type: 'exit', scannedAt: minutesAgo(30) });
      expect(lateExit.status).toBe(201);
      expect(outcome(lateExit)).toMatchObject({ status: 'ok', reason: 'exit', flagged: true });
      // Recorded, not dropped; the guest is still out (the latest scan by time is the exit 20 minutes ago).
      const rows = await sut.database.db.select().from(checkins).where(eq(checkins.attendeeId, guest.id));
      expect(rows).toHaveLength(4);
      const stats = await org.get(`/api/events/${eventId}/stats`);
      expect(stats.body.flagged).toBeGreaterThanOrEqual(2);

      const flagged = await org.get(`/api/events/${eventId}/checkins?flagged=true`);
      expect(flagged.status).toBe(200);
      const ids = (flagged.body as CheckinLogEntry[]).map((e) => e.id);
      expect(ids).toEqual(expect.arrayContaining([outcome(late).checkinId, outcome(lateExit).checkinId]));
      expect((flagged.body as CheckinLogEntry[]).every((e) => e.flagged)).toBe(true);
    });

    it('accepts a kiosk clock a little ahead but refuses a scan from the future', async () => {
      const guest = await aGuest(org, eventId);
      const ahead = await scan({ token: guest.secret, scannedAt: new Date(sut.clock() + 2 * 60_000).toISOString() });
      expect(ahead.status).toBe(201);
      const nonce = aNonce();
      const future = await scan({ token: guest.secret, nonce, scannedAt: new Date(sut.clock() + 30 * 60_000).toISOString() });
      expect(future.status).toBe(400);
      expect(future.body.error.code).toBe('validation_failed');
      expect(future.body.error.message).toMatch(/scannedAt is in the future/);
      expect(await rowsFor(nonce)).toHaveLength(0);
    });
  });

  describe('who may scan', () => {
    it("refuses a kiosk on another event's URL with wrong_event, writing nothing", async () => {
      const other = await anOpenEvent(org);
      const guest = await aGuest(org, other);
      const nonce = aNonce();
      const res = await scan({ token: guest.secret, nonce }, { event: other });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('wrong_event');
      expect(await rowsFor(nonce)).toHaveLength(0);
    });

    it('refuses a screen', async () => {
      const screen = await aPairedDevice(sut, org, eventId, 'screen');
      const guest = await aGuest(org, eventId);
      const nonce = aNonce();
      const res = await scan({ token: guest.secret, nonce }, { token: screen.token });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect(await rowsFor(nonce)).toHaveLength(0);
    });

    it('refuses a request without a device token, and an unpaired device', async () => {
      const anon = await request(sut.url).post(`/api/events/${eventId}/checkins`).send({ token: 'x', nonce: aNonce(), scannedAt: now() });
      expect(anon.status).toBe(401);
      expect(anon.body.error.code).toBe('unauthenticated');
      const asOrganiser = await org.post(`/api/events/${eventId}/checkins`, { token: 'x', nonce: aNonce(), scannedAt: now() });
      expect(asOrganiser.status).toBe(401);
      const forgotten = await scan({ token: 'x' }, { token: 'A'.repeat(43) });
      expect(forgotten.status).toBe(401);
      expect(forgotten.body.error.code).toBe('device_unpaired');
    });
  });

  describe('one statement, and what it reads from memory', () => {
    it('lets a ticket scanned at 32 kiosks at once in once; the other 31 hear it is already in', async () => {
      const kiosks = [];
      for (let i = 0; i < 32; i++) kiosks.push(await aPairedDevice(sut, org, eventId));
      const guest = await aGuest(org, eventId, { name: 'Rui Lopes' });
      const answers = await Promise.all(kiosks.map((k) => scan({ token: guest.secret }, { token: k.token })));
      const seen = answers.map((a) => `${a.status} ${outcome(a).status} ${outcome(a).reason}`).sort();
      expect(seen).toEqual([...Array<string>(31).fill('200 already_checked_in already_present'), '201 ok first_entry'].sort());
      for (const a of answers) expect(outcome(a).message).toContain('Rui');
      const rows = await sut.database.db.select().from(checkins).where(eq(checkins.attendeeId, guest.id));
      expect(rows).toHaveLength(32);
      expect(rows.filter((r) => r.effective)).toHaveLength(1);
    });

    it('takes a kiosk made unattended, a close and an unpairing into account from the very next scan', async () => {
      const event = await anOpenEvent(org);
      const k = await aPairedDevice(sut, org, event);
      const at = (body: Record<string, unknown>) => scan(body, { token: k.token, event });
      const device = () => request(sut.url).get('/api/device').set('authorization', `Bearer ${k.token}`);
      // The kiosk's device and its event are in memory now.
      expect(outcome(await at({ token: (await aGuest(org, event)).secret })).status).toBe('ok');
      expect((await device()).body.event.status).toBe('open');

      expect((await org.patch(`/api/events/${event}/devices/${k.deviceId}`, { staffed: true })).status).toBe(200);
      expect(outcome(await at({ attendeeId: (await aGuest(org, event)).id })).status).toBe('ok');
      expect((await org.patch(`/api/events/${event}/devices/${k.deviceId}`, { staffed: false })).status).toBe(200);
      expect(outcome(await at({ attendeeId: (await aGuest(org, event)).id })).status).toBe('confirmation_required');

      const later = await aGuest(org, event);
      expect((await org.patch(`/api/events/${event}`, { status: 'closed' })).status).toBe(200);
      expect(outcome(await at({ token: later.secret }))).toMatchObject({ status: 'event_closed', attendee: null });
      expect((await device()).body.event.status).toBe('closed');

      expect((await org.delete(`/api/events/${event}/devices/${k.deviceId}`)).status).toBe(204);
      const gone = await at({ token: later.secret });
      expect(gone.status).toBe(401);
      expect(gone.body.error.code).toBe('device_unpaired');
    });
  });

  describe('bad requests', () => {
    it('answers malformed JSON with malformed_json', async () => {
      const res = await request(sut.url)
        .post(`/api/events/${eventId}/checkins`)
        .set('authorization', `Bearer ${kiosk.token}`)
        .set('content-type', 'application/json')
        .send('{"token": "abc", "nonce":');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('malformed_json');
    });

    it.each([
      ['a number as nonce', { token: 'abc', nonce: 12345678 }],
      ['an unknown type', { token: 'abc', type: 'sideways' }],
      ['a nonce too short', { token: 'abc', nonce: 'short' }],
      ['no time', { token: 'abc', scannedAt: undefined }],
      ['a time that is no time', { token: 'abc', scannedAt: 'yesterday' }],
      ['both a token and an attendee', { token: 'abc', attendeeId: randomUUID() }],
      ['neither a token nor an attendee', {}],
      ['an attendee id that is not an id', { attendeeId: 'bob' }],
    ])('answers %s with validation_failed', async (_label, body) => {
      const res = await scan(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    });
  });

  describe('the log', () => {
    it('lists scans newest first with who was scanned and by which kiosk, for organisers only', async () => {
      const guest = await aGuest(org, eventId, { name: 'Log Person' });
      sut.clock.advance(60_000);
      const first = await scan({ token: guest.secret });
      sut.clock.advance(1000);
      const second = await scan({ token: guest.secret, type: 'exit', scannedAt: now() });
      const res = await org.get(`/api/events/${eventId}/checkins?limit=2`);
      expect(res.status).toBe(200);
      const log = res.body as CheckinLogEntry[];
      expect(log.map((e) => e.id)).toEqual([outcome(second).checkinId, outcome(first).checkinId]);
      expect(log[0]).toMatchObject({ attendeeId: guest.id, attendeeName: 'Log Person', deviceName: expect.stringMatching(/^kiosk/), type: 'exit', status: 'ok', reason: 'exit' });

      const byKiosk = await request(sut.url).get(`/api/events/${eventId}/checkins`).set('authorization', `Bearer ${kiosk.token}`);
      expect(byKiosk.status).toBe(401);
    });
  });

  describe('realtime', () => {
    it("tells the event's organisers about each scan, and nobody subscribed to another event", async () => {
      const other = await anOpenEvent(org);
      const watching = await aSocket(sut, { cookie: org.cookie });
      const elsewhere = await aSocket(sut, { cookie: org.cookie });
      const sockets: ClientSocket[] = [watching, elsewhere];
      try {
        const sub = (s: ClientSocket, id: string) => new Promise<unknown>((resolve) => s.emit('event:subscribe', { eventId: id }, resolve));
        expect(await sub(watching, eventId)).toMatchObject({ ok: true });
        expect(await sub(elsewhere, other)).toMatchObject({ ok: true });
        const strays: CheckinCreated[] = [];
        elsewhere.on('checkin:created', (p) => strays.push(p));
        const received = new Promise<CheckinCreated>((resolve) => watching.once('checkin:created', resolve));

        const guest = await aGuest(org, eventId);
        const res = await scan({ token: guest.secret });
        const payload = await received;
        expect(payload).toMatchObject({ eventId, checkinId: outcome(res).checkinId, attendeeId: guest.id, type: 'entry', status: 'ok' });
        // Give a stray broadcast the time to arrive before concluding there is none.
        await new Promise((r) => setTimeout(r, 200));
        expect(strays).toEqual([]);
      } finally {
        for (const s of sockets) s.close();
      }
    });
  });
});
