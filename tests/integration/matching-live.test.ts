import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendees, checkins, suggestions } from '@edgewise/db';
import type { Ack, IntentBody, KioskSuggestion, MeSnapshot, SuggestionsChanged } from '@edgewise/shared';
import { aGuest, anIntent, aNonce, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { aKioskRoom, aSignedInPhone } from '../fixtures/room';
import { aDatabase, dbKinds, request, startServer, type ClientSocket, type TestServer } from '../fixtures/server';

type Guest = Awaited<ReturnType<typeof aGuest>>;

/** Every 'suggestions:changed' a socket receives, in order. */
function recorder(socket: ClientSocket) {
  const got: SuggestionsChanged[] = [];
  socket.on('suggestions:changed', (p) => got.push(p));
  return got;
}

/**
 * A round trip on the socket: the server sends in order, so once the ack is back, every
 * push sent before it has arrived too.
 */
function barrier(socket: ClientSocket): Promise<Ack<MeSnapshot>> {
  return new Promise((resolve) => socket.emit('me:sync', {}, resolve));
}

describe.each(dbKinds)('live matching (%s)', (kind) => {
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

  const now = () => new Date(sut.clock()).toISOString();

  /** An open event with its own kiosk. */
  async function aRoom(settings: Record<string, unknown> = {}) {
    const room = await aKioskRoom(sut, org, sockets, { settings });
    /** Checks a guest in at the kiosk and states their intent there, as the kiosk flow does. */
    const arrive = (name: string, intent: Partial<IntentBody>, extra: { firstTime?: boolean; email?: string } = {}) => room.arriveAtKiosk(name, intent, extra);
    const online = async (guest: Guest) => (await aSignedInPhone(sut, sockets, guest)).socket;
    return { eventId: room.eventId, kiosk: room.kiosk, asKiosk: room.atKiosk, scan: room.scan, scanAgain: room.scanAgain, arrive, online };
  }

  /** Whom this attendee's stored list shows now. */
  async function listedFor(attendeeId: string): Promise<string[]> {
    const rows = await sut.database.db
      .select({ targetId: suggestions.targetId })
      .from(suggestions)
      .where(and(eq(suggestions.attendeeId, attendeeId), eq(suggestions.listed, true)));
    return rows.map((r) => r.targetId).sort();
  }

  const rowOf = async (from: string, to: string) => {
    const [row] = await sut.database.db.select().from(suggestions).where(and(eq(suggestions.attendeeId, from), eq(suggestions.targetId, to)));
    return row;
  };

  const investor = { seeks: ['Design'], offers: ['Investors'], interests: ['Climate'] };
  const designer = { seeks: ['Investors'], offers: ['Design'], interests: ['Climate'] };

  it("pushes B to A's room when B checks in and states a matching intent, and to nobody else", async () => {
    const room = await aRoom();
    const ana = await room.arrive('Ana Sousa', designer);
    await sut.matching.settled();
    const bystander = await aGuest(org, room.eventId, { name: 'Carla Bystander' });
    const anaSocket = await room.online(ana);
    const carlaSocket = await room.online(bystander);
    const toAna = recorder(anaSocket);
    const toCarla = recorder(carlaSocket);

    const ben = await room.arrive('Ben Okafor', investor);
    await sut.matching.settled();
    await barrier(anaSocket);
    await barrier(carlaSocket);

    const row = await rowOf(ana.id, ben.id);
    expect(row).toMatchObject({ listed: true, state: 'proposed', eventId: room.eventId });
    expect(row?.reasons.map((r) => r.text)).toEqual(
      expect.arrayContaining(["Ben Okafor says “I invest”: you’re looking for investors", 'Ben Okafor is looking for design help: you said “I design”']),
    );
    expect(await listedFor(ben.id)).toEqual([ana.id]);

    const last = toAna.at(-1);
    expect(last?.attendeeId).toBe(ana.id);
    expect(last?.suggestions.map((s) => s.person.id)).toEqual([ben.id]);
    expect(last?.suggestions[0]?.contact).toBeNull();
    expect(toAna.every((p) => p.attendeeId === ana.id)).toBe(true);
    expect(toCarla).toEqual([]);

    // The kiosk shows Ana the same list when she scans her ticket there again.
    await room.scanAgain(ana);
    const atKiosk = await room.asKiosk.get(`/api/events/${room.eventId}/attendees/${ana.id}/suggestions`);
    expect((atKiosk.body as KioskSuggestion[]).map((s) => s.person.id)).toEqual([ben.id]);
  });

  it("takes someone who leaves out of others' lists and empties their own, keeping the rows as history", async () => {
    const room = await aRoom();
    const ana = await room.arrive('Ana Lima', designer);
    const ben = await room.arrive('Ben Costa', investor);
    await sut.matching.settled();
    expect(await listedFor(ana.id)).toEqual([ben.id]);
    const anaSocket = await room.online(ana);
    const toAna = recorder(anaSocket);

    await room.scan(ben, 'exit');
    await sut.matching.settled();
    await barrier(anaSocket);

    expect(await listedFor(ana.id)).toEqual([]);
    expect(await listedFor(ben.id)).toEqual([]);
    const gone = await rowOf(ana.id, ben.id);
    expect(gone).toMatchObject({ listed: false, state: 'expired' });
    expect(gone?.expiredAt?.toISOString()).toBe(now());
    expect((await rowOf(ben.id, ana.id))?.state).toBe('expired');
    expect(toAna.at(-1)?.suggestions).toEqual([]);

    // Back in: suggested again, on the same row.
    await room.scan(ben, 'entry');
    await sut.matching.settled();
    expect(await listedFor(ana.id)).toEqual([ben.id]);
    expect(await rowOf(ana.id, ben.id)).toMatchObject({ id: gone?.id, listed: true, state: 'proposed', expiredAt: null });
  });

  it('suggests someone to a first-timer who skipped the intent step, and says why: the role they share', async () => {
    const room = await aRoom();
    // Both guests have the builders' role ("Designer"); Gil said nothing of what he looks for or offers.
    const gil = await room.arrive('Gil Newcomer', { seeks: [], offers: [], interests: [] }, { firstTime: true });
    const hana = await room.arrive('Hana Other', { seeks: ['hiring'], offers: ['design'], interests: ['Security'] });
    await sut.matching.settled();
    expect(await listedFor(gil.id)).toEqual([hana.id]);
    const row = await rowOf(gil.id, hana.id);
    expect(row?.reasons.map((r) => r.text)).toEqual(['Same role as you: Designer']);
  });

  it('gives a first-timer alone with one other person a suggestion, even with nothing in common', async () => {
    const room = await aRoom();
    const first = await room.arrive('Fatima Newcomer', { seeks: ['Mentoring'], offers: ['Sales'], interests: ['Health'] }, { firstTime: true });
    await sut.matching.settled();
    expect(await listedFor(first.id)).toEqual([]);

    const other = await room.arrive('Oscar Other', { seeks: ['Hiring'], offers: ['Engineering'], interests: ['Security'] });
    await sut.matching.settled();
    expect(await listedFor(first.id)).toEqual([other.id]);
    const row = await rowOf(first.id, other.id);
    expect(row?.reasons.map((r) => r.text)).toEqual(['Oscar Other is here now: start with a hello']);
  });

  it('never suggests a declined pair again, through exits, returns and global passes', async () => {
    const room = await aRoom();
    const ana = await room.arrive('Ana Declines', designer);
    const ben = await room.arrive('Ben Declined', investor);
    await sut.matching.settled();
    const anaSocket = await room.online(ana);
    const own = await rowOf(ana.id, ben.id);
    const ack = await new Promise<Ack<unknown>>((resolve) => anaSocket.emit('suggestion:answer', { suggestionId: own!.id, answer: 'no' }, resolve));
    expect(ack.ok).toBe(true);
    await sut.matching.settled();
    expect(await listedFor(ana.id)).toEqual([]);
    expect(await listedFor(ben.id)).toEqual([]);
    expect((await rowOf(ana.id, ben.id))?.state).toBe('declined');

    await room.scan(ben, 'exit');
    await room.scan(ben, 'entry');
    await sut.matching.runGlobalPass(room.eventId);
    expect(await listedFor(ana.id)).toEqual([]);

    const cleo = await room.arrive('Cleo Third', investor);
    await sut.matching.runGlobalPass(room.eventId);
    expect(await listedFor(ana.id)).toEqual([cleo.id]);
    expect(await listedFor(ben.id)).toEqual([cleo.id]);
    expect((await rowOf(ana.id, ben.id))?.state).toBe('declined');
  });

  it('keeps people who opted out out of every list, including ones they were already in', async () => {
    const room = await aRoom();
    const ana = await room.arrive('Ana Stays', designer);
    const dan = await room.arrive('Dan Leaves Matching', investor);
    await sut.matching.settled();
    expect(await listedFor(ana.id)).toEqual([dan.id]);

    const danSocket = await room.online(dan);
    const ack = await new Promise<Ack<unknown>>((resolve) => danSocket.emit('matching:opt-out', { optOut: true }, resolve));
    expect(ack.ok).toBe(true);
    await sut.matching.settled();
    expect(await listedFor(ana.id)).toEqual([]);
    expect(await listedFor(dan.id)).toEqual([]);

    // Opted out in the guest list before arriving: never listed.
    const eve = await aGuest(org, room.eventId, { name: 'Eve Optout' });
    await sut.database.db.update(attendees).set({ matchingOptOut: true }).where(eq(attendees.id, eve.id));
    await room.scan(eve, 'entry');
    await room.asKiosk.put(`/api/events/${room.eventId}/attendees/${eve.id}/intent`, anIntent(investor));
    await sut.matching.runGlobalPass(room.eventId);
    expect(await listedFor(ana.id)).toEqual([]);
    expect(await listedFor(eve.id)).toEqual([]);
  });

  it('applies a burst of check-ins in a few batches and lists everyone, the hooks answering at once', async () => {
    const room = await aRoom();
    const guests = await Promise.all(Array.from({ length: 20 }, (_, i) => aGuest(org, room.eventId, { name: `Burst Guest ${i}` })));
    for (const [i, g] of guests.entries()) {
      expect((await org.put(`/api/events/${room.eventId}/attendees/${g.id}/intent`, anIntent(i % 2 ? investor : designer))).status).toBe(200);
    }
    const started = performance.now();
    await Promise.all(guests.map((g) => room.scan(g, 'entry')));
    const scansMs = performance.now() - started;
    await sut.matching.settled();
    for (const g of guests) expect((await listedFor(g.id)).length).toBe(3);
    // Twenty check-ins answered without waiting for matching (which needs the worker to start, too).
    expect(scansMs).toBeLessThan(5_000);
  });

  it('follows the event setting for the list length', async () => {
    const room = await aRoom({ suggestionsPerPerson: 1 });
    const people = [];
    for (let i = 0; i < 4; i++) people.push(await room.arrive(`Short List ${i}`, i % 2 ? investor : designer));
    await sut.matching.settled();
    for (const p of people) expect((await listedFor(p.id)).length).toBe(1);

    const res = await org.patch(`/api/events/${room.eventId}`, { settings: { suggestionsPerPerson: 2 } });
    expect(res.status).toBe(200);
    await sut.matching.settled();
    for (const p of people) expect((await listedFor(p.id)).length).toBe(2);
  });
});

describe.each(dbKinds)('live matching across a restart (%s)', (kind) => {
  let database: Awaited<ReturnType<typeof aDatabase>>;
  beforeAll(async () => {
    database = await aDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('rebuilds the same lists from the database, and clears the list of someone who left meanwhile', async () => {
    const first = await startServer(kind, { database });
    const org = await anOrganiser(first);
    const eventId = await anOpenEvent(org);
    const kiosk = await aPairedDevice(first, org, eventId);
    const guests = [];
    for (let i = 0; i < 6; i++) {
      const guest = await aGuest(org, eventId, { name: `Restart Guest ${i}` });
      // A second apart: the kiosk states the intent of the guest it scanned last.
      first.clock.advance(1000);
      const scan = await request(first.url)
        .post(`/api/events/${eventId}/checkins`)
        .set('authorization', `Bearer ${kiosk.token}`)
        .send({ token: guest.secret, type: 'entry', nonce: aNonce(), scannedAt: new Date(first.clock()).toISOString() });
      expect(scan.status).toBe(201);
      const intent = i % 3 === 0 ? { seeks: ['Investors'], offers: ['Design'] } : i % 3 === 1 ? { seeks: ['Design'], offers: ['Investors'] } : { interests: ['AI'] };
      await request(first.url)
        .put(`/api/events/${eventId}/attendees/${guest.id}/intent`)
        .set('authorization', `Bearer ${kiosk.token}`)
        .send(anIntent(intent))
        .expect(200);
      guests.push(guest);
    }
    await first.matching.settled();
    const snapshot = async () =>
      (await database.db.select().from(suggestions).where(eq(suggestions.eventId, eventId)))
        .map((r) => `${r.attendeeId}>${r.targetId}:${r.listed}:${r.state}:${r.updatedAt.toISOString()}`)
        .sort();
    const before = await snapshot();
    expect(before.filter((r) => r.includes(':true:')).length).toBeGreaterThan(6);
    await first.close();

    // A restart changes nothing...
    const second = await startServer(kind, { database });
    await second.matching.settled();
    expect(await snapshot()).toEqual(before);
    await second.close();

    // ...but an exit the old server never heard of empties that person's list.
    const leaver = guests[0]!;
    await database.db.insert(checkins).values({
      eventId,
      attendeeId: leaver.id,
      deviceId: kiosk.deviceId,
      nonce: aNonce(),
      type: 'exit',
      method: 'qr_camera',
      status: 'ok',
      reason: 'ok',
      scannedAt: new Date(Date.parse('2026-11-25T18:30:00Z')),
      receivedAt: new Date(Date.parse('2026-11-25T18:30:00Z')),
      effective: true,
    });
    const third = await startServer(kind, { database });
    await third.matching.settled();
    const listed = await database.db
      .select({ attendeeId: suggestions.attendeeId, targetId: suggestions.targetId })
      .from(suggestions)
      .where(and(eq(suggestions.eventId, eventId), eq(suggestions.listed, true)));
    expect(listed.filter((r) => r.attendeeId === leaver.id || r.targetId === leaver.id)).toEqual([]);
    for (const g of guests.slice(1)) expect(listed.some((r) => r.attendeeId === g.id)).toBe(true);
    await third.close();
  });
});
