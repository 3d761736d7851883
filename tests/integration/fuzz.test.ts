/**
 * A bounded fuzz of every operation in /api/openapi.json and every client-to-server socket
 * event, as each identity (none, organiser, kiosk, screen, attendee) and with junk ones:
 * mutated path parameters (bad %-escapes included), odd, oversized and unparsable bodies,
 * wrong content types and encodings, junk cookies, authorization headers and query strings.
 * No answer may be a 5xx (or an `internal` ack), the server answers /api/health after the
 * run, and a batch whose requests were all refused (or were reads) changes nothing stored.
 * Seeded: FUZZ_SEED reproduces a run; FUZZ_REQUESTS scales it.
 */
import { Agent, request as httpRequest } from 'node:http';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendees, attendeeSessions, rowsOf } from '@edgewise/db';
import { clientEvents } from '@edgewise/shared';
import { sha256, cryptoRandomToken } from '../../api/src/deps';
import { seededRng, type Rng } from '../bench/lib/rng';
import { aGuest, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { aSocket, dbKinds, request, startServer, type ClientSocket, type TestServer } from '../fixtures/server';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_125);
const HTTP_REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2400);
const SOCKET_MESSAGES = Math.round(HTTP_REQUESTS / 4);
const BATCH = 8;
const CONCURRENCY = 4;

/** Tables that legitimately change on a refusal: refused scans are logged, attempts counted, actions audited. */
const volatileTables = new Set([
  'checkins',
  'rate_limits',
  'audit_log',
  'socket_io_attachments',
]);
/** Columns touched by being seen, not by what was asked. */
const volatileColumns = new Set(['devices.last_seen_at']);

type IdentityName = 'none' | 'organiser' | 'kiosk' | 'screen' | 'attendee';
const identityNames: IdentityName[] = ['none', 'organiser', 'kiosk', 'screen', 'attendee'];

interface Operation {
  method: string;
  path: string;
  params: string[];
  body: 'json' | 'csv' | undefined;
  /** Property names of the JSON body schema, to give them odd values. */
  properties: string[];
  queryNames: string[];
}

interface Sent {
  method: string;
  path: string;
  identity: string;
  contentType: string | undefined;
  body: string;
  status: number;
}

const pick = <T,>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const chance = (rng: Rng, p: number) => rng() < p;

const junkSegments = [
  '%ff',
  '%',
  '%E0%A4%A',
  '%C0%AF',
  '%00',
  '..%2f..%2fetc',
  '%2e%2e',
  '0',
  '-1',
  'null',
  'undefined',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  "'%20or%201=1--",
  '%F0%9F%98%80',
  'x'.repeat(3000),
  '%7B%7D',
  'NaN',
];

const junkQueries = [
  '?q=%ff',
  '?q=%',
  '?a[b][c]=1',
  '?format=png&format=svg',
  '?attendeeId[]=1',
  '?attendeeId=%00',
  '?skipDuplicates=maybe',
  '?skipDuplicates=true&skipDuplicates=false',
  `?${'a=1&'.repeat(1500)}`,
  '?__proto__[x]=1',
  '?constructor[prototype][polluted]=1',
  '?q=' + 'z'.repeat(5000),
  '?limit=-1&offset=1e309',
  '?since=not-a-date',
];

const junkCookies = [
  'ew_session=j:{"a":1}',
  'ew_session=j:[1,2,3]',
  'ew_session=%ff',
  'ew_session=s:junk.sig',
  `ew_session=${'a'.repeat(4000)}`,
  'ew_session=; ew_session=x',
  'ew_session="unterminated',
  '=;;==;',
];

const junkAuthorizations = ['Bearer', 'Bearer ', 'Bearer %ff', 'Basic Zm9vOmJhcg==', `Bearer ${'A'.repeat(5000)}`, 'Bearer j:{"a":1}', 'Bearer a.b.c', 'bearer   x   y'];

const contentTypes = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/merge-patch+json',
  'text/plain',
  'text/csv',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  'application/xml',
  undefined,
];

