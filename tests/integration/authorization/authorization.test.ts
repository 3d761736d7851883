import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendeeSessions, eventAccess } from '@edgewise/db';
import type { ClientToServerEvents } from '@edgewise/shared';
import { cryptoRandomToken, sha256 } from '../../../api/src/deps';
import { aGuest, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../../fixtures/builders';
import { aSocket, dbKinds, request, startServer, type ClientSocket, type TestServer } from '../../fixtures/server';
import { endsOwnSession, httpMatrix, identities, policies, socketMatrix, type Identity, type Policy } from './matrix';

interface Operation {
  method: string;
  path: string;
  key: string;
}

/** What one identity sends: its cookie and CSRF header, or its bearer token. */
interface Credentials {
  cookie?: string;
  csrf?: string;
  bearer?: string;
  /** How its socket authenticates. */
  socket?: { cookie?: string; token?: string; attendeeToken?: string };
}

const SAFE = new Set(['GET', 'HEAD']);
const DENIED = new Set([401, 403]);

const allows = (policy: Policy, who: Identity) => (policies[policy] as readonly Identity[]).includes(who);

describe.each(dbKinds)('authorisation matrix (%s)', (kind) => {
  let sut: TestServer;
  let owner: Organiser;
  let eventId: string;
  let otherEventId: string;
  let creds: Record<Identity, Credentials>;
  let operations: Operation[];

  const password = 'matrix password 1';
  const member = async (email: string, role: 'organiser' | 'door', events: string[]) => {
    const made = await owner.post('/api/auth/organisers', { email, name: email.split('@')[0], password, role, eventIds: events });
    if (made.status !== 201) throw new Error(`cannot add ${email}: ${made.status} ${JSON.stringify(made.body)}`);
    // Given access directly as well, so the matrix does not depend on the team feature's own grant.
    for (const id of events) await sut.database.db.insert(eventAccess).values({ organiserId: made.body.id as string, eventId: id }).onConflictDoNothing();
    return anOrganiser(sut, { email, name: email, password });
  };
  const attendeeSession = async (attendeeId: string) => {
    const token = cryptoRandomToken(32);
    await sut.database.db.insert(attendeeSessions).values({ id: sha256(token), attendeeId, expiresAt: new Date(sut.clock() + 86_400_000) });
    return token;
  };

  /** Every identity, made afresh (after an operation that ended one of them). */
  async function makeIdentities(): Promise<Record<Identity, Credentials>> {
    owner = await anOrganiser(sut, { email: 'owner@example.org', name: 'Owen Owner', password });
    const organiser = await anOrganiser(sut, { email: 'organiser@example.org', name: 'organiser', password });
    const outsider = await anOrganiser(sut, { email: 'outsider@example.org', name: 'outsider', password });
    const door = await anOrganiser(sut, { email: 'door@example.org', name: 'door', password });
    const kiosk = await aPairedDevice(sut, owner, eventId, 'kiosk');
    const screen = await aPairedDevice(sut, owner, eventId, 'screen');
    const otherKiosk = await aPairedDevice(sut, owner, otherEventId, 'kiosk');
    const otherScreen = await aPairedDevice(sut, owner, otherEventId, 'screen');
    // Hosts: the host-only page (the edges on their phone) is theirs too.
    const attendee = await attendeeSession((await aGuest(owner, eventId, { host: true })).id);
    const otherAttendee = await attendeeSession((await aGuest(owner, otherEventId, { host: true })).id);
    const stale = await anOrganiser(sut, { email: 'organiser@example.org', name: 'organiser', password });
    expect((await stale.post('/api/auth/logout')).status).toBe(204);
    const org = (o: Organiser): Credentials => ({ cookie: o.cookie, csrf: o.csrf, socket: { cookie: o.cookie } });
    const dev = (token: string): Credentials => ({ bearer: token, socket: { token } });
    const att = (token: string): Credentials => ({ bearer: token, socket: { attendeeToken: token } });
    const garbage = cryptoRandomToken(32);
    return {
      owner: org(owner),
      organiser: org(organiser),
      organiserWithoutAccess: org(outsider),
      door: org(door),
      kiosk: dev(kiosk.token),
      screen: dev(screen.token),
      otherKiosk: dev(otherKiosk.token),
      otherScreen: dev(otherScreen.token),
      attendee: att(attendee),
      otherAttendee: att(otherAttendee),
      anonymous: {},
      staleSession: { ...org(stale), socket: { cookie: stale.cookie } },
      garbageTokens: { cookie: `ew_session=${garbage}`, csrf: garbage, bearer: garbage, socket: { cookie: `ew_session=${garbage}`, token: garbage } },
      cookieWithoutCsrf: { cookie: owner.cookie, socket: { cookie: owner.cookie } },
    };
  }

  beforeAll(async () => {
    // Identities are made afresh after each operation that ends one: lift the pairing and login limits.
    sut = await startServer(kind, { limits: { pairPerWindow: 10_000, loginPerWindow: 10_000 } });
    owner = await anOrganiser(sut, { email: 'owner@example.org', name: 'Owen Owner', password });
    eventId = await anOpenEvent(owner);
    otherEventId = await anOpenEvent(owner);
    await member('organiser@example.org', 'organiser', [eventId]);
    await member('outsider@example.org', 'organiser', [otherEventId]);
    await member('door@example.org', 'door', [eventId]);
    creds = await makeIdentities();
    const doc = (await request(sut.url).get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path, key: `${method.toUpperCase()} ${path}` })),
    );
  }, 120_000);

  afterAll(async () => {
    await sut?.close();
  });

  it('names every operation of the API, and nothing the API does not have', () => {
    const keys = operations.map((o) => o.key).sort();
    expect(keys.filter((k) => !(k in httpMatrix)), 'operations without an entry in matrix.ts').toEqual([]);
    expect(Object.keys(httpMatrix).filter((k) => !keys.includes(k)), 'entries in matrix.ts the API does not have').toEqual([]);
  });

  /** The path with this event's id and fresh ids elsewhere: a let-in caller meets 404 or 400, not a change. */
  const concrete = (path: string) => path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'eventId' ? eventId : randomUUID()));

  const send = (op: Operation, who: Credentials) => {
    const url = concrete(op.path);
    const agent = request(sut.url);
    let req = op.method === 'GET' ? agent.get(url) : op.method === 'POST' ? agent.post(url) : op.method === 'PUT' ? agent.put(url) : op.method === 'PATCH' ? agent.patch(url) : agent.delete(url);
    if (who.cookie) req = req.set('cookie', who.cookie);
    if (who.csrf) req = req.set('x-csrf-token', who.csrf);
    if (who.bearer) req = req.set('authorization', `Bearer ${who.bearer}`);
    // An empty body: a caller let in is stopped by validation or by the unknown ids, never by a change.
    return SAFE.has(op.method) ? req : req.set('content-type', 'application/json').send('{}');
  };

  it('answers every operation as the matrix says for every identity', async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const op of operations) {
      const policy = httpMatrix[op.key];
      if (!policy) continue;
      for (const who of identities) {
        const res = await send(op, creds[who]);
        checked++;
        const status = res.status;
        let expected = allows(policy, who);
        // A cookie without the CSRF header reads, but never writes.
        if (who === 'cookieWithoutCsrf' && !SAFE.has(op.method) && policy !== 'anyone') expected = false;
        const code = (res.body as { error?: { code?: string } } | undefined)?.error?.code;
        if (status >= 500) wrong.push(`${op.key} as ${who}: ${status} ${code ?? ''}`);
        else if (expected && DENIED.has(status)) wrong.push(`${op.key} as ${who}: refused ${status} ${code ?? ''}, should be let in`);
        else if (!expected && !DENIED.has(status)) wrong.push(`${op.key} as ${who}: let in (${status} ${code ?? ''}), should be refused`);
        if (expected && endsOwnSession.has(op.key) && !DENIED.has(status)) creds = await makeIdentities();
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe(operations.length * identities.length);
  }, 300_000);

  it('answers every socket command as the matrix says for every identity', async () => {
    const wrong: string[] = [];
    const payloadFor = (event: keyof ClientToServerEvents) => (event === 'event:subscribe' ? { eventId } : {});
    for (const who of identities) {
      const socket: ClientSocket | null = await aSocket(sut, creds[who].socket ?? {}).catch(() => null);
      for (const [event, policy] of Object.entries(socketMatrix) as [keyof ClientToServerEvents, Policy][]) {
        const expected = allows(policy, who);
        if (!socket) {
          if (expected) wrong.push(`${event} as ${who}: the handshake was refused, should be let in`);
          continue;
        }
        const timed = socket.timeout(5000);
        const ack = (await (timed.emitWithAck as unknown as (e: string, p: unknown) => Promise<{ ok: boolean; error?: { code: string } }>)(event, payloadFor(event))) ?? { ok: false };
        const refused = !ack.ok && (ack.error?.code === 'forbidden' || ack.error?.code === 'unauthenticated');
        if (ack.error?.code === 'internal') wrong.push(`${event} as ${who}: internal error`);
        else if (expected && refused) wrong.push(`${event} as ${who}: refused (${ack.error?.code}), should be let in`);
        else if (!expected && !refused) wrong.push(`${event} as ${who}: let in (${ack.ok ? 'ok' : ack.error?.code}), should be refused`);
      }
      socket?.close();
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
