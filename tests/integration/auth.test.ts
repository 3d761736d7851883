import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, organisers, sessions } from '@edgewise/db';
import { anEvent, anOrganiser } from '../fixtures/builders';
import { dbKinds, request, startServer, type TestServer } from '../fixtures/server';

const olga = { email: 'olga@example.org', name: 'Olga Organiser', password: 'correct horse battery' };

const cookieOf = (res: { headers: Record<string, unknown> }) => {
  const raw = (res.headers['set-cookie'] as string[] | undefined)?.find((c) => c.startsWith('ew_session=')) ?? '';
  return raw;
};

describe.each(dbKinds)('auth (%s)', (kind) => {
  let sut: TestServer;

  beforeAll(async () => {
    sut = await startServer(kind, { limits: { loginPerWindow: 3 } });
  });
  afterAll(async () => {
    await sut?.close();
  });

  describe('first set-up', () => {
    it('says set-up is needed while no organiser exists', async () => {
      const res = await request(sut.url).get('/api/auth/setup');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ needsSetup: true });
    });

    it('refuses a wrong setup token and creates nobody', async () => {
      const res = await request(sut.url)
        .post('/api/auth/setup')
        .send({ ...olga, token: `${sut.setupToken.slice(0, -2)}xx` });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('setup_token_invalid');
      const [row] = await sut.database.db.select({ n: count() }).from(organisers);
      expect(row?.n).toBe(0);
    });

    it('refuses a weak password with the field named', async () => {
      const res = await request(sut.url).post('/api/auth/setup').send({ ...olga, password: 'short', token: sut.setupToken });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'password' })]));
    });

    it('creates the first organiser once, logs them in, and then refuses a second set-up', async () => {
      const [first, second] = await Promise.all([
        request(sut.url).post('/api/auth/setup').send({ ...olga, token: sut.setupToken }),
        // The same account twice at once: exactly one wins, and later tests can rely on
        // Olga existing whichever request got there first.
        request(sut.url).post('/api/auth/setup').send({ ...olga, token: sut.setupToken }),
      ]);
      const statuses = [first.status, second.status].sort();
      expect(statuses).toEqual([200, 409]);
      const ok = first.status === 200 ? first : second;
      const refused = first.status === 200 ? second : first;
      expect(refused.body.error.code).toBe('setup_done');
      expect(ok.body.organiser).toMatchObject({ name: olga.name });
      expect(ok.body.csrfToken).toEqual(expect.any(String));

      const cookie = cookieOf(ok);
      expect(cookie).toMatch(/^ew_session=[A-Za-z0-9_-]{40,};/);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).toMatch(/Path=\//);
      expect(cookie).not.toMatch(/Secure/i);

      const rows = await sut.database.db.select().from(organisers);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.passwordHash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
      expect(rows[0]?.passwordHash).not.toContain(olga.password);

      const again = await request(sut.url).post('/api/auth/setup').send({ ...olga, token: sut.setupToken });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('setup_done');
      expect((await request(sut.url).get('/api/auth/setup')).body).toEqual({ needsSetup: false });
    });

    it('stores only a digest of the session cookie', async () => {
      const org = await anOrganiser(sut, olga);
      const value = org.cookie.split('=')[1] ?? '';
      const stored = await sut.database.db.select({ id: sessions.id }).from(sessions);
      expect(stored.length).toBeGreaterThan(0);
      expect(stored.map((s) => s.id)).not.toContain(value);
    });
  });

  describe('login', () => {
    it('logs in with the right password and knows who you are', async () => {
      const agent = request.agent(sut.url);
      const res = await agent.post('/api/auth/login').send({ email: 'OLGA@example.org ', password: olga.password });
      expect(res.status).toBe(200);
      expect(res.body.organiser).toMatchObject({ email: olga.email, name: olga.name });
      const session = await agent.get('/api/auth/session');
      expect(session.status).toBe(200);
      expect(session.body).toEqual(res.body);
    });

    it('answers the same error for a wrong password and an unknown email', async () => {
      const wrong = await request(sut.url).post('/api/auth/login').send({ email: olga.email, password: 'not the password' });
      const unknown = await request(sut.url).post('/api/auth/login').send({ email: 'nobody@example.org', password: 'not the password' });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body.error.code).toBe('invalid_credentials');
      expect(cookieOf(wrong)).toBe('');
    });

    it('answers 401 unauthenticated without a session', async () => {
      const res = await request(sut.url).get('/api/auth/session');
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    });

    it('rate-limits guessing per address and email, with Retry-After, and lets the right password through later', async () => {
      const email = 'target@example.org';
      const org = await anOrganiser(sut, olga);
      expect((await org.post('/api/auth/organisers', { email, name: 'Tara Target', password: 'tara tara tara' })).status).toBe(201);

      const attempt = (password: string) => request(sut.url).post('/api/auth/login').send({ email, password });
      for (let i = 0; i < 3; i++) expect((await attempt('guess guess')).status).toBe(401);
      const limited = await attempt('tara tara tara');
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe('rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(cookieOf(limited)).toBe('');

      // Another account from the same address is not locked out by these guesses.
      expect((await request(sut.url).post('/api/auth/login').send({ email: olga.email, password: olga.password })).status).toBe(200);

      sut.clock.advance(16 * 60_000);
      expect((await attempt('tara tara tara')).status).toBe(200);
    });

    it('resets the count after a successful login', async () => {
      const email = 'reset@example.org';
      const org = await anOrganiser(sut, olga);
      await org.post('/api/auth/organisers', { email, name: 'Rae Reset', password: 'reset reset reset' });
      const attempt = (password: string) => request(sut.url).post('/api/auth/login').send({ email, password });
      expect((await attempt('wrong wrong')).status).toBe(401);
      expect((await attempt('wrong wrong')).status).toBe(401);
      expect((await attempt('reset reset reset')).status).toBe(200);
      expect((await attempt('wrong wrong')).status).toBe(401);
      expect((await attempt('wrong wrong')).status).toBe(401);
      expect((await attempt('reset reset reset')).status).toBe(200);
    });

    it('expires a session after its lifetime', async () => {
      const org = await anOrganiser(sut, olga);
      expect((await org.get('/api/auth/session')).status).toBe(200);
      sut.clock.advance(15 * 86_400_000);
      expect((await org.get('/api/auth/session')).status).toBe(401);
    });
  });

  describe('CSRF and logout', () => {
    it('refuses a cookie-authenticated write without the CSRF token, and writes nothing', async () => {
      const org = await anOrganiser(sut, olga);
      const before = await sut.database.db.select({ n: count() }).from(events);

      const missing = await org.agent.post('/api/events').send(anEvent());
      expect(missing.status).toBe(403);
      expect(missing.body.error.code).toBe('csrf_failed');

      const wrong = await org.agent.post('/api/events').set('x-csrf-token', `${org.csrf}x`).send(anEvent());
      expect(wrong.status).toBe(403);
      expect(wrong.body.error.code).toBe('csrf_failed');

      const other = await anOrganiser(sut, olga);
      const crossed = await org.agent.post('/api/events').set('x-csrf-token', other.csrf).send(anEvent());
      expect(crossed.status).toBe(403);

      const after = await sut.database.db.select({ n: count() }).from(events);
      expect(after[0]?.n).toBe(before[0]?.n);

      expect((await org.post('/api/events', anEvent())).status).toBe(201);
    });

    it('logout needs the CSRF token, then kills the session', async () => {
      const org = await anOrganiser(sut, olga);
      expect((await org.agent.post('/api/auth/logout')).status).toBe(403);
      expect((await org.get('/api/auth/session')).status).toBe(200);

      const out = await org.post('/api/auth/logout');
      expect(out.status).toBe(204);
      expect(String(out.headers['set-cookie'])).toMatch(/ew_session=;/);

      // The old cookie, replayed by hand, opens nothing any more.
      const replay = await request(sut.url).get('/api/auth/session').set('cookie', org.cookie);
      expect(replay.status).toBe(401);
      expect((await request(sut.url).get('/api/events').set('cookie', org.cookie)).status).toBe(401);
    });
  });

  describe('organiser accounts', () => {
    it('lets the owner add a colleague who can then log in, and refuses a duplicate email', async () => {
      const org = await anOrganiser(sut, olga);
      const res = await org.post('/api/auth/organisers', { email: 'Colleague@Example.org', name: 'Cole League', password: 'colleague password' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.any(String), email: 'colleague@example.org', name: 'Cole League', role: 'organiser' });
      expect(res.body).not.toHaveProperty('passwordHash');

      const dup = await org.post('/api/auth/organisers', { email: 'colleague@example.org', name: 'Other', password: 'another password' });
      expect(dup.status).toBe(409);
      expect(dup.body.error.code).toBe('conflict');

      const login = await request(sut.url).post('/api/auth/login').send({ email: 'colleague@example.org', password: 'colleague password' });
      expect(login.status).toBe(200);
    });

    it('does not let anyone without a session add organisers', async () => {
      const res = await request(sut.url).post('/api/auth/organisers').send({ email: 'x@example.org', name: 'X', password: 'xxxxxxxxxxxx' });
      expect(res.status).toBe(401);
    });
  });
});

describe.each(dbKinds)('auth cookie over https (%s)', (kind) => {
  let sut: TestServer;
  beforeAll(async () => {
    sut = await startServer(kind, { publicUrl: 'https://edgewise.example' });
  });
  afterAll(async () => {
    await sut?.close();
  });

  it('marks the session cookie Secure when the public URL is https', async () => {
    const res = await request(sut.url).post('/api/auth/setup').send({ ...olga, token: sut.setupToken });
    expect(res.status).toBe(200);
    expect(cookieOf(res)).toMatch(/;\s*Secure/i);
  });
});

describe.each(dbKinds)('set-up without a token configured (%s)', (kind) => {
  let sut: TestServer;
  beforeAll(async () => {
    sut = await startServer(kind, { setupToken: undefined });
  });
  afterAll(async () => {
    await sut?.close();
  });

  it('cannot be completed by guessing', async () => {
    const res = await request(sut.url).post('/api/auth/setup').send({ ...olga, token: 'undefined-undefined' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('setup_token_invalid');
  });
});
