import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkins, devices, introductions, suggestions, type Database } from '@edgewise/db';
import type { CheckinOutcome, DashboardSnapshot, IntentBody, ServerToClientEvents } from '@edgewise/shared';
import type { FeatureContext } from '../../api/src/context';
import { dashboardSnapshot } from '../../api/src/features/dashboard/service';
import { aGuest, anIntent, aNonce, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { aSignedInPhone, ask, sync } from '../fixtures/room';
import { aDatabase, aSocket, dbKinds, request, startServer, type ClientSocket, type TestServer } from '../fixtures/server';

type Guest = Awaited<ReturnType<typeof aGuest>>;
type Broadcasts = ServerToClientEvents;
type PayloadOf<E extends keyof Broadcasts> = Parameters<Broadcasts[E]>[0];

/** Every broadcast a socket receives, by name, in order. */
function recorder(socket: ClientSocket) {
  const got: { event: string; payload: Record<string, unknown> }[] = [];
  socket.onAny((event: string, payload: Record<string, unknown>) => got.push({ event, payload }));
  return {
    got,
    of: <E extends keyof Broadcasts>(event: E) => got.filter((g) => g.event === event).map((g) => g.payload as PayloadOf<E>),
    clear: () => got.splice(0),
  };
}

/** The next broadcast of that name satisfying `until`. */
function next<E extends keyof Broadcasts>(socket: ClientSocket, event: E, until: (p: PayloadOf<E>) => boolean = () => true, ms = 5000): Promise<PayloadOf<E>> {
  const s = socket as unknown as { on(e: string, f: (p: PayloadOf<E>) => void): void; off(e: string, f: (p: PayloadOf<E>) => void): void };
  return new Promise((resolve, reject) => {
    const on = (p: PayloadOf<E>) => {
      if (!until(p)) return;
      clearTimeout(timer);
      s.off(event, on);
      resolve(p);
    };
    const timer = setTimeout(() => {
      s.off(event, on);
      reject(new Error(`no ${event} arrived`));
    }, ms);
    s.on(event, on);
  });
}

const at = (hhmmss: string) => Date.parse(`2026-11-25T${hhmmss}Z`);
const iso = (hhmmss: string) => new Date(at(hhmmss)).toISOString();
const STEP = 5 * 60_000;

describe.each(dbKinds)('the live dashboard (%s)', (kind) => {
  let database: Database;
  let sut: TestServer;
  let org: Organiser;
  let eventId: string;
  let otherEventId: string;
  let kiosk: { token: string; deviceId: string };
  const sockets: ClientSocket[] = [];
  const people: Record<'ana' | 'ben' | 'carla' | 'dan' | 'eve' | 'fay' | 'gil', Guest> = {} as never;
  let organiserSocket: ClientSocket;
  let toOrganisers: ReturnType<typeof recorder>;
  let toOtherOrganisers: ReturnType<typeof recorder>;
  let otherOrganiserSocket: ClientSocket;

  const keep = (s: ClientSocket) => {
    sockets.push(s);
    return s;
  };
  const asKiosk = {
    post: (path: string, body: object) => request(sut.url).post(path).set('authorization', `Bearer ${kiosk.token}`).send(body),
    put: (path: string, body: object) => request(sut.url).put(path).set('authorization', `Bearer ${kiosk.token}`).send(body),
  };
  const snapshot = async (): Promise<DashboardSnapshot> => {
    const res = await org.get(`/api/events/${eventId}/dashboard`);
    expect(res.status).toBe(200);
    return res.body as DashboardSnapshot;
  };
  /** The kiosk scans a ticket now (`clock` moved there first), or uploads one scanned earlier. */
  async function scan(guest: Guest, type: 'entry' | 'exit', now: string, scannedAt = now) {
    sut.clock.set(at(now));
    const res = await asKiosk.post(`/api/events/${eventId}/checkins`, { token: guest.secret, type, nonce: aNonce(), scannedAt: iso(scannedAt) });
    // 201 for a scan that was recorded as accepted, 200 for one recorded as refused.
    expect([200, 201]).toContain(res.status);
    return res.body as CheckinOutcome;
  }
  async function stateIntent(guest: Guest, intent: Partial<IntentBody>) {
    const res = await asKiosk.put(`/api/events/${eventId}/attendees/${guest.id}/intent`, anIntent(intent));
    expect(res.status).toBe(200);
  }
  const phoneOf = async (guest: Guest) => (await aSignedInPhone(sut, sockets, guest)).socket;
  /** A round trip: once the ack is back, every broadcast sent before it has arrived. */
  const barrier = async (socket: ClientSocket, id = eventId) => {
    const ack = await ask(socket, 'event:subscribe', { eventId: id });
    expect(ack.ok).toBe(true);
  };

  /** Presence and arrivals worked out again from the raw scan log, in plain code. */
  async function fromTheLog(until: number) {
    const rows = (await sut.database.db.select().from(checkins).where(eq(checkins.eventId, eventId))).filter((r) => r.effective && r.attendeeId);
    rows.sort((x, y) => x.scannedAt.getTime() - y.scannedAt.getTime() || x.receivedAt.getTime() - y.receivedAt.getTime());
    const before = (t: number) => {
      const last = new Map<string, string>();
      const entered = new Set<string>();
      for (const r of rows) {
        if (r.scannedAt.getTime() >= t) continue;
        last.set(r.attendeeId!, r.type);
        if (r.type === 'entry') entered.add(r.attendeeId!);
      }
      return { checkedIn: entered.size, present: [...last.values()].filter((t) => t === 'entry').length };
    };
    return { now: before(until), before };
  }

  /** Suggestion figures by pair, folded in plain code from the rows. */
  async function pairsFromRows() {
    const rows = await sut.database.db.select().from(suggestions).where(eq(suggestions.eventId, eventId));
    const pairs = new Map<string, { accepted: boolean; mutual: boolean; met: boolean }>();
    for (const r of rows) {
      const key = [r.attendeeId, r.targetId].sort().join('|');
      const p = pairs.get(key) ?? { accepted: false, mutual: false, met: false };
      p.met ||= r.state === 'met' || r.metAt !== null;
      p.mutual ||= p.met || r.state === 'mutual' || r.mutualAt !== null;
      p.accepted ||= p.mutual || r.answer === 'yes' || r.state === 'accepted_by_one';
      pairs.set(key, p);
    }
    const all = [...pairs.values()];
    const intros = await sut.database.db.select().from(introductions).where(eq(introductions.eventId, eventId));
    return {
      suggestionsMade: all.length,
      accepted: all.filter((p) => p.accepted).length,
      mutual: all.filter((p) => p.mutual).length,
      met: all.filter((p) => p.met).length,
      introductions: intros.length,
    };
  }

  beforeAll(async () => {
    database = await aDatabase(kind);
    sut = await startServer(kind, { database, limits: { pairPerWindow: 1000 } });
    org = await anOrganiser(sut);
    eventId = await anOpenEvent(org, { name: 'Harbour Night', startsAt: '2026-11-25T18:00:00Z', endsAt: '2026-11-25T22:00:00Z', timeZone: 'Europe/Lisbon' });
    otherEventId = await anOpenEvent(org);
    kiosk = await aPairedDevice(sut, org, eventId);
    people.ana = await aGuest(org, eventId, { name: 'Ana Sousa', firstTime: true });
    people.ben = await aGuest(org, eventId, { name: 'Ben Okafor' });
    people.carla = await aGuest(org, eventId, { name: 'Carla Reis' });
    people.dan = await aGuest(org, eventId, { name: 'Dan Lee' });
    people.eve = await aGuest(org, eventId, { name: 'Eve Stays Home' });
    people.fay = await aGuest(org, eventId, { name: 'Fay Moreau' });
    people.gil = await aGuest(org, eventId, { name: 'Gil Offline' });
    organiserSocket = keep(await aSocket(sut, { cookie: org.cookie }));
    toOrganisers = recorder(organiserSocket);
    await barrier(organiserSocket);
    otherOrganiserSocket = keep(await aSocket(sut, { cookie: org.cookie }));
    toOtherOrganisers = recorder(otherOrganiserSocket);
    await barrier(otherOrganiserSocket, otherEventId);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await sut?.close();
    await database?.close();
  });

  describe('a scripted evening', () => {
    it('tells the subscribed organisers of a check-in at once, and not those of another event', async () => {
      const arrived = next(organiserSocket, 'checkin:created', (p) => p.attendeeId === people.ana.id);
      expect((await scan(people.ana, 'entry', '18:01:00')).status).toBe('ok');
      expect(await arrived).toMatchObject({ eventId, attendeeId: people.ana.id, type: 'entry', status: 'ok' });
      await stateIntent(people.ana, { seeks: ['investors'], offers: ['design'] });
      await barrier(otherOrganiserSocket, otherEventId);
      expect(toOtherOrganisers.got).toEqual([]);
    });

    it('counts arrivals, exits, re-entries and a late offline upload into the five-minute steps they happened in', async () => {
      await scan(people.ben, 'entry', '18:02:00');
      await stateIntent(people.ben, { seeks: ['design'], offers: ['investors'] });
      await scan(people.carla, 'entry', '18:03:00');
      await stateIntent(people.carla, { seeks: ['investors'], offers: ['engineering'] });
      await scan(people.dan, 'entry', '18:06:00');
      await stateIntent(people.dan, { seeks: ['investors'], offers: ['hiring'] });
      await scan(people.carla, 'exit', '18:07:00');
      // Ana's badge scanned again: refused as already in, and changes nothing.
      expect((await scan(people.ana, 'entry', '18:08:00')).status).toBe('already_checked_in');
      await scan(people.fay, 'entry', '18:11:00');
      await stateIntent(people.fay, { seeks: ['investors'], offers: ['design'] });
      await scan(people.carla, 'entry', '18:12:00');
      // Gil was scanned at 18:04 while the kiosk was offline; the scan arrives at 18:13.
      await scan(people.gil, 'entry', '18:13:00', '18:04:00');
      sut.clock.set(at('18:13:30'));

      const snap = await snapshot();
      expect(snap).toMatchObject({ eventId, timeZone: 'Europe/Lisbon', edgeMinutes: 10, bucketMinutes: 5, at: iso('18:13:30') });
      expect(snap.counts).toMatchObject({ registered: 7, checkedIn: 6, presentNow: 6, firstTimersPresent: 1 });
      // Ana is new here; Ben has waited 11.5 minutes with nobody said yes to. Gil (9.5) and the rest not yet.
      expect(snap.counts.atEdges).toBe(2);
      expect(snap.arrivals).toEqual([
        { from: iso('18:00:00'), to: iso('18:05:00'), checkedIn: 4, present: 4 },
        { from: iso('18:05:00'), to: iso('18:10:00'), checkedIn: 5, present: 4 },
        { from: iso('18:10:00'), to: iso('18:13:30'), checkedIn: 6, present: 6 },
      ]);

      const log = await fromTheLog(at('18:13:30'));
      expect({ checkedIn: snap.counts.checkedIn, present: snap.counts.presentNow }).toEqual(log.now);
      for (const b of snap.arrivals) expect({ checkedIn: b.checkedIn, present: b.present }).toEqual(log.before(Date.parse(b.from) + STEP));
    });

    it('shows supply and demand per topic and side among the people present, flags the gap, and follows an intent changed on a phone', async () => {
      const phone = await phoneOf(people.dan);
      const told = next(organiserSocket, 'attendee:changed', (p) => p.attendeeId === people.dan.id);
      const ack = await ask(phone, 'intent:update', anIntent({ seeks: ['investors', 'advice'], offers: ['hiring'] }));
      expect(ack.ok).toBe(true);
      expect(await told).toMatchObject({ eventId, attendeeId: people.dan.id });

      const { supplyDemand } = await snapshot();
      const topic = (id: string) => supplyDemand.find((t) => t.topic === id);
      // Rows are topics, each with both of its labels: how many look for it, how many offer it.
      expect(topic('investors')).toEqual({ topic: 'investors', seekLabel: 'Investors', offerLabel: 'I invest', seek: 4, offer: 1, gap: true });
      expect(topic('design')).toEqual({ topic: 'design', seekLabel: 'Design help', offerLabel: 'I design', seek: 1, offer: 2, gap: false });
      expect(topic('advice')).toMatchObject({ seek: 1, offer: 0, gap: false });
      expect(topic('hiring')).toEqual({ topic: 'hiring', seekLabel: 'A job', offerLabel: "I'm hiring", seek: 0, offer: 1, gap: false });
      // Every topic the kiosk offers is listed, even one nobody chose; the most sought come first.
      expect(topic('marketing')).toMatchObject({ seek: 0, offer: 0, gap: false });
      expect(supplyDemand[0]?.topic).toBe('investors');

      // Someone who leaves stops counting: Fay's investors and design go with her.
      await scan(people.fay, 'exit', '18:14:00');
      const after = await snapshot();
      expect(after.supplyDemand.find((t) => t.topic === 'investors')).toMatchObject({ seek: 3, offer: 1, gap: true });
      expect(after.supplyDemand.find((t) => t.topic === 'design')).toMatchObject({ seek: 1, offer: 1 });
      await scan(people.fay, 'entry', '18:14:30');
      expect((await snapshot()).counts.presentNow).toBe(6);
    });

    it('counts suggestions, answers, meetings and introductions by pair, and tells organisers when matching writes and when a pair moves', async () => {
      await sut.matching.settled();
      await barrier(organiserSocket);
      expect(toOrganisers.of('matching:changed').length).toBeGreaterThan(0);
      expect(toOrganisers.of('matching:changed').every((p) => p.eventId === eventId)).toBe(true);

      const ana = await phoneOf(people.ana);
      const ben = await phoneOf(people.ben);
      const anaToBen = (await sync(ana)).suggestions.find((s) => s.person.id === people.ben.id);
      if (!anaToBen) throw new Error("Ben is not in Ana's list");
      const moved = next(organiserSocket, 'pair:changed', (p) => p.attendeeIds.includes(people.ben.id));
      expect((await ask(ana, 'suggestion:answer', { suggestionId: anaToBen.id, answer: 'yes' })).ok).toBe(true);
      expect((await moved).attendeeIds.sort()).toEqual([people.ana.id, people.ben.id].sort());
      const benToAna = (await sync(ben)).suggestions.find((s) => s.person.id === people.ana.id);
      if (!benToAna) throw new Error("Ana is not in Ben's list");
      expect((await ask(ben, 'suggestion:answer', { suggestionId: benToAna.id, answer: 'yes' })).ok).toBe(true);
      expect((await ask(ana, 'suggestion:met', { suggestionId: anaToBen.id })).ok).toBe(true);

      // Dan says yes to someone; Fay says no to someone else.
      const dan = await phoneOf(people.dan);
      const danPick = (await sync(dan)).suggestions.find((s) => ![people.ana.id, people.ben.id].includes(s.person.id)) ?? (await sync(dan)).suggestions[0];
      if (!danPick) throw new Error('Dan has no suggestion');
      expect((await ask(dan, 'suggestion:answer', { suggestionId: danPick.id, answer: 'yes' })).ok).toBe(true);
      const fay = await phoneOf(people.fay);
      const fayPick = (await sync(fay)).suggestions.find((s) => s.person.id !== people.dan.id && s.state === 'proposed');
      if (fayPick) expect((await ask(fay, 'suggestion:answer', { suggestionId: fayPick.id, answer: 'no' })).ok).toBe(true);

      // An organiser introduces Carla and Gil: stored as a mutual pair plus the introduction.
      sut.clock.set(at('18:16:00'));
      const now = new Date(sut.clock());
      const db = sut.database.db;
      for (const [a, b] of [[people.carla.id, people.gil.id], [people.gil.id, people.carla.id]] as const) {
        await db
          .insert(suggestions)
          .values({ eventId, attendeeId: a, targetId: b, score: 0, reasons: [], state: 'mutual', listed: true, createdAt: now, updatedAt: now, mutualAt: now })
          .onConflictDoUpdate({ target: [suggestions.attendeeId, suggestions.targetId], set: { state: 'mutual', mutualAt: now } });
      }
      await db.insert(introductions).values({ eventId, aId: people.carla.id, bId: people.gil.id, byName: 'Olga Organiser', message: 'Talk tides!', createdAt: now });
      await sut.matching.settled();

      const { counts } = await snapshot();
      // Ana–Ben met (so mutual and accepted too), Dan's yes, the introduction.
      expect(counts).toMatchObject({ accepted: 3, mutual: 2, met: 1, introductions: 1 });
      expect(counts.suggestionsMade).toBeGreaterThanOrEqual(fayPick ? 4 : 3);
      const { suggestionsMade, accepted, mutual, met, introductions: intros } = counts;
      expect({ suggestionsMade, accepted, mutual, met, introductions: intros }).toEqual(await pairsFromRows());
    });

    it('draws people into the edges as time passes without a yes, and keeps the chart going until now', async () => {
      await scan(people.ben, 'exit', '18:21:00');
      sut.clock.set(at('18:22:00'));
      const snap = await snapshot();
      // Present: Ana, Carla, Dan, Fay and Gil. At the edges only Ana, who is new here: Carla and Gil
      // were introduced, Dan said yes, and Fay came back at 18:14:30 (7.5 minutes, under the threshold).
      expect(snap.counts).toMatchObject({ checkedIn: 6, presentNow: 5, firstTimersPresent: 1 });
      expect(snap.counts.atEdges).toBe(1);
      // The organiser's edges list names the same people the count counts.
      const edgesNow = async () => {
        const res = await org.get(`/api/events/${eventId}/edges`);
        expect(res.status).toBe(200);
        const body = res.body as { total: number; present: number; people: { person: { id: string } }[] };
        return { total: body.total, present: body.present, ids: body.people.map((p) => p.person.id).sort() };
      };
      expect(await edgesNow()).toEqual({ total: 1, present: 5, ids: [people.ana.id] });
      sut.clock.set(at('18:25:00'));
      // Fay re-entered at 18:14:30: ten minutes later she is at the edges too.
      expect((await snapshot()).counts.atEdges).toBe(2);
      expect(await edgesNow()).toEqual({ total: 2, present: 5, ids: [people.ana.id, people.fay.id].sort() });
      sut.clock.set(at('18:22:00'));

      expect(snap.arrivals.map((b) => [b.from, b.to, b.checkedIn, b.present])).toEqual([
        [iso('18:00:00'), iso('18:05:00'), 4, 4],
        [iso('18:05:00'), iso('18:10:00'), 5, 4],
        [iso('18:10:00'), iso('18:15:00'), 6, 6],
        [iso('18:15:00'), iso('18:20:00'), 6, 6],
        [iso('18:20:00'), iso('18:22:00'), 6, 5],
      ]);
      const log = await fromTheLog(at('18:22:00'));
      expect({ checkedIn: snap.counts.checkedIn, present: snap.counts.presentNow }).toEqual(log.now);
      for (const b of snap.arrivals) expect({ checkedIn: b.checkedIn, present: b.present }).toEqual(log.before(Date.parse(b.from) + STEP));
    });

    it('gives the same numbers after the server restarts on the same database', async () => {
      await sut.matching.settled();
      const before = await snapshot();
      for (const s of sockets.splice(0)) s.close();
      await sut.close();

      sut = await startServer(kind, { database, limits: { pairPerWindow: 1000 } });
      sut.clock.set(at('18:22:00'));
      org = await anOrganiser(sut);
      await sut.matching.settled();
      const after = await snapshot();

      expect(after.counts.registered).toBe(before.counts.registered);
      const { suggestionsMade: madeBefore, ...countsBefore } = before.counts;
      const { suggestionsMade: madeAfter, ...countsAfter } = after.counts;
      expect(countsAfter).toEqual(countsBefore);
      // Matching warms up again on start and may propose new pairs: "made" is whatever the rows say.
      expect(madeAfter).toBeGreaterThanOrEqual(madeBefore);
      expect(madeAfter).toBe((await pairsFromRows()).suggestionsMade);
      expect(after.arrivals).toEqual(before.arrivals);
      expect(after.supplyDemand).toEqual(before.supplyDemand);
      expect(after.devices.map((d) => [d.id, d.queueLength])).toEqual(before.devices.map((d) => [d.id, d.queueLength]));
    });
  });

  describe('devices', () => {
    it("shows a kiosk online while its socket is connected, with the offline queue it reports, and when it was last seen", async () => {
      const watcher = keep(await aSocket(sut, { cookie: org.cookie }));
      await barrier(watcher);
      const offline = await snapshot();
      expect(offline.devices).toEqual([
        expect.objectContaining({ id: kiosk.deviceId, kind: 'kiosk', online: false, queueLength: 0 }),
      ]);

      const came = next(watcher, 'device:changed', (p) => p.deviceId === kiosk.deviceId);
      sut.clock.set(at('18:30:00'));
      const socket = await aSocket(sut, { token: kiosk.token });
      expect(await came).toMatchObject({ eventId, deviceId: kiosk.deviceId });
      expect((await snapshot()).devices[0]).toMatchObject({ online: true, queueLength: 0, offlineSince: null });

      sut.clock.set(at('18:31:00'));
      const reported = next(watcher, 'device:changed', (p) => p.deviceId === kiosk.deviceId);
      expect(await ask(socket, 'device:status', { queueLength: 4 })).toEqual({ ok: true, data: { queueLength: 4 } });
      await reported;
      expect((await snapshot()).devices[0]).toMatchObject({ online: true, queueLength: 4, lastSeenAt: iso('18:31:00') });
      const [stored] = await sut.database.db.select().from(devices).where(eq(devices.id, kiosk.deviceId));
      expect(stored).toMatchObject({ queueLength: 4 });

      const bad = await ask(socket, 'device:status', { queueLength: -1 });
      expect(bad).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      expect(await ask(socket, 'device:status', { queueLength: 'lots' } as never)).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      expect((await snapshot()).devices[0]?.queueLength).toBe(4);

      sut.clock.set(at('18:40:00'));
      const went = next(watcher, 'device:changed', (p) => p.deviceId === kiosk.deviceId);
      socket.close();
      await went;
      expect((await snapshot()).devices[0]).toMatchObject({ online: false, queueLength: 4, lastSeenAt: iso('18:40:00'), offlineSince: iso('18:40:00') });
      const [gone] = await sut.database.db.select().from(devices).where(eq(devices.id, kiosk.deviceId));
      expect(gone?.offlineSince?.toISOString()).toBe(iso('18:40:00'));

      // Back: offline no more, and the column is cleared.
      sut.clock.set(at('18:50:00'));
      const back = next(watcher, 'device:changed', (p) => p.deviceId === kiosk.deviceId);
      keep(await aSocket(sut, { token: kiosk.token }));
      await back;
      expect((await snapshot()).devices[0]).toMatchObject({ online: true, offlineSince: null });
      const [returned] = await sut.database.db.select().from(devices).where(eq(devices.id, kiosk.deviceId));
      expect(returned?.offlineSince).toBeNull();
    });

    it('takes the queue report from kiosks only', async () => {
      const screen = await aPairedDevice(sut, org, eventId, 'screen');
      const screenSocket = keep(await aSocket(sut, { token: screen.token }));
      expect(await ask(screenSocket, 'device:status', { queueLength: 1 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      const organiser = keep(await aSocket(sut, { cookie: org.cookie }));
      expect(await ask(organiser, 'device:status', { queueLength: 1 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      const snap = await snapshot();
      expect(snap.devices.find((d) => d.id === screen.deviceId)).toMatchObject({ kind: 'screen', online: true, queueLength: 0 });
    });
  });

  describe('who can read it', () => {
    it('answers organisers only: a kiosk or nobody gets 401, a bad or unknown event a clear error', async () => {
      const asKioskRes = await request(sut.url).get(`/api/events/${eventId}/dashboard`).set('authorization', `Bearer ${kiosk.token}`);
      expect(asKioskRes.status).toBe(401);
      expect(asKioskRes.body.error.code).toBe('unauthenticated');
      expect((await request(sut.url).get(`/api/events/${eventId}/dashboard`)).status).toBe(401);
      const bad = await org.get('/api/events/not-an-id/dashboard');
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('validation_failed');
      expect((await org.get(`/api/events/${randomUUID()}/dashboard`)).status).toBe(404);
    });

    it("lets no kiosk or attendee socket into the organisers' room", async () => {
      const kioskSocket = keep(await aSocket(sut, { token: kiosk.token }));
      expect(await ask(kioskSocket, 'event:subscribe', { eventId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      const phone = await phoneOf(people.carla);
      expect(await ask(phone, 'event:subscribe', { eventId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      const heard = recorder(kioskSocket);
      const phoneHeard = recorder(phone);
      sut.clock.set(at('18:45:00'));
      await scan(people.eve, 'entry', '18:45:00');
      await sut.matching.settled();
      await ask(kioskSocket, 'event:subscribe', { eventId });
      expect(heard.of('checkin:created')).toEqual([]);
      expect(heard.of('matching:changed')).toEqual([]);
      expect(phoneHeard.of('checkin:created')).toEqual([]);
    });
  });

  describe('many pages open at once', () => {
    it('share one snapshot among the requests that arrive while one is being made, and each still sees every change made before it asked', async () => {
      // The device look-up is the last step of a snapshot: holding it holds the snapshot.
      const held: (() => void)[] = [];
      const ctx = {
        deps: sut.deps,
        realtime: { onlineDevices: () => new Promise<Set<string>>((resolve) => held.push(() => resolve(new Set()))) },
      } as unknown as FeatureContext;
      const until = async (ok: () => boolean) => {
        for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
        expect(ok()).toBe(true);
      };

      const first = dashboardSnapshot(ctx, eventId);
      await until(() => held.length === 1);
      // Eve leaves after the first snapshot started; two pages ask after that.
      await scan(people.eve, 'exit', '18:46:00');
      const second = dashboardSnapshot(ctx, eventId);
      const third = dashboardSnapshot(ctx, eventId);
      expect(third).toBe(second);
      held[0]!();
      await first;
      await until(() => held.length === 2);
      held[1]!();
      const shared = await second;

      expect(held).toHaveLength(2);
      const log = await fromTheLog(at('18:46:00') + 1);
      expect(shared.counts.presentNow).toBe(log.now.present);
      expect(shared.counts.presentNow).toBe(5);
    });
  });
});
