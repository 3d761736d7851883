import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticketDigester, type CheckinList, type CheckinLogEntry, type CheckinOutcome } from '@edgewise/shared';
import { aGuest, aNonce, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { dbKinds, request, startServer, type TestServer } from '../fixtures/server';

/**
 * Two doors, one ticket, both kiosks offline: whichever kiosk uploads first, the log ends
 * the same. The earlier scan is the entry, the later one "already checked in", flagged for
 * the organiser (a copied ticket is the usual cause).
 */
describe.each(dbKinds)('offline uploads in any order (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;
  let eventId: string;
  let north: { token: string; deviceId: string };
  let south: { token: string; deviceId: string };

  beforeAll(async () => {
    sut = await startServer(kind, { limits: { pairPerWindow: 1000 } });
    org = await anOrganiser(sut);
    eventId = await anOpenEvent(org, { name: 'Two Doors' });
    north = await aPairedDevice(sut, org, eventId);
    south = await aPairedDevice(sut, org, eventId);
  });
  afterAll(async () => {
    await sut?.close();
  });

  const minutesAgo = (m: number) => new Date(sut.clock() - m * 60_000).toISOString();
  const upload = async (kiosk: { token: string }, body: Record<string, unknown>) => {
    const res = await request(sut.url).post(`/api/events/${eventId}/checkins`).set('authorization', `Bearer ${kiosk.token}`).send({ nonce: aNonce(), ...body });
    expect([200, 201]).toContain(res.status);
    return res.body as CheckinOutcome;
  };
  const logOf = async (attendeeId: string) => {
    const res = await org.get(`/api/events/${eventId}/checkins?limit=1000`);
    expect(res.status).toBe(200);
    return (res.body as CheckinLogEntry[])
      .filter((e) => e.attendeeId === attendeeId)
      .sort((a, b) => a.scannedAt.localeCompare(b.scannedAt))
      .map((e) => ({ scannedAt: e.scannedAt, device: e.deviceName, type: e.type, status: e.status, reason: e.reason, flagged: e.flagged }));
  };
  const presenceOf = async (attendeeId: string) => {
    const res = await org.get(`/api/events/${eventId}/attendees`);
    return (res.body as { id: string; presence: string }[]).find((a) => a.id === attendeeId)?.presence;
  };

  /** Scans one guest's ticket at both doors while offline and uploads them in the given order; returns the log. */
  async function twoDoors(order: 'earlier first' | 'later first', type: 'entry' | 'exit' = 'entry', before: Record<string, unknown>[] = []) {
    const guest = await aGuest(org, eventId);
    for (const b of before) await upload(north, { token: guest.secret, ...b });
    const earlier = { kiosk: north, body: { token: guest.secret, type, scannedAt: minutesAgo(30) } };
    const later = { kiosk: south, body: { token: guest.secret, type: 'entry', scannedAt: minutesAgo(20) } };
    const uploads = order === 'earlier first' ? [earlier, later] : [later, earlier];
    sut.clock.advance(1000);
    for (const u of uploads) {
      await upload(u.kiosk, u.body);
      sut.clock.advance(1000);
    }
    return { guest, log: await logOf(guest.id) };
  }

  it('keeps the earlier scan as the entry and flags the later one, whichever door uploads first', async () => {
    const a = await twoDoors('earlier first');
    const b = await twoDoors('later first');
    const expected = [
      { scannedAt: expect.any(String), device: expect.any(String), type: 'entry', status: 'ok', reason: 'first_entry', flagged: false },
      { scannedAt: expect.any(String), device: expect.any(String), type: 'entry', status: 'already_checked_in', reason: 'already_present', flagged: true },
    ];
    expect(a.log).toEqual(expected);
    expect(b.log).toEqual(expected);
    const strip = (log: typeof a.log) => log.map(({ scannedAt: _s, ...rest }) => rest);
    expect(strip(a.log)).toEqual(strip(b.log));
    expect(await presenceOf(a.guest.id)).toBe('present');
    expect(await presenceOf(b.guest.id)).toBe('present');

    // One flag per guest reaches the organiser's list of scans to look at.
    const flagged = await org.get(`/api/events/${eventId}/checkins?flagged=true`);
    const flaggedFor = (id: string) => (flagged.body as CheckinLogEntry[]).filter((e) => e.attendeeId === id);
    expect(flaggedFor(a.guest.id)).toHaveLength(1);
    expect(flaggedFor(b.guest.id)).toHaveLength(1);
  });

  it('answers the later-first upload "ok" at first, then the earlier one takes its place', async () => {
    const guest = await aGuest(org, eventId);
    const later = await upload(south, { token: guest.secret, scannedAt: minutesAgo(20) });
    expect(later).toMatchObject({ status: 'ok', reason: 'first_entry', flagged: false });
    const earlier = await upload(north, { token: guest.secret, scannedAt: minutesAgo(30) });
    expect(earlier).toMatchObject({ status: 'ok', reason: 'first_entry', flagged: false });
    // The kiosk that sent the later scan hears the server's final word by its nonce.
    const again = await upload(south, { token: guest.secret, nonce: later.nonce, scannedAt: later.scannedAt });
    expect(again).toMatchObject({ status: 'already_checked_in', flagged: true, replayed: true });
  });

  it('ends the same after a visit earlier in the evening (re-entry at both doors)', async () => {
    const earlierVisit = [
      { type: 'entry', scannedAt: minutesAgo(90) },
      { type: 'exit', scannedAt: minutesAgo(60) },
    ];
    const a = await twoDoors('earlier first', 'entry', earlierVisit);
    const b = await twoDoors('later first', 'entry', earlierVisit);
    const shape = (log: typeof a.log) => log.map((e) => [e.type, e.status, e.reason, e.flagged]);
    expect(shape(a.log)).toEqual(shape(b.log));
    expect(shape(a.log)).toEqual([
      ['entry', 'ok', 'first_entry', false],
      ['exit', 'ok', 'exit', false],
      ['entry', 'ok', 're_entry', false],
      ['entry', 'already_checked_in', 'already_present', true],
    ]);
  });

  it('does not flag a guest scanned twice at one door that knew of the first scan', async () => {
    const guest = await aGuest(org, eventId);
    await upload(north, { token: guest.secret, scannedAt: minutesAgo(10) });
    sut.clock.advance(1000);
    const second = await upload(north, { token: guest.secret, scannedAt: new Date(sut.clock()).toISOString() });
    expect(second).toMatchObject({ status: 'already_checked_in', flagged: false });
  });

  it("flags a scan the offline kiosk answered otherwise than the server (its list was behind)", async () => {
    const guest = await aGuest(org, eventId);
    const revoked = await org.post(`/api/events/${eventId}/attendees/${guest.id}/ticket/revoke`);
    expect(revoked.status).toBeLessThan(300);
    // The kiosk's list still had the ticket as valid: it let the guest in.
    const late = await upload(south, { token: guest.secret, scannedAt: minutesAgo(5), offlineStatus: 'ok' });
    expect(late).toMatchObject({ status: 'revoked', flagged: true });
    // Where the kiosk and the server agree, nothing is flagged.
    const other = await aGuest(org, eventId);
    expect(await upload(south, { token: other.secret, scannedAt: minutesAgo(4), offlineStatus: 'ok' })).toMatchObject({ status: 'ok', flagged: false });
    expect(await upload(south, { token: 'AAAAAAAAAAAAAAAAAAAAAAAA', scannedAt: minutesAgo(3), offlineStatus: 'unknown_token' })).toMatchObject({ status: 'unknown_token', flagged: false });
  });

  describe('the check-in list a kiosk keeps', () => {
    const listFor = async (kiosk: { token: string }, since?: string) => {
      const res = await request(sut.url)
        .get(`/api/events/${eventId}/kiosk/checkin-list${since ? `?since=${encodeURIComponent(since)}` : ''}`)
        .set('authorization', `Bearer ${kiosk.token}`);
      expect(res.status).toBe(200);
      return { body: res.body as CheckinList, text: res.text };
    };

    it('carries ticket digests keyed per event, first names, revocations and who is in, never a secret', async () => {
      const ana = await aGuest(org, eventId, { name: 'Ana Sousa' });
      const bo = await aGuest(org, eventId, { name: 'Bo Lind' });
      const reissued = await org.post(`/api/events/${eventId}/attendees/${bo.id}/ticket/reissue`);
      expect(reissued.status).toBe(201);
      await upload(north, { token: ana.secret, scannedAt: minutesAgo(5) });

      const { body, text } = await listFor(north);
      expect(body.full).toBe(true);
      expect(text).not.toContain(ana.secret);
      expect(text).not.toContain(bo.secret);
      expect(text).not.toContain('Sousa');
      const digest = await ticketDigester(eventId);
      expect(body.tickets).toContainEqual({ digest: await digest(ana.secret), attendeeId: ana.id, firstName: 'Ana', revoked: false });
      expect(body.tickets).toContainEqual({ digest: await digest(bo.secret), attendeeId: bo.id, firstName: 'Bo', revoked: true });
      expect(body.presence).toContainEqual(expect.objectContaining({ attendeeId: ana.id, type: 'entry', scannedAt: minutesAgo(5) }));
      // Keyed per event: the same secret digests differently for another event.
      expect(await (await ticketDigester(north.deviceId))(ana.secret)).not.toBe(await digest(ana.secret));
    });

    it('sends only what changed after its cursor, and each kiosk only its own flagged scans', async () => {
      // The cursor overlaps the last half minute: what came before it stays out.
      sut.clock.advance(60_000);
      const { body: first } = await listFor(north);
      sut.clock.advance(60_000);
      const cy = await aGuest(org, eventId, { name: 'Cy Moreau' });
      const { body: changes } = await listFor(north, first.cursor);
      expect(changes.full).toBe(false);
      expect(changes.tickets.map((t) => t.attendeeId)).toEqual([cy.id]);
      expect(changes.presence).toEqual([]);

      const { guest } = await twoDoors('earlier first');
      const southFlags = (await listFor(south)).body.flags.filter((f) => f.status === 'already_checked_in');
      expect(southFlags.map((f) => f.firstName)).toContain(guest.name.split(' ')[0]);
      const northFlags = (await listFor(north)).body.flags;
      expect(northFlags.every((f) => !southFlags.some((s) => s.nonce === f.nonce))).toBe(true);
    });
  });
});
