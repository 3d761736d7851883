import { afterEach, describe, expect, it, vi } from 'vitest';
import { rateLimits } from '@edgewise/db';
import { anOrganiser } from '../fixtures/builders';
import { dbKinds, request, startServer, type TestServer } from '../fixtures/server';

const olga = { email: 'olga@example.org', name: 'Olga Organiser', password: 'correct horse battery' };

// Each test starts its own servers (a fresh database each): on a busy machine that alone can
// take most of the default 30 s.
vi.setConfig({ testTimeout: 90_000 });

describe.each(dbKinds)('rate limits (%s)', (kind) => {
  const servers: TestServer[] = [];
  const aServer = async (...args: Parameters<typeof startServer>) => {
    const server = await startServer(...args);
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    // The second node on a database closes first: the first one owns the database.
    for (const server of servers.reverse()) await server.close();
    servers.length = 0;
  });

  const pair = (server: TestServer, forwardedFor?: string) => {
    const req = request(server.url).post('/api/devices/pair');
    if (forwardedFor) req.set('x-forwarded-for', forwardedFor);
    return req.send({ code: 'ZZZZZ2' });
  };

  it('counts pairing guesses by the connecting address: a rotating X-Forwarded-For does not get round it', async () => {
    const sut = await aServer(kind, { limits: { pairPerWindow: 5 } });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await pair(sut, `198.51.100.${i + 1}`)).status);
    expect(statuses.slice(0, 5)).toEqual([404, 404, 404, 404, 404]);
    expect(statuses.slice(5)).toEqual(Array(7).fill(429));
  });

  it('believes X-Forwarded-For from the balancer TRUST_PROXY names, and from nobody else', async () => {
    const behindBalancer = await aServer(kind, { limits: { pairPerWindow: 2 }, trustProxy: '127.0.0.1' });
    for (let i = 0; i < 6; i++) expect((await pair(behindBalancer, `198.51.100.${i + 1}`)).status).toBe(404);

    const otherBalancer = await aServer(kind, { limits: { pairPerWindow: 2 }, trustProxy: '10.9.9.9' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await pair(otherBalancer, `198.51.100.${i + 1}`)).status);
    expect(statuses).toEqual([404, 404, 429, 429]);
  });

  it('shares the count between two nodes on one database', async () => {
    const a = await aServer(kind, { limits: { pairPerWindow: 4 } });
    const b = await aServer(kind, { database: a.database, limits: { pairPerWindow: 4 } });
    expect((await pair(a)).status).toBe(404);
    expect((await pair(b)).status).toBe(404);
    expect((await pair(a)).status).toBe(404);
    expect((await pair(b)).status).toBe(404);
    expect((await pair(a)).status).toBe(429);
    expect((await pair(b)).status).toBe(429);
  });

  it('limits login per address across many accounts', async () => {
    const sut = await aServer(kind, { limits: { loginPerAddressPerWindow: 4, loginPerWindow: 100 } });
    const attempt = (email: string) => request(sut.url).post('/api/auth/login').send({ email, password: 'guess guess' });
    for (let i = 0; i < 4; i++) expect((await attempt(`someone${i}@example.org`)).status).toBe(401);
    const limited = await attempt('someone-else@example.org');
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'rate_limited', details: { limit: 'address' } });
    expect(limited.body.error.message).toMatch(/network/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    sut.clock.advance(16 * 60_000);
    expect((await attempt('someone-else@example.org')).status).toBe(401);
  });

  it('limits login per account across many addresses, the right password included, until the window ends', async () => {
    const sut = await aServer(kind, { limits: { loginPerAddressPerWindow: 100, loginPerWindow: 3 }, trustProxy: 'loopback' });
    await anOrganiser(sut, olga);
    const attempt = (password: string, from: string) =>
      request(sut.url).post('/api/auth/login').set('x-forwarded-for', from).send({ email: olga.email, password });
    for (let i = 0; i < 3; i++) expect((await attempt('guess guess', `203.0.113.${i + 1}`)).status).toBe(401);
    const limited = await attempt(olga.password, '203.0.113.99');
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'rate_limited', details: { limit: 'account' } });
    expect(limited.body.error.message).toMatch(/account/);

    sut.clock.advance(16 * 60_000);
    expect((await attempt(olga.password, '203.0.113.99')).status).toBe(200);
  });

  it('stores neither addresses nor emails, only hashed keys', async () => {
    const sut = await aServer(kind);
    await request(sut.url).post('/api/auth/login').send({ email: 'secret.person@example.org', password: 'guess guess' });
    await pair(sut);
    const rows = await sut.database.db.select().from(rateLimits);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) {
      expect(row.key).toMatch(/^[0-9a-f]{64}$/);
      expect(row.key).not.toContain('127.0.0.1');
    }
    expect(JSON.stringify(rows)).not.toContain('secret.person');
  });
});
