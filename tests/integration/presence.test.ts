import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CheckinLogEntry, CheckinOutcome, DashboardSnapshot, Device, EventStats, GuestListEntry, IntentBody, PairResult, SuggestionsChanged } from '@edgewise/shared';
import { aNonce, anOrganiser, type Organiser } from '../fixtures/builders';
import { aKioskRoom, bearer, nextChange, sync } from '../fixtures/room';
import { aSocket, dbKinds, request, startServer, type ClientSocket, type TestServer } from '../fixtures/server';

/**
 * Presence that is true: whoever leaves (an exit-mode kiosk, an organiser's check-out, the
 * guest's own "I'm heading out", the event's close) or goes quiet for the event's "away
 * after" minutes leaves every list at once, and the counts follow.
 */
describe.each(dbKinds)('presence (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    sut = await startServer(kind, { limits: { pairPerWindow: 1000 } });
    org = await anOrganiser(sut);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await sut?.close();
  });

  const investor: Partial<IntentBody> = { seeks: ['Design'], offers: ['Investors'], interests: ['Climate'] };
  const designer: Partial<IntentBody> = { seeks: ['Investors'], offers: ['Design'], interests: ['Climate'] };

  /** Ana and Ben in, each with their phone, each in the other's list. */
  async function aPairInTheRoom(settings: Record<string, unknown> = {}) {
    const room = await aKioskRoom(sut, org, sockets, { settings });
    const ana = await room.arrive('Ana Sousa', designer);
    const ben = await room.arrive('Ben Okafor', investor);
    await sut.matching.settled();
    expect((await sync(ana.socket)).suggestions.map((s) => s.person.id)).toEqual([ben.id]);
    expect((await sync(ben.socket)).suggestions.map((s) => s.person.id)).toEqual([ana.id]);
    return { ...room, ana, ben };
  }

  const without = (id: string) => (p: SuggestionsChanged) => !p.suggestions.some((s) => s.person.id === id);
  const with_ = (id: string) => (p: SuggestionsChanged) => p.suggestions.some((s) => s.person.id === id);

  async function stats(eventId: string) {
    const res = await org.get(`/api/events/${eventId}/stats`);
    expect(res.status).toBe(200);
    return res.body as EventStats;
  }
  async function counts(eventId: string) {
    const res = await org.get(`/api/events/${eventId}/dashboard`);
    expect(res.status).toBe(200);
    return (res.body as DashboardSnapshot).counts;
  }
  async function presenceOf(eventId: string, attendeeId: string) {
    const res = await org.get(`/api/events/${eventId}/attendees`);
    expect(res.status).toBe(200);
    return (res.body as GuestListEntry[]).find((g) => g.id === attendeeId)?.presence;
  }
  async function log(eventId: string) {
    return (await org.get(`/api/events/${eventId}/checkins`)).body as CheckinLogEntry[];
  }

  /** Closes a guest's phone and waits until the server has let its socket go. */
  async function phoneGone(guest: { id: string; socket: ClientSocket }) {
    guest.socket.close();
    await vi.waitFor(async () => expect(await sut.io.in(`attendee:${guest.id}`).fetchSockets()).toHaveLength(0));
  }

  async function aKiosk(eventId: string, mode?: 'entry' | 'exit' | 'both') {
    const code = await org.post(`/api/events/${eventId}/pairing-codes`, { kind: 'kiosk', name: `Door ${mode ?? 'entry'}` });
    expect(code.status).toBe(201);
    const paired = await request(sut.url)
      .post('/api/devices/pair')
      .send({ code: (code.body as { code: string }).code, ...(mode && { mode }) });
    expect(paired.status).toBe(200);
    return paired.body as PairResult;
  }

  it('an exit-mode kiosk records exits: the guest leaves every list, and present and left follow', async () => {
    const room = await aPairInTheRoom();
    const exitKiosk = await aKiosk(room.eventId, 'exit');
    expect(exitKiosk.device.mode).toBe('exit');
    const atExit = bearer(sut, exitKiosk.token);
    expect(((await atExit.get('/api/device')).body as { device: Device }).device.mode).toBe('exit');

    const gone = nextChange(room.ana.socket, without(room.ben.id), 1000);
    sut.clock.advance(1000);
    const res = await atExit.post(`/api/events/${room.eventId}/checkins`, { token: room.ben.secret, type: 'exit', nonce: aNonce(), scannedAt: new Date(sut.clock()).toISOString() });
    expect(res.status).toBe(201);
    expect(res.body as CheckinOutcome).toMatchObject({ status: 'ok', reason: 'exit', message: 'Goodbye, Ben. Thanks for coming!' });
    expect((await gone).suggestions).toEqual([]);
    await sut.matching.settled();
    expect((await sync(room.ben.socket)).suggestions).toEqual([]);

    expect(await stats(room.eventId)).toMatchObject({ checkedIn: 2, present: 1, away: 0, left: 1 });
    expect(await counts(room.eventId)).toMatchObject({ presentNow: 1, awayNow: 0, leftNow: 1 });
    expect(await presenceOf(room.eventId, room.ben.id)).toBe('left');
  });

  it("the dashboard sets a kiosk's mode, and the kiosk hears of it at once", async () => {
    const room = await aKioskRoom(sut, org, sockets);
    const kiosk = await aKiosk(room.eventId);
    expect(kiosk.device.mode).toBe('entry');
    const socket = await aSocket(sut, { token: kiosk.token });
    sockets.push(socket);
    const told = new Promise<Device>((resolve) => socket.once('device:updated', resolve));

    const res = await org.patch(`/api/events/${room.eventId}/devices/${kiosk.device.id}`, { mode: 'both' });
    expect(res.status).toBe(200);
    expect(res.body as Device).toMatchObject({ mode: 'both', staffed: false });
    expect(await told).toMatchObject({ id: kiosk.device.id, mode: 'both' });
    expect(((await bearer(sut, kiosk.token).get('/api/device')).body as { device: Device }).device.mode).toBe('both');
    expect((await org.patch(`/api/events/${room.eventId}/devices/${kiosk.device.id}`, { mode: 'sideways' })).status).toBe(400);
    expect((await org.patch(`/api/events/${room.eventId}/devices/${kiosk.device.id}`, {})).status).toBe(400);
  });

  it('an organiser checks a guest out and in again from the guest list, and the log says who', async () => {
    const room = await aPairInTheRoom();
    const gone = nextChange(room.ana.socket, without(room.ben.id), 1000);
    sut.clock.advance(1000);
    const out = await org.post(`/api/events/${room.eventId}/attendees/${room.ben.id}/presence`, { type: 'exit' });
    expect(out.status).toBe(201);
    expect(out.body as CheckinOutcome).toMatchObject({ status: 'ok', reason: 'exit', type: 'exit' });
    await gone;
    expect(await stats(room.eventId)).toMatchObject({ present: 1, left: 1 });
    expect(await presenceOf(room.eventId, room.ben.id)).toBe('left');
    expect((await log(room.eventId))[0]).toMatchObject({ attendeeId: room.ben.id, type: 'exit', method: 'organiser', organiserName: 'Olga Organiser', deviceName: null });

    // Out already: a second check-out is refused as a scan would be, and changes nothing.
    const again = await org.post(`/api/events/${room.eventId}/attendees/${room.ben.id}/presence`, { type: 'exit' });
    expect(again.status).toBe(200);
    expect(again.body as CheckinOutcome).toMatchObject({ status: 'not_checked_in' });

    const back = nextChange(room.ana.socket, with_(room.ben.id), 1000);
    sut.clock.advance(1000);
    const inAgain = await org.post(`/api/events/${room.eventId}/attendees/${room.ben.id}/presence`, { type: 'entry' });
    expect(inAgain.body as CheckinOutcome).toMatchObject({ status: 'ok', reason: 're_entry' });
    await back;
    expect(await stats(room.eventId)).toMatchObject({ present: 2, left: 0 });
  });

  it("\"I'm heading out\" on /me takes the guest out of every list at once; a scan brings them back", async () => {
    const room = await aPairInTheRoom();
    const gone = nextChange(room.ana.socket, without(room.ben.id), 1000);
    const mine = nextChange(room.ben.socket, (p) => p.suggestions.length === 0, 1000);
    sut.clock.advance(1000);
    const res = await bearer(sut, room.ben.token).post('/api/me/exit');
    expect(res.status).toBe(200);
    expect(res.body as CheckinOutcome).toMatchObject({ status: 'ok', reason: 'exit' });
    await Promise.all([gone, mine]);
    expect(await counts(room.eventId)).toMatchObject({ presentNow: 1, leftNow: 1 });
    expect((await log(room.eventId))[0]).toMatchObject({ method: 'self', type: 'exit', organiserName: null });

    const back = nextChange(room.ana.socket, with_(room.ben.id), 1000);
    await room.checkIn(room.ben);
    await back;
    expect(await counts(room.eventId)).toMatchObject({ presentNow: 2, leftNow: 0 });
  });

  it('closing the event checks everyone out and empties every list', async () => {
    const room = await aPairInTheRoom();
    const anaEmpty = nextChange(room.ana.socket, (p) => p.suggestions.length === 0, 1000);
    const benEmpty = nextChange(room.ben.socket, (p) => p.suggestions.length === 0, 1000);
    sut.clock.advance(1000);
    expect((await org.patch(`/api/events/${room.eventId}`, { status: 'closed' })).status).toBe(200);
    await Promise.all([anaEmpty, benEmpty]);

    expect(await stats(room.eventId)).toMatchObject({ checkedIn: 2, present: 0, away: 0, left: 2 });
    expect(await counts(room.eventId)).toMatchObject({ presentNow: 0, leftNow: 2 });
    const closing = (await log(room.eventId)).filter((e) => e.method === 'event_close');
    expect(closing.map((e) => e.attendeeId).sort()).toEqual([room.ana.id, room.ben.id].sort());
    expect(closing.every((e) => e.type === 'exit' && e.status === 'ok')).toBe(true);
  });

  it('someone without a sign for the "away after" minutes is away, out of every list, and back with a scan or their phone', async () => {
    const room = await aPairInTheRoom({ awayAfterMinutes: 10 });
    // Ben's phone goes quiet; Ana's stays open, which is a sign of its own.
    await phoneGone(room.ben);
    sut.clock.advance(9 * 60_000);
    await sut.matching.sweepAway(room.eventId);
    expect(await stats(room.eventId)).toMatchObject({ present: 2, away: 0 });

    const gone = nextChange(room.ana.socket, without(room.ben.id), 1000);
    sut.clock.advance(2 * 60_000);
    await sut.matching.sweepAway(room.eventId);
    await gone;
    expect(await stats(room.eventId)).toMatchObject({ present: 1, away: 1, left: 0 });
    expect(await counts(room.eventId)).toMatchObject({ presentNow: 1, awayNow: 1, leftNow: 0 });
    expect(await presenceOf(room.eventId, room.ben.id)).toBe('away');
    expect(await presenceOf(room.eventId, room.ana.id)).toBe('present');

    // A scan at the door is a sign: "already in", and back in Ana's list at once.
    const back = nextChange(room.ana.socket, with_(room.ben.id), 1000);
    sut.clock.advance(1000);
    const scan = await room.atKiosk.post(`/api/events/${room.eventId}/checkins`, { token: room.ben.secret, type: 'entry', nonce: aNonce(), scannedAt: new Date(sut.clock()).toISOString() });
    expect((scan.body as CheckinOutcome).status).toBe('already_checked_in');
    await back;
    expect(await stats(room.eventId)).toMatchObject({ present: 2, away: 0 });

    // Away again; opening their page on the phone brings them back too.
    const goneAgain = nextChange(room.ana.socket, without(room.ben.id), 1000);
    sut.clock.advance(11 * 60_000);
    await sut.matching.sweepAway(room.eventId);
    await goneAgain;
    expect(await presenceOf(room.eventId, room.ben.id)).toBe('away');
    const backAgain = nextChange(room.ana.socket, with_(room.ben.id), 1000);
    sockets.push(await aSocket(sut, { attendeeToken: room.ben.token }));
    await backAgain;
    expect(await presenceOf(room.eventId, room.ben.id)).toBe('present');
    expect(await counts(room.eventId)).toMatchObject({ presentNow: 2, awayNow: 0 });
  });

  it('"away after" is off by default and accepts whole minutes from 5', async () => {
    const room = await aPairInTheRoom();
    await phoneGone(room.ben);
    sut.clock.advance(120 * 60_000);
    await sut.matching.sweepAway(room.eventId);
    expect(await stats(room.eventId)).toMatchObject({ present: 2, away: 0 });
    expect((await org.patch(`/api/events/${room.eventId}`, { settings: { awayAfterMinutes: 2 } })).status).toBe(400);
    const set = await org.patch(`/api/events/${room.eventId}`, { settings: { awayAfterMinutes: 30 } });
    expect(set.status).toBe(200);
    expect((set.body as { settings: { awayAfterMinutes: number | null } }).settings.awayAfterMinutes).toBe(30);
  });
});
