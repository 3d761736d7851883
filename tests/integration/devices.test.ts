import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkins, devices, pairingCodes } from '@edgewise/db';
import { pairingAlphabet } from '@edgewise/shared';
import { anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { aSocket, dbKinds, request, startServer, type TestServer } from '../fixtures/server';

describe.each(dbKinds)('devices (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;
  let eventId: string;
  let otherEventId: string;

  beforeAll(async () => {
    // As behind a balancer on this machine: X-Forwarded-For gives each caller its own address.
    sut = await startServer(kind, { limits: { pairPerWindow: 30 }, trustProxy: 'loopback' });
    org = await anOrganiser(sut);
    eventId = await anOpenEvent(org, { name: 'Harbour Meetup' });
    otherEventId = await anOpenEvent(org);
  });
  afterAll(async () => {
    await sut?.close();
  });

  const aCode = async (event = eventId, body: { kind: 'kiosk' | 'screen'; name: string } = { kind: 'kiosk', name: 'Front door' }) => {
    const res = await org.post(`/api/events/${event}/pairing-codes`, body);
    expect(res.status).toBe(201);
    return res.body as { code: string; kind: string; name: string; expiresAt: string };
  };
  // Each caller gets its own address, so the pairing limit only bites where a test wants it.
  let ipSeq = 0;
  const pair = (code: string, ip = `198.51.100.${++ipSeq % 250}`) => request(sut.url).post('/api/devices/pair').set('x-forwarded-for', ip).send({ code });

  describe('pairing codes', () => {
    it('are six characters from the unambiguous alphabet, valid for ten minutes', async () => {
      const code = await aCode(eventId, { kind: 'screen', name: 'Big screen' });
      expect(code.code).toHaveLength(6);
      for (const ch of code.code) expect(pairingAlphabet).toContain(ch);
      expect(code).toMatchObject({ kind: 'screen', name: 'Big screen' });
      expect(Date.parse(code.expiresAt) - sut.clock()).toBe(10 * 60_000);
    });

    it('need an organiser and an existing event', async () => {
      const anon = await request(sut.url).post(`/api/events/${eventId}/pairing-codes`).send({ kind: 'kiosk', name: 'x' });
      expect(anon.status).toBe(401);
      const missing = await org.post(`/api/events/${randomUUID()}/pairing-codes`, { kind: 'kiosk', name: 'x' });
      expect(missing.status).toBe(404);
      const bad = await org.post(`/api/events/${eventId}/pairing-codes`, { kind: 'toaster', name: 'x' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('validation_failed');
    });
  });

  describe('pairing', () => {
    it('pairs a device once and gives it a token, its details and its event', async () => {
      const code = await aCode();
      const res = await pair(code.code);
      expect(res.status).toBe(200);
      expect(res.body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect(res.body.device).toMatchObject({ eventId, kind: 'kiosk', name: 'Front door', lastSeenAt: expect.any(String) });
      expect(res.body.event).toMatchObject({ id: eventId, name: 'Harbour Meetup', status: 'open' });
      expect(res.body.event.settings.topics.length).toBeGreaterThan(0);
      // A kiosk learns nothing it does not need about the event (its languages: the guest chooses among them).
      expect(Object.keys(res.body.event).sort()).toEqual(['defaultLanguage', 'endsAt', 'id', 'languages', 'name', 'settings', 'startsAt', 'status', 'timeZone']);

      const [stored] = await sut.database.db.select().from(devices).where(eq(devices.id, res.body.device.id));
      expect(stored?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored?.tokenHash).not.toBe(res.body.token);

      const again = await pair(code.code);
      expect(again.status).toBe(404);
      expect(again.body.error.code).toBe('pairing_code_invalid');
    });

    it('accepts a code typed in lower case with a dash or spaces', async () => {
      const { code } = await aCode();
      const typed = `${code.slice(0, 3).toLowerCase()}-${code.slice(3).toLowerCase()} `;
      expect((await pair(typed)).status).toBe(200);
    });

    it('pairs exactly one device when several race with the same code', async () => {
      const { code } = await aCode();
      const before = (await sut.database.db.select({ n: count() }).from(devices))[0]?.n ?? 0;
      const results = await Promise.all(Array.from({ length: 5 }, () => pair(code)));
      expect(results.map((r) => r.status).sort()).toEqual([200, 404, 404, 404, 404]);
      const after = (await sut.database.db.select({ n: count() }).from(devices))[0]?.n ?? 0;
      expect(after).toBe(before + 1);
    });

    it('refuses an expired code and an unknown one', async () => {
      const { code } = await aCode();
      sut.clock.advance(10 * 60_000 + 1);
      const expired = await pair(code);
      expect(expired.status).toBe(404);
      expect(expired.body.error.code).toBe('pairing_code_invalid');
      const [row] = await sut.database.db.select().from(pairingCodes).where(eq(pairingCodes.code, code));
      expect(row?.usedAt).toBeNull();

      const unknownCode = [...'ZZZZZZ'].join('') === code ? 'YYYYYY' : 'ZZZZZZ';
      expect((await pair(unknownCode)).status).toBe(404);
    });

    it('refuses text that is not a code with 400', async () => {
      const res = await pair('O0I1L!');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    });

    it('throttles code guessing per address, then lets the address try again after the window', async () => {
      const ip = '203.0.113.7';
      const { code } = await aCode();
      for (let i = 0; i < 30; i++) expect((await pair('ZZZZZ2', ip)).status).toBe(404);
      const limited = await pair(code, ip);
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe('rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

      // Another address is not held back by this one's guesses.
      const fresh = await aCode();
      expect((await pair(fresh.code, '203.0.113.8')).status).toBe(200);

      sut.clock.advance(15 * 60_000);
      const later = await aCode();
      expect((await pair(later.code, ip)).status).toBe(200);
    });
  });

  describe('a paired device', () => {
    it('checks at boot that it is still paired, and sees its own event', async () => {
      const device = await aPairedDevice(sut, org, eventId);
      const res = await request(sut.url).get('/api/device').set('authorization', `Bearer ${device.token}`);
      expect(res.status).toBe(200);
      expect(res.body.device).toMatchObject({ id: device.deviceId, eventId, kind: 'kiosk' });
      expect(res.body.event.id).toBe(eventId);
      expect(res.body.event.id).not.toBe(otherEventId);

      expect((await request(sut.url).get('/api/device')).status).toBe(401);
      const wrongToken = await request(sut.url).get('/api/device').set('authorization', `Bearer ${'x'.repeat(43)}`);
      expect(wrongToken.status).toBe(401);
      expect(wrongToken.body.error.code).toBe('device_unpaired');
    });

    it('cannot use organiser endpoints, of its own event or another', async () => {
      const device = await aPairedDevice(sut, org, eventId);
      for (const path of [`/api/events/${eventId}/devices`, `/api/events/${otherEventId}/devices`, `/api/events/${otherEventId}`, '/api/events']) {
        const res = await request(sut.url).get(path).set('authorization', `Bearer ${device.token}`);
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('unauthenticated');
      }
      const code = await request(sut.url)
        .post(`/api/events/${eventId}/pairing-codes`)
        .set('authorization', `Bearer ${device.token}`)
        .send({ kind: 'kiosk', name: 'sneaky' });
      expect(code.status).toBe(401);
    });

    it("is refused with 403 wrong_event on another event's URL, and nothing is recorded there", async () => {
      const device = await aPairedDevice(sut, org, eventId);
      const res = await request(sut.url)
        .post(`/api/events/${otherEventId}/checkins`)
        .set('authorization', `Bearer ${device.token}`)
        .send({ token: 'A'.repeat(24), nonce: `wrong-event-${randomUUID()}`, type: 'entry', scannedAt: new Date(sut.clock()).toISOString() });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('wrong_event');
      const logged = await sut.database.db.select({ n: count() }).from(checkins).where(eq(checkins.eventId, otherEventId));
      expect(logged[0]?.n).toBe(0);
    });
  });

  describe('listing and unpairing', () => {
    it('lists the paired devices of one event only', async () => {
      const event = await anOpenEvent(org);
      const kiosk = await aPairedDevice(sut, org, event, 'kiosk');
      const screen = await aPairedDevice(sut, org, event, 'screen');
      await aPairedDevice(sut, org, otherEventId);
      const res = await org.get(`/api/events/${event}/devices`);
      expect(res.status).toBe(200);
      expect((res.body as { id: string }[]).map((d) => d.id).sort()).toEqual([kiosk.deviceId, screen.deviceId].sort());
      expect(res.body).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: screen.deviceId, kind: 'screen', eventId: event, pairedAt: expect.any(String) })]),
      );
      expect((await org.get(`/api/events/${randomUUID()}/devices`)).status).toBe(404);
    });

    it('unpairing stops the token at once, over HTTP and on its socket', async () => {
      const event = await anOpenEvent(org);
      const kiosk = await aPairedDevice(sut, org, event);
      const keeper = await aPairedDevice(sut, org, event);
      const socket = await aSocket(sut, { token: kiosk.token });
      const dropped = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

      const res = await org.delete(`/api/events/${event}/devices/${kiosk.deviceId}`);
      expect(res.status).toBe(204);
      expect(await dropped).toBe('io server disconnect');

      const boot = await request(sut.url).get('/api/device').set('authorization', `Bearer ${kiosk.token}`);
      expect(boot.status).toBe(401);
      expect(boot.body.error.code).toBe('device_unpaired');
      await expect(aSocket(sut, { token: kiosk.token })).rejects.toThrow();

      const list = await org.get(`/api/events/${event}/devices`);
      expect((list.body as { id: string }[]).map((d) => d.id)).toEqual([keeper.deviceId]);
      expect((await request(sut.url).get('/api/device').set('authorization', `Bearer ${keeper.token}`)).status).toBe(200);

      const twice = await org.delete(`/api/events/${event}/devices/${kiosk.deviceId}`);
      expect(twice.status).toBe(404);
    });

    it('does not unpair a device through another event, nor without the CSRF token', async () => {
      const kiosk = await aPairedDevice(sut, org, eventId);
      const crossed = await org.delete(`/api/events/${otherEventId}/devices/${kiosk.deviceId}`);
      expect(crossed.status).toBe(404);
      const noCsrf = await org.agent.delete(`/api/events/${eventId}/devices/${kiosk.deviceId}`);
      expect(noCsrf.status).toBe(403);
      expect((await request(sut.url).get('/api/device').set('authorization', `Bearer ${kiosk.token}`)).status).toBe(200);
    });
  });
});