/** Any JSON value, nested a little; sometimes one that plays with prototypes. */
function junkValue(rng: Rng, depth = 0): unknown {
  const kinds = depth > 2 ? 7 : 10;
  switch (Math.floor(rng() * kinds)) {
    case 0:
      return null;
    case 1:
      return pick(rng, [0, -1, 1.5, 2 ** 31, -(2 ** 53), 1e308, Number.MAX_SAFE_INTEGER]);
    case 2:
      return pick(rng, [true, false]);
    case 3:
      return pick(rng, ['', ' ', 'a', '%ff', '\u0000', '<script>alert(1)</script>', '\ud800', 'é'.repeat(300), 'x'.repeat(20_000), '2026-13-45T99:99:99Z', 'not-a-uuid', '00000000-0000-0000-0000-000000000000']);
    case 4:
      return pick(rng, ['kiosk', 'screen', 'yes', 'no', 'maybe', 'org@example.org', 'a@b', 'https://example.org', 'javascript:alert(1)']);
    case 5:
      return {};
    case 6:
      return [];
    case 7:
      return Array.from({ length: Math.floor(rng() * 4) }, () => junkValue(rng, depth + 1));
    case 8: {
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(rng() * 4); i > 0; i--) o[pick(rng, ['a', 'eventId', 'id', 'name', '__proto__', 'constructor', 'toString'])] = junkValue(rng, depth + 1);
      return o;
    }
    default:
      return JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}') as unknown;
  }
}

/** A body in the shape of the schema's properties, each with an odd value. */
function oddObject(rng: Rng, properties: string[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const p of properties) if (chance(rng, 0.7)) o[p] = junkValue(rng);
  if (chance(rng, 0.3)) o[pick(rng, ['extra', '__proto__', 'id', 'role', 'organisationId'])] = junkValue(rng);
  return o;
}

function junkBodyText(rng: Rng, op: Operation): string {
  switch (Math.floor(rng() * 9)) {
    case 0:
      return pick(rng, ['{', '{"a":', '[', 'nul', '"unterminated', '{"a":1,}', "{'a':1}", '\u0000', 'NaN', '']);
    case 1:
      return '['.repeat(5000) + ']'.repeat(5000);
    case 2:
      // Over the JSON limit (100 kB) and under the CSV one.
      return JSON.stringify({ name: 'x'.repeat(150_000) });
    case 3:
      return 'name,email\n' + '"unterminated,\n'.repeat(50) + '\u0000\u0001,\ud800\n';
    case 4:
      return JSON.stringify(junkValue(rng));
    default:
      return JSON.stringify(oddObject(rng, op.properties));
  }
}

function operationsOf(openapi: { paths: Record<string, Record<string, Record<string, unknown>>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(openapi.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const parameters = (op.parameters ?? []) as { name: string; in: string }[];
      const content = (op.requestBody as { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } | undefined)?.content;
      ops.push({
        method: method.toUpperCase(),
        path,
        params: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryNames: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        body: content?.['text/csv'] ? 'csv' : content?.['application/json'] ? 'json' : undefined,
        properties: Object.keys(content?.['application/json']?.schema?.properties ?? {}),
      });
    }
  }
  return ops;
}

