import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckinCreated, CheckinOutcome, SuggestionsChanged } from '@edgewise/shared';
import { MATCHING_CHANNEL, type ClusterMatching } from '../../api/src/cluster';
import { organiserRoom } from '../../api/src/features/realtime/socket';
import { aGuest, anIntent, aNonce, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../fixtures/postgres';
import { aSocket, request, startClusterNode, type ClientSocket, type ClusterNode } from '../fixtures/server';
import { aSignedInToken } from '../fixtures/credentials';
import { waitFor } from '../fixtures/wait';

const adminUrl = process.env.TEST_DATABASE_URL;

/** Resolves with the first `event` the socket receives that passes `match`; fails after `ms`. */
function nextOn<T>(socket: ClientSocket, event: string, match: (payload: T) => boolean = () => true, ms = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event as never, handler);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const handler = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event as never, handler);
      resolve(payload);
    };
    socket.on(event as never, handler as never);
  });
}

// PGlite is one process: there is nothing to cluster without a real Postgres.
describe.skipIf(!adminUrl)('several API nodes on one Postgres', () => {
  let db: ThrowawayDatabase;
  let a: ClusterNode;
  let b: ClusterNode;
  let orgA: Organiser;
  let orgB: Organiser;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    db = await createThrowawayDatabase(adminUrl!, 'ew_cluster');
    // Quick takeover, so the test of a dying owner does not wait long.
    const fast = { matching: { takeoverMs: 300 } };
    a = await startClusterNode(db.url, { limits: { pairPerWindow: 1000 } }, fast);
    b = await startClusterNode(db.url, { limits: { pairPerWindow: 1000 } }, fast);
    orgA = await anOrganiser(a);
    // The same account, logged in through the other node: sessions live in the database.
    orgB = await anOrganiser(b);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    // Closing twice is harmless: the takeover test closes one of them early.
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  const open = async (node: ClusterNode, opts: Parameters<typeof aSocket>[1]) => {
    const socket = await aSocket(node, opts);
    sockets.push(socket);
    return socket;
  };

  /** An organiser's dashboard socket on `node`, subscribed to the event. */
  async function dashboardOn(node: ClusterNode, org: Organiser, eventId: string) {
    const socket = await open(node, { cookie: org.cookie });
    const ack = await new Promise<{ ok: boolean }>((resolve) => socket.emit('event:subscribe', { eventId }, resolve as never));
    expect(ack.ok).toBe(true);
    return socket;
  }

  const scanAt = async (node: ClusterNode, kioskToken: string, eventId: string, secret: string) => {
    node.clock.advance(1000);
    const res = await request(node.url)
      .post(`/api/events/${eventId}/checkins`)
      .set('authorization', `Bearer ${kioskToken}`)
      .send({ token: secret, type: 'entry', nonce: aNonce(), scannedAt: new Date(node.clock()).toISOString() });
    expect((res.body as CheckinOutcome).status).toBe('ok');
  };

  it("tells an organiser's socket on one node of a check-in made through the other", async () => {
    const eventId = await anOpenEvent(orgA);
    const kiosk = await aPairedDevice(b, orgB, eventId);
    const guest = await aGuest(orgA, eventId, { name: 'Ana Sousa' });
    const dashboard = await dashboardOn(a, orgA, eventId);

    const told = nextOn<CheckinCreated>(dashboard, 'checkin:created', (p) => p.eventId === eventId);
    await scanAt(b, kiosk.token, eventId, guest.secret);
    expect(await told).toMatchObject({ eventId, attendeeId: guest.id, type: 'entry', status: 'ok' });
  });

  it('refuses the very next scan on one node after a kiosk was unpaired, made unattended or its event closed on the other', async () => {
    const eventId = await anOpenEvent(orgA);
    const kiosk = await aPairedDevice(a, orgA, eventId);
    const spare = await aPairedDevice(a, orgA, eventId);
    const onB = (token: string, body: Record<string, unknown>) => {
      b.clock.advance(1000);
      return request(b.url)
        .post(`/api/events/${eventId}/checkins`)
        .set('authorization', `Bearer ${token}`)
        .send({ type: 'entry', nonce: aNonce(), scannedAt: new Date(b.clock()).toISOString(), ...body });
    };
    const status = (res: { body: unknown }) => (res.body as CheckinOutcome).status;
    const deviceOnB = () => request(b.url).get('/api/device').set('authorization', `Bearer ${kiosk.token}`);
    // Node B has both kiosks and the event in memory.
    expect(status(await onB(kiosk.token, { token: (await aGuest(orgA, eventId)).secret }))).toBe('ok');
    expect(status(await onB(spare.token, { token: (await aGuest(orgA, eventId)).secret }))).toBe('ok');
    expect((await deviceOnB()).body.event.status).toBe('open');

    expect((await orgA.delete(`/api/events/${eventId}/devices/${spare.deviceId}`)).status).toBe(204);
    const unpaired = await onB(spare.token, { token: (await aGuest(orgA, eventId)).secret });
    expect({ status: unpaired.status, code: (unpaired.body as { error?: { code: string } }).error?.code }).toEqual({ status: 401, code: 'device_unpaired' });

    expect((await orgA.patch(`/api/events/${eventId}/devices/${kiosk.deviceId}`, { staffed: true })).status).toBe(200);
    expect(status(await onB(kiosk.token, { attendeeId: (await aGuest(orgA, eventId)).id }))).toBe('ok');
    expect((await orgA.patch(`/api/events/${eventId}/devices/${kiosk.deviceId}`, { staffed: false })).status).toBe(200);
    expect(status(await onB(kiosk.token, { attendeeId: (await aGuest(orgA, eventId)).id }))).toBe('confirmation_required');

    expect((await orgA.patch(`/api/events/${eventId}`, { status: 'closed' })).status).toBe(200);
    expect(status(await onB(kiosk.token, { token: (await aGuest(orgA, eventId)).secret }))).toBe('event_closed');
    // The kiosk's own view of its event follows within the notice's trip between the nodes.
    const deadline = Date.now() + 2_000;
    while ((await deviceOnB()).body.event.status !== 'closed' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect((await deviceOnB()).body.event.status).toBe('closed');
  });

  it('carries a message larger than a NOTIFY payload, with its binary parts, intact', async () => {
    const eventId = await anOpenEvent(orgA);
    const dashboard = await dashboardOn(a, orgA, eventId);
    const text = 'Ação, naïve café ☕ '.repeat(1_000);
    const bytes = Buffer.from(Array.from({ length: 20_000 }, (_, i) => i % 256));
    const arrived = nextOn<{ eventId: string; text: string; bytes: ArrayBuffer }>(dashboard, 'checkin:created', (p) => p.eventId === eventId);

    b.io.to(organiserRoom(eventId)).emit('checkin:created', { eventId, text, bytes } as never);
    const got = await arrived;
    expect(Buffer.byteLength(JSON.stringify({ text }))).toBeGreaterThan(8_000);
    expect(got.text).toBe(text);
    expect(Buffer.from(got.bytes).equals(bytes)).toBe(true);
  });

  it('finds sockets connected to the other node (device presence, unpairing)', async () => {
    const eventId = await anOpenEvent(orgA);
    const dashboard = await dashboardOn(a, orgA, eventId);
    const found = await b.io.in(organiserRoom(eventId)).fetchSockets();
    expect(found.map((s) => s.id)).toEqual([dashboard.id]);
    expect(found[0]?.data.organiserId).toBeTruthy();
  });

  it('ends a kiosk connected to the other node at once, even while a node that never answers is counted', async () => {
    const eventId = await anOpenEvent(orgA);
    const kiosk = await aPairedDevice(b, orgB, eventId);
    const socket = await open(b, { token: kiosk.token });
    // A node says hello and then never answers (it died without saying goodbye): until it is
    // declared gone, any question put to every node waits for it.
    const raw = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      await raw.notify('socket.io#/', JSON.stringify({ u: 'ghost', m: { type: 1, uid: 'ghost', nsp: '/' } }));
    } finally {
      await raw.end();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const dropped = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    const started = Date.now();
    const res = await orgA.delete(`/api/events/${eventId}/devices/${kiosk.deviceId}`);
    expect(res.status).toBe(204);
    await dropped;
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("answers the dashboard at once while a node that never answers is counted, each kiosk's state from its last connection", async () => {
    const eventId = await anOpenEvent(orgA);
    const here = await aPairedDevice(b, orgB, eventId);
    const gone = await aPairedDevice(b, orgB, eventId);
    const socket = await open(b, { token: here.token });
    const left = await open(b, { token: gone.token });
    left.disconnect();
    await waitFor('the kiosk that left to show as offline', async () => (await orgA.get(`/api/events/${eventId}/dashboard`)).body.devices.find((d: { id: string }) => d.id === gone.deviceId)?.online === false);
    const raw = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      await raw.notify('socket.io#/', JSON.stringify({ u: 'ghost', m: { type: 1, uid: 'ghost', nsp: '/' } }));
    } finally {
      await raw.end();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    const res = await orgA.get(`/api/events/${eventId}/dashboard`);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2_500);
    const online = Object.fromEntries(res.body.devices.map((d: { id: string; online: boolean }) => [d.id, d.online]));
    expect(online).toEqual({ [here.deviceId]: true, [gone.deviceId]: false });
    socket.disconnect();
  });

  it('ignores malformed messages on the channel and keeps working', async () => {
    const eventId = await anOpenEvent(orgA);
    const dashboard = await dashboardOn(a, orgA, eventId);
    const raw = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      const channel = 'socket.io#/';
      for (const payload of [
        'not json',
        '{"u":"x"}',
        '{"u":"x","m":{"type":3,"uid":"x","nsp":"/","data":{}}}',
        '{"u":"x","m":{"type":7,"uid":"x","nsp":"/","data":{"opts":null,"requestId":"r"}}}',
        '{"u":"x","a":"999999999"}',
        '{"u":"x","m":{"type":9,"uid":"x","nsp":"/","data":{"packet":["error"]}}}',
      ]) {
        await raw.notify(channel, payload);
      }
      for (const payload of ['[', '{"k":"hook","from":"x","id":-1}', '{"k":"hook","from":"x","id":1,"h":"constructor","e":"x","a":[]}']) {
        await raw.notify(MATCHING_CHANNEL, payload);
      }
    } finally {
      await raw.end();
    }
    const told = nextOn<{ eventId: string }>(dashboard, 'checkin:created', (p) => p.eventId === eventId);
    b.io.to(organiserRoom(eventId)).emit('checkin:created', { eventId } as never);
    expect(await told).toMatchObject({ eventId });
    expect(a.logs.some((l) => String(l.msg).startsWith('cluster: ignored a malformed message'))).toBe(true);
    expect(a.logs.some((l) => String(l.msg).startsWith('cluster: ignored a malformed matching message'))).toBe(true);
  });

  // Live matching ------------------------------------------------------------------------

  const owns = (node: ClusterNode) => (node.matching as ClusterMatching).owns('any');
  const investor = { seeks: ['Design'], offers: ['Investors'], interests: ['Climate'] };
  const designer = { seeks: ['Investors'], offers: ['Design'], interests: ['Climate'] };

  /** An open event with a kiosk on each node, as a room with two entrances. */
  async function aRoom() {
    const eventId = await anOpenEvent(orgA);
    const kiosks = new Map([
      [a, await aPairedDevice(a, orgA, eventId)],
      [b, await aPairedDevice(b, orgB, eventId)],
    ]);
    /** Checks a guest in at the node's kiosk and states their intent there. */
    const arrive = async (node: ClusterNode, name: string, intent: typeof investor) => {
      const kiosk = kiosks.get(node)!;
      const guest = await aGuest(node === a ? orgA : orgB, eventId, { name });
      await scanAt(node, kiosk.token, eventId, guest.secret);
      const res = await request(node.url)
        .put(`/api/events/${eventId}/attendees/${guest.id}/intent`)
        .set('authorization', `Bearer ${kiosk.token}`)
        .send(anIntent(intent));
      expect(res.status).toBe(200);
      return guest;
    };
    /** The guest's phone, connected to `node`. */
    const phoneOn = async (node: ClusterNode, guest: { id: string }) => {
      return open(node, { attendeeToken: await aSignedInToken(node, guest.id) });
    };
    return { eventId, arrive, phoneOn };
  }

  const listShows = (attendeeId: string, targetId: string) => (p: SuggestionsChanged) =>
    p.attendeeId === attendeeId && p.suggestions.some((s) => s.person.id === targetId);

  /** Nodes holding a live matching lease, as the database says: there is one row. */
  async function lease() {
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      const [row] = await sql<{ live: boolean; fence: string }[]>`select expires_at > now() as live, fence from matching_lease where id = 1`;
      return { live: row?.live ?? false, fence: Number(row?.fence ?? 0) };
    } finally {
      await sql.end();
    }
  }

  it('runs matching on exactly one node, the one holding the lease', async () => {
    await a.matching.settled();
    await b.matching.settled();
    expect([owns(a), owns(b)].filter(Boolean)).toHaveLength(1);
    const owner = (owns(a) ? a : b).matching as ClusterMatching;
    expect(await lease()).toEqual({ live: true, fence: owner.fence() });
  });

  it("pushes an attendee's list to their phone on either node, whichever node the check-in went through", async () => {
    const owner = owns(a) ? a : b;
    const other = owner === a ? b : a;
    const room = await aRoom();
    const ana = await room.arrive(other, 'Ana Sousa', designer);
    // Passed on to the owner: settled waits for its word that the change is applied.
    await other.matching.settled(room.eventId);
    const anaOnOther = await room.phoneOn(other, ana);

    const toAna = nextOn<SuggestionsChanged>(anaOnOther, 'suggestions:changed', (p) => listShows(ana.id, ben.id)(p));
    // Through the node that does not run matching, to a phone on that same node: the hook
    // goes to the owner, and the owner's push comes back through the adapter.
    const ben = await room.arrive(other, 'Ben Okafor', investor);
    const got = await toAna;
    expect(got.suggestions.map((s) => s.person.id)).toEqual([ben.id]);

    // And the other way round: a check-in through the owner, Ben's phone on the other node.
    const benOnOther = await room.phoneOn(other, ben);
    const toBen = nextOn<SuggestionsChanged>(benOnOther, 'suggestions:changed', (p) => listShows(ben.id, cleo.id)(p));
    const cleo = await room.arrive(owner, 'Cleo Marsh', designer);
    expect((await toBen).suggestions.map((s) => s.person.id)).toContain(cleo.id);
  });

  it('gives matching to the other node when the lease lapses (a frozen owner), with a higher fence, and the former owner stops', async () => {
    const owner = owns(a) ? a : b;
    const room = await aRoom();
    const ana = await room.arrive(owner, 'Ana Sousa', designer);
    await owner.matching.settled(room.eventId);
    const before = await lease();

    // As a frozen owner would find it on thawing: its lease ran out and is no longer its own.
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      await sql`update matching_lease set owner = 'a-node-that-froze', expires_at = now() where id = 1`;
    } finally {
      await sql.end();
    }
    const deadline = Date.now() + 5_000;
    const lost = () => owner.logs.some((l) => l.msg === 'cluster: this node no longer runs live matching');
    while (!(lost() && [owns(a), owns(b)].filter(Boolean).length === 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(lost()).toBe(true);
    expect([owns(a), owns(b)].filter(Boolean)).toHaveLength(1);
    const after = await lease();
    expect(after.live).toBe(true);
    expect(after.fence).toBeGreaterThan(before.fence);

    const newOwner = owns(a) ? a : b;
    const other = newOwner === a ? b : a;
    const anaPhone = await room.phoneOn(other, ana);
    const toAna = nextOn<SuggestionsChanged>(anaPhone, 'suggestions:changed', (p) => listShows(ana.id, ben.id)(p));
    const ben = await room.arrive(other, 'Ben Okafor', investor);
    expect((await toAna).suggestions.map((s) => s.person.id)).toEqual([ben.id]);
  });

  it('hands matching to the other node when its owner stops, which rebuilds and keeps pushing', async () => {
    const owner = owns(a) ? a : b;
    const survivor = owner === a ? b : a;
    const room = await aRoom();
    const ana = await room.arrive(survivor, 'Ana Sousa', designer);
    await survivor.matching.settled(room.eventId);

    await owner.close();
    const deadline = Date.now() + 5_000;
    while (!owns(survivor) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(owns(survivor)).toBe(true);
    expect((await lease()).live).toBe(true);

    const anaPhone = await room.phoneOn(survivor, ana);
    const toAna = nextOn<SuggestionsChanged>(anaPhone, 'suggestions:changed', (p) => listShows(ana.id, ben.id)(p));
    const ben = await room.arrive(survivor, 'Ben Okafor', investor);
    expect((await toAna).suggestions.map((s) => s.person.id)).toEqual([ben.id]);
  });
});
