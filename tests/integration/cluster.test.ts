import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckinCreated, CheckinOutcome } from '@edgewise/shared';
import { organiserRoom } from '../../api/src/features/realtime/socket';
import { aGuest, aNonce, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../fixtures/postgres';
import { aSocket, request, startClusterNode, type ClientSocket, type ClusterNode } from '../fixtures/server';

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
    a = await startClusterNode(db.url, { limits: { pairPerWindow: 1000 } });
    b = await startClusterNode(db.url, { limits: { pairPerWindow: 1000 } });
    orgA = await anOrganiser(a);
    // The same account, logged in through the other node: sessions live in the database.
    orgB = await anOrganiser(b);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
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
    } finally {
      await raw.end();
    }
    const told = nextOn<{ eventId: string }>(dashboard, 'checkin:created', (p) => p.eventId === eventId);
    b.io.to(organiserRoom(eventId)).emit('checkin:created', { eventId } as never);
    expect(await told).toMatchObject({ eventId });
    expect(a.logs.some((l) => String(l.msg).startsWith('cluster: ignored a malformed message'))).toBe(true);
  });
});