describe.each(dbKinds)('fuzz (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;
  let eventId: string;
  let otherEventId: string;
  let guestIds: string[];
  const tokens: Record<'kiosk' | 'screen' | 'attendee', string> & { kioskId: string; screenId: string } = {
    kiosk: '',
    screen: '',
    attendee: '',
    kioskId: '',
    screenId: '',
  };
  // A connection per request: a refusal that closes its connection early cannot trip the next request.
  const agent = new Agent({ keepAlive: false, maxSockets: CONCURRENCY });

  const openAttendeeSession = async () => {
    // Straight into the table: how a session starts is another suite's business.
    const token = cryptoRandomToken(32);
    await sut.database.db
      .insert(attendeeSessions)
      .values({ id: sha256(token), attendeeId: guestIds[0]!, createdAt: new Date(sut.clock()), expiresAt: new Date(sut.clock() + 86_400_000) });
    tokens.attendee = token;
  };

  /** After an accepted write: an identity the fuzz signed out or unpaired gets new credentials. */
  const reviveIdentities = async () => {
    if ((await org.get('/api/auth/session')).status !== 200) org = await anOrganiser(sut);
    for (const k of ['kiosk', 'screen'] as const) {
      const alive = await request(sut.url).get('/api/device').set('authorization', `Bearer ${tokens[k]}`);
      if (alive.status !== 200) {
        const paired = await aPairedDevice(sut, org, eventId, k);
        tokens[k] = paired.token;
        tokens[k === 'kiosk' ? 'kioskId' : 'screenId'] = paired.deviceId;
      }
    }
    if ((await request(sut.url).get('/api/me').set('authorization', `Bearer ${tokens.attendee}`)).status !== 200) {
      // The fuzz may have deleted the guest (or the guest erased themselves): a new one stands in.
      const [still] = await sut.database.db.select({ id: attendees.id }).from(attendees).where(eq(attendees.id, guestIds[0]!));
      if (!still) guestIds[0] = (await aGuest(org, eventId, { name: 'Ada Again' })).id;
      await openAttendeeSession();
    }
  };

  beforeAll(async () => {
    sut = await startServer(kind, { limits: { pairPerWindow: 100_000, loginPerWindow: 100_000, loginPerAddressPerWindow: 100_000, searchPerWindow: 100_000 } });
    org = await anOrganiser(sut);
    eventId = await anOpenEvent(org, { name: 'Fuzz Night' });
    otherEventId = await anOpenEvent(org, { name: 'Other Night' });
    guestIds = [];
    for (const name of ['Ada Lovelace', 'Grace Hopper', 'Alan Turing']) guestIds.push((await aGuest(org, eventId, { name })).id);
    guestIds.push((await aGuest(org, otherEventId, { name: 'Other Guest' })).id);
    const kiosk = await aPairedDevice(sut, org, eventId, 'kiosk');
    const screen = await aPairedDevice(sut, org, eventId, 'screen');
    Object.assign(tokens, { kiosk: kiosk.token, kioskId: kiosk.deviceId, screen: screen.token, screenId: screen.deviceId });
    await openAttendeeSession();
  });
  afterAll(async () => {
    agent.destroy();
    await sut?.close();
  });

  /** Row counts and a hash of the rows of every table that a refusal must not touch. */
  async function digest(): Promise<Record<string, string>> {
    const db = sut.database.db;
    const columns = rowsOf<{ table_name: string; column_name: string }>(
      await db.execute(sql`select table_name, column_name from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position`),
    );
    const byTable = new Map<string, string[]>();
    for (const c of columns) {
      if (volatileTables.has(c.table_name) || volatileColumns.has(`${c.table_name}.${c.column_name}`)) continue;
      byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), c.column_name]);
    }
    const out: Record<string, string> = {};
    for (const [table, cols] of byTable) {
      const list = cols.map((c) => `"${c}"`).join(', ');
      const [row] = rowsOf<{ n: number | string; h: string | null }>(
        await db.execute(sql.raw(`select count(*) as n, md5(coalesce(string_agg(r, '|' order by r), '')) as h from (select row(${list})::text as r from "${table}") x`)),
      );
      out[table] = `${row?.n}:${row?.h}`;
    }
    return out;
  }

  function send(method: string, path: string, headers: Record<string, string>, body: string | undefined): Promise<number> {
    return new Promise((resolve) => {
      const url = new URL(sut.url);
      let status = 0;
      // Node sends a GET or DELETE body with neither a length nor chunking: the server then
      // reads those bytes as the next request on the socket and answers that 400, while the
      // DELETE itself goes through. Said with its length, the body belongs to its request.
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers, agent }, (res) => {
        status = res.statusCode ?? 0;
        res.resume();
        res.on('end', () => resolve(status));
      });
      // A server that answers early (413, 431) closes while the body is still going out:
      // the answer counts; a reset with no answer at all is recorded as status 0.
      req.on('error', () => resolve(status));
      // No answer within seconds is a hang: recorded as status 0 like a reset.
      req.setTimeout(8_000, () => req.destroy());
      req.end(body);
    });
  }

  function paramValue(rng: Rng, name: string): string {
    if (chance(rng, 0.45)) return pick(rng, junkSegments);
    const known: Record<string, string[]> = {
      eventId: [eventId, eventId, otherEventId],
      attendeeId: guestIds,
      aboutId: guestIds,
      deviceId: [tokens.kioskId, tokens.screenId],
    };
    return pick(rng, known[name] ?? [...guestIds, eventId, crypto.randomUUID()]);
  }

  function identityHeaders(rng: Rng, identity: IdentityName): Record<string, string> {
    const h: Record<string, string> = {};
    if (identity === 'organiser') {
      h.cookie = org.cookie;
      if (chance(rng, 0.85)) h['x-csrf-token'] = org.csrf;
    } else if (identity !== 'none') {
      h.authorization = `Bearer ${tokens[identity]}`;
    }
    if (chance(rng, 0.12)) h.cookie = pick(rng, junkCookies) + (h.cookie ? `; ${h.cookie}` : '');
    if (chance(rng, 0.12)) h.authorization = pick(rng, junkAuthorizations);
    if (chance(rng, 0.05)) h['x-csrf-token'] = pick(rng, ['', 'j:{}', 'x'.repeat(500)]);
    return h;
  }

  it('answers every fuzzed request and socket message with a 4xx or a success, never a 5xx, and refusals change nothing', { timeout: 180_000 }, async () => {
    const started = Date.now();
    const rng = seededRng(SEED + (kind === 'postgres' ? 1 : 0));
    const openapi = (await request(sut.url).get('/api/openapi.json')).body as Parameters<typeof operationsOf>[0];
    const ops = operationsOf(openapi);
    expect(ops.length).toBeGreaterThan(40);

    const serverErrors: Sent[] = [];
    const changedByRefusals: { batch: Sent[]; tables: string[] }[] = [];
    const statusCounts: Record<string, number> = {};
    let checkedRefusals = 0;
    let baseline = await digest();
    let sent = 0;

    while (sent < HTTP_REQUESTS) {
      const batch: Sent[] = [];
      const plans = Array.from({ length: Math.min(BATCH, HTTP_REQUESTS - sent) }, (_, i) => {
        // Every operation in turn, then at random: each one is tried many times.
        const op = sent + i < ops.length * 4 ? ops[(sent + i) % ops.length]! : pick(rng, ops);
        const identity = pick(rng, identityNames);
        let path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => paramValue(rng, name));
        const queryRoll = rng();
        if (queryRoll < 0.3) path += pick(rng, junkQueries);
        else if (op.queryNames.length && queryRoll < 0.5) path += `?${pick(rng, op.queryNames)}=${encodeURIComponent(JSON.stringify(junkValue(rng)) ?? '')}`;
        const headers = identityHeaders(rng, identity);
        let body: string | undefined;
        let contentType: string | undefined;
        if (op.body || chance(rng, 0.15)) {
          body = op.body === 'csv' && chance(rng, 0.5) ? 'name,email\nAda,ada@example.org\n"x,\n' : junkBodyText(rng, op);
          contentType = op.body === 'csv' && chance(rng, 0.5) ? 'text/csv' : pick(rng, contentTypes);
          if (contentType) headers['content-type'] = contentType;
          if (chance(rng, 0.05)) headers['content-encoding'] = pick(rng, ['gzip', 'deflate', 'br', 'x-junk']);
        }
        const method = chance(rng, 0.03) ? pick(rng, ['PUT', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE']) : op.method;
        return { method, path, headers, body, identity, contentType };
      });
      for (let i = 0; i < plans.length; i += CONCURRENCY) {
        await Promise.all(
          plans.slice(i, i + CONCURRENCY).map(async (p) => {
            const status = await send(p.method, p.path, p.headers, p.body);
            const entry = { method: p.method, path: p.path.slice(0, 200), identity: p.identity, contentType: p.contentType, body: (p.body ?? '').slice(0, 200), status };
            batch.push(entry);
            statusCounts[String(status)[0] + 'xx'] = (statusCounts[String(status)[0] + 'xx'] ?? 0) + 1;
            if (status >= 500 || status === 0) serverErrors.push(entry);
          }),
        );
      }
      sent += plans.length;
      if (process.env.FUZZ_TRACE) process.stdout.write(`${sent} ${Date.now() - started}ms\n`);

      await sut.matching.settled();
      const after = await digest();
      // Any success may write (a read may issue a missing ticket or tidy expired sessions):
      // only a batch refused whole is held to changing nothing.
      const wrote = batch.some((b) => b.status < 400);
      if (!wrote) {
        const tables = Object.keys({ ...baseline, ...after }).filter((t) => baseline[t] !== after[t]);
        if (tables.length) changedByRefusals.push({ batch: batch.filter((b) => b.status >= 400), tables });
        checkedRefusals += batch.filter((b) => b.status >= 400).length;
      } else {
        await reviveIdentities();
        await sut.matching.settled();
        baseline = await digest();
        continue;
      }
      baseline = after;
    }

    // Sockets: junk handshakes, then junk payloads for every client event as every identity.
    let socketMessages = 0;
    const internalAcks: { identity: string; event: string; payload: string; code: string }[] = [];
    const handshakes: Parameters<typeof aSocket>[1][] = [
      { token: 'j:{"a":1}' },
      { attendeeToken: '%ff' },
      { token: 'x'.repeat(5000) },
      { cookie: 'ew_session=j:{"a":1}' },
      { cookie: junkCookies.join('; ') },
      { cookie: `ew_session=${'a'.repeat(4000)}` },
    ];
    for (const h of handshakes) await expect(aSocket(sut, h)).rejects.toThrow();
    for (const auth of [{ token: 42 }, { attendeeToken: { $ne: null } }, { token: ['a'] }, 'not-an-object']) {
      const { io } = await import('socket.io-client');
      const s = io(sut.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: auth as Record<string, unknown> });
      await new Promise<void>((resolve) => {
        s.once('connect', () => resolve());
        s.once('connect_error', () => resolve());
        setTimeout(resolve, 3_000);
      });
      s.close();
    }
    await reviveIdentities();
    const sockets: [IdentityName, ClientSocket][] = [
      ['organiser', await aSocket(sut, { cookie: org.cookie })],
      ['kiosk', await aSocket(sut, { token: tokens.kiosk })],
      ['screen', await aSocket(sut, { token: tokens.screen })],
      ['attendee', await aSocket(sut, { attendeeToken: tokens.attendee })],
    ];
    type Emitter = { emit(ev: string, ...args: unknown[]): void; timeout(ms: number): { emitWithAck(ev: string, ...args: unknown[]): Promise<unknown> } };
    type Answer = { ok?: boolean; error?: { code?: string } } | undefined;
    const ask = (socket: ClientSocket, event: string, args: unknown[], ms: number) =>
      (socket as unknown as Emitter)
        .timeout(ms)
        .emitWithAck(event, ...args)
        .catch(() => ({ ok: false, error: { code: 'no_answer' } })) as Promise<Answer>;
    // Which events each kind of socket is answered on: an event it has no handler for gets
    // no acknowledgement at all (said in the report); on the others, silence is a failure.
    const handled: [IdentityName, ClientSocket, string][] = [];
    const unanswered: string[] = [];
    await Promise.all(
      sockets.flatMap(([identity, socket]) =>
        clientEvents.map(async (event) => {
          const answer = await ask(socket, event, [{}], 1_500);
          if (answer?.error?.code === 'no_answer') unanswered.push(`${event} as ${identity}`);
          else handled.push([identity, socket, event]);
        }),
      ),
    );
    baseline = await digest();
    let socketWrote = false;
    try {
      while (socketMessages < SOCKET_MESSAGES) {
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            const [identity, socket, event] = pick(rng, handled);
            const payload = chance(rng, 0.6)
              ? oddObject(rng, ['eventId', 'suggestionId', 'aboutId', 'answer', 'met', 'text', 'queueLength', 'optOut', 'aId', 'bId', 'message', 'tags', 'lookingFor'])
              : junkValue(rng);
            socketMessages++;
            if (chance(rng, 0.1)) {
              // No acknowledgement asked for: the server must not trip over the missing callback.
              (socket as unknown as Emitter).emit(event, payload);
              return;
            }
            const answer = await ask(socket, event, chance(rng, 0.1) ? [] : [payload], 5_000);
            if (answer?.ok === true && !['me:sync', 'screen:sync', 'event:subscribe'].includes(event)) socketWrote = true;
            const code = answer?.error?.code;
            if (code === 'internal' || code === 'no_answer') internalAcks.push({ identity, event, payload: JSON.stringify(payload ?? null).slice(0, 200), code });
          }),
        );
      }
    } finally {
      for (const [, s] of sockets) s.close();
    }
    await sut.matching.settled();
    const afterSockets = await digest();
    const socketTablesChanged = socketWrote ? [] : Object.keys(afterSockets).filter((t) => afterSockets[t] !== baseline[t]);

    expect((await request(sut.url).get('/api/health')).status).toBe(200);
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `${JSON.stringify({ bench: 'fuzz', db: kind, seed: SEED, requests: sent, socketMessages, refusalsChecked: checkedRefusals, statusCounts, seconds, unanswered })}\n`,
    );
    expect(serverErrors).toEqual([]);
    expect(internalAcks).toEqual([]);
    expect(changedByRefusals).toEqual([]);
    expect(socketTablesChanged).toEqual([]);
    expect(checkedRefusals).toBeGreaterThan(HTTP_REQUESTS / 5);
  });
});
