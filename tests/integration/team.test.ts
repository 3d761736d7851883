import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamInvitations } from '@edgewise/db';
import type { MailMessage } from '../../api/src/deps';
import { aGuest, anEvent, anOpenEvent, anOrganiser, type Organiser } from '../fixtures/builders';
import { aSocket, dbKinds, request, startServer, type ClientSocket, type TestServer } from '../fixtures/server';

const owen = { email: 'owen@example.org', name: 'Owen Owner', password: 'correct horse battery' };
const password = 'a long enough password';

const codeOf = (url: string) => new URL(url).searchParams.get('code') ?? '';
const dropped = (socket: ClientSocket) => new Promise<string>((resolve) => socket.once('disconnect', resolve));
const subscribe = (socket: ClientSocket, eventId: string) =>
  new Promise<{ ok: boolean; error?: { code: string } }>((resolve) => socket.emit('event:subscribe', { eventId }, resolve));

describe.each(dbKinds)('team and audit log (%s)', (kind) => {
  let sut: TestServer;
  let owner: Organiser;
  let mine: string;
  let other: string;
  const mails: MailMessage[] = [];

  beforeAll(async () => {
    sut = await startServer(kind, {
      // Many invitations from one test address: the per-address limit is not under test here.
      limits: { pairPerWindow: 1000 },
      mailer: { kind: 'smtp', from: 'Edgewise <edgewise@example.org>', send: async (m) => (mails.push(m), { messageId: `m${mails.length}` }) },
    });
    owner = await anOrganiser(sut, owen);
    mine = await anOpenEvent(owner);
    other = await anOpenEvent(owner);
  });
  afterAll(async () => {
    await sut?.close();
  });

  /** Invites `email` with a role and events, accepts, and returns the logged-in colleague. */
  async function aColleague(email: string, role: 'owner' | 'organiser' | 'door', eventIds: string[]): Promise<Organiser & { id: string }> {
    const invited = await owner.post('/api/team/invitations', { email, role, eventIds });
    expect(invited.status).toBe(201);
    // The accept answer logs the colleague in, as a login would.
    const agent = request.agent(sut.url);
    const accepted = await agent.post('/api/auth/accept-invitation').send({ code: codeOf(invited.body.url), name: email.split('@')[0], password });
    expect(accepted.status).toBe(200);
    const csrf = accepted.body.csrfToken as string;
    return {
      id: accepted.body.organiser.id as string,
      agent,
      csrf,
      cookie: String(accepted.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '',
      get: (p) => agent.get(p),
      post: (p, b) => agent.post(p).set('x-csrf-token', csrf).send(b as object),
      put: (p, b) => agent.put(p).set('x-csrf-token', csrf).send(b as object),
      patch: (p, b) => agent.patch(p).set('x-csrf-token', csrf).send(b as object),
      delete: (p) => agent.delete(p).set('x-csrf-token', csrf),
    };
  }

  describe('invitations', () => {
    it('gives a one-time link that creates a door-staff member on their events, logged in, and works once', async () => {
      const res = await owner.post('/api/team/invitations', { email: 'Dora@Example.org', role: 'door', eventIds: [mine] });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.any(String), url: expect.stringMatching(/\/dashboard\/invite\?code=[A-Za-z0-9_-]{43,}$/), expiresAt: '2026-12-02T18:00:00.000Z', mailed: true });
      expect(res.body.url.startsWith(sut.deps.publicUrl)).toBe(true);
      const code = codeOf(res.body.url);
      // Only a digest is stored: a database dump holds no working link.
      const [stored] = await sut.database.db.select().from(teamInvitations).where(eq(teamInvitations.id, res.body.id));
      expect(stored?.codeHash).not.toContain(code);
      expect(mails.at(-1)).toMatchObject({ to: 'dora@example.org', subject: 'Owen Owner invites you to the Edgewise team' });
      expect(mails.at(-1)?.text).toContain(res.body.url);

      const team = await owner.get('/api/team');
      expect(team.body.invitations).toEqual([expect.objectContaining({ id: res.body.id, email: 'dora@example.org', role: 'door', eventIds: [mine], invitedBy: 'Owen Owner' })]);

      const info = await request(sut.url).post('/api/auth/invitation').send({ code });
      expect(info.status).toBe(200);
      expect(info.body).toEqual({ email: 'dora@example.org', role: 'door', invitedBy: 'Owen Owner', expiresAt: '2026-12-02T18:00:00.000Z' });

      const accepted = await request(sut.url).post('/api/auth/accept-invitation').send({ code, name: 'Dora Door', password });
      expect(accepted.status).toBe(200);
      expect(accepted.body.organiser).toEqual({ id: expect.any(String), email: 'dora@example.org', name: 'Dora Door', role: 'door' });
      const cookie = String(accepted.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
      const session = await request(sut.url).get('/api/auth/session').set('cookie', cookie);
      expect(session.body.organiser.role).toBe('door');
      const events = await request(sut.url).get('/api/events').set('cookie', cookie);
      expect(events.body.map((e: { id: string }) => e.id)).toEqual([mine]);

      const again = await request(sut.url).post('/api/auth/accept-invitation').send({ code, name: 'Mallory', password });
      expect(again.status).toBe(404);
      expect(again.body.error.code).toBe('invitation_invalid');
      expect((await request(sut.url).post('/api/auth/invitation').send({ code })).status).toBe(404);
      const after = await owner.get('/api/team');
      expect(after.body.invitations).toEqual([]);
      expect(after.body.members).toEqual(
        expect.arrayContaining([expect.objectContaining({ email: 'dora@example.org', role: 'door', eventIds: [mine] })]),
      );
    });

    it('refuses a revoked or expired link, and an invitation for someone already on the team', async () => {
      const revoked = await owner.post('/api/team/invitations', { email: 'rita@example.org', role: 'organiser', eventIds: [] });
      expect((await owner.delete(`/api/team/invitations/${revoked.body.id}`)).status).toBe(204);
      expect((await owner.delete(`/api/team/invitations/${revoked.body.id}`)).status).toBe(404);
      const useRevoked = await request(sut.url).post('/api/auth/accept-invitation').send({ code: codeOf(revoked.body.url), name: 'Rita', password });
      expect(useRevoked.body.error.code).toBe('invitation_invalid');

      const late = await owner.post('/api/team/invitations', { email: 'lee@example.org', role: 'organiser', eventIds: [] });
      sut.clock.advance(7 * 86_400_000 + 1);
      try {
        const useLate = await request(sut.url).post('/api/auth/accept-invitation').send({ code: codeOf(late.body.url), name: 'Lee', password });
        expect(useLate.status).toBe(404);
      } finally {
        sut.clock.advance(-(7 * 86_400_000 + 1));
      }

      const member = await owner.post('/api/team/invitations', { email: owen.email, role: 'door', eventIds: [] });
      expect(member.status).toBe(409);
      const garbage = await request(sut.url).post('/api/auth/invitation').send({ code: 'x'.repeat(43) });
      expect(garbage.body.error.code).toBe('invitation_invalid');
    });

    it('keeps the team to owners', async () => {
      const org = await aColleague('oscar@example.org', 'organiser', [mine]);
      for (const res of [
        await org.get('/api/team'),
        await org.post('/api/team/invitations', { email: 'x@example.org', role: 'owner', eventIds: [] }),
        await org.patch(`/api/team/members/${org.id}`, { role: 'owner' }),
        await org.get('/api/audit'),
        await org.post('/api/auth/organisers', { email: 'y@example.org', name: 'Y', password, role: 'owner' }),
      ]) {
        expect(res.status).toBe(403);
      }
    });
  });

  describe('roles and event access', () => {
    it('gives door staff check-in, guests and devices of their event, and nothing else', async () => {
      const door = await aColleague('dan@example.org', 'door', [mine]);
      const guest = await aGuest(owner, mine);
      expect((await door.get(`/api/events/${mine}/attendees`)).status).toBe(200);
      expect((await door.get(`/api/events/${mine}/checkins`)).status).toBe(200);
      expect((await door.post(`/api/events/${mine}/pairing-codes`, { kind: 'kiosk', name: 'Door kiosk' })).status).toBe(201);
      for (const res of [
        await door.get(`/api/events/${mine}/exports/attendees.csv`),
        await door.get(`/api/events/${mine}/exports/suggestions.csv`),
        await door.get(`/api/events/${mine}/followups`),
        await door.get(`/api/events/${mine}/edges`),
        await door.get(`/api/events/${mine}/introductions`),
        await door.get(`/api/events/${mine}/acquaintances`),
        await door.post(`/api/events/${mine}/attendees/${guest.id}/ticket/revoke`),
        await door.patch(`/api/events/${mine}`, { name: 'Renamed' }),
      ]) {
        expect(res.status).toBe(403);
      }
    });

    it('keeps an organiser out of the events they were not given, sockets included', async () => {
      const org = await aColleague('olive@example.org', 'organiser', [mine]);
      expect((await org.get(`/api/events/${mine}/attendees`)).status).toBe(200);
      expect((await org.get(`/api/events/${other}`)).status).toBe(403);
      expect((await org.get(`/api/events/${other}/attendees`)).status).toBe(403);
      expect((await org.get(`/api/events/${other}/exports/attendees.csv`)).status).toBe(403);
      const socket = await aSocket(sut, { cookie: org.cookie });
      try {
        expect((await subscribe(socket, mine)).ok).toBe(true);
        expect(await subscribe(socket, other)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      } finally {
        socket.close();
      }
    });

    it('grants the events named when an owner creates an account directly', async () => {
      const res = await owner.post('/api/auth/organisers', { email: 'gia@example.org', name: 'Gia', password, role: 'organiser', eventIds: [other] });
      expect(res.status).toBe(201);
      const gia = await anOrganiser(sut, { email: 'gia@example.org', name: 'Gia', password });
      expect((await gia.get('/api/events')).body.map((e: { id: string }) => e.id)).toEqual([other]);
      expect((await gia.get(`/api/events/${other}/attendees`)).status).toBe(200);
    });

    it('ends a member’s sessions and sockets at once on a role change', async () => {
      const org = await aColleague('rob@example.org', 'organiser', [mine]);
      const socket = await aSocket(sut, { cookie: org.cookie });
      expect((await subscribe(socket, mine)).ok).toBe(true);
      const gone = dropped(socket);
      const res = await owner.patch(`/api/team/members/${org.id}`, { role: 'door' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: org.id, role: 'door', eventIds: [mine] });
      expect(await gone).toBe('io server disconnect');
      expect((await org.get('/api/auth/session')).status).toBe(401);
      const again = await anOrganiser(sut, { email: 'rob@example.org', name: 'Rob', password });
      expect((await again.get('/api/auth/session')).body.organiser.role).toBe('door');
      expect((await again.get(`/api/events/${mine}/exports/attendees.csv`)).status).toBe(403);
    });

    it('takes a member out of the live room of an event they lose, keeping their session', async () => {
      const org = await aColleague('eve@example.org', 'organiser', [mine, other]);
      const socket = await aSocket(sut, { cookie: org.cookie });
      try {
        expect((await subscribe(socket, other)).ok).toBe(true);
        const res = await owner.patch(`/api/team/members/${org.id}`, { eventIds: [mine] });
        expect(res.body).toMatchObject({ role: 'organiser', eventIds: [mine] });
        let heard = 0;
        socket.on('guestlist:changed', () => heard++);
        await aGuest(owner, other);
        await new Promise((r) => setTimeout(r, 150));
        expect(heard).toBe(0);
        expect(socket.connected).toBe(true);
        expect((await org.get('/api/auth/session')).status).toBe(200);
        expect((await org.get(`/api/events/${other}/attendees`)).status).toBe(403);
        expect((await subscribe(socket, other)).ok).toBe(false);
      } finally {
        socket.close();
      }
    });

    it('ends a removed member’s sessions and sockets at once', async () => {
      const org = await aColleague('max@example.org', 'organiser', [mine]);
      const socket = await aSocket(sut, { cookie: org.cookie });
      expect((await subscribe(socket, mine)).ok).toBe(true);
      const gone = dropped(socket);
      expect((await owner.delete(`/api/team/members/${org.id}`)).status).toBe(204);
      expect(await gone).toBe('io server disconnect');
      expect((await org.get('/api/auth/session')).status).toBe(401);
      expect((await request(sut.url).post('/api/auth/login').send({ email: 'max@example.org', password })).status).toBe(401);
      expect((await owner.get('/api/team')).body.members.map((m: { email: string }) => m.email)).not.toContain('max@example.org');
      expect((await owner.delete(`/api/team/members/${org.id}`)).status).toBe(404);
    });

    it('drops the sockets of the session that logs out, and only those', async () => {
      const first = await aColleague('lou@example.org', 'organiser', [mine]);
      const second = await anOrganiser(sut, { email: 'lou@example.org', name: 'Lou', password });
      const a = await aSocket(sut, { cookie: first.cookie });
      const b = await aSocket(sut, { cookie: second.cookie });
      try {
        const gone = dropped(a);
        expect((await first.post('/api/auth/logout')).status).toBe(204);
        expect(await gone).toBe('io server disconnect');
        await new Promise((r) => setTimeout(r, 50));
        expect(b.connected).toBe(true);
      } finally {
        a.close();
        b.close();
      }
    });

    it('keeps at least one owner', async () => {
      const demote = await owner.patch(`/api/team/members/${(await owner.get('/api/auth/session')).body.organiser.id}`, { role: 'organiser' });
      expect(demote.status).toBe(409);
      expect(demote.body.error.code).toBe('last_owner');
      const ownerId = (await owner.get('/api/auth/session')).body.organiser.id as string;
      const remove = await owner.delete(`/api/team/members/${ownerId}`);
      expect(remove.body.error.code).toBe('last_owner');

      const second = await aColleague('sasha@example.org', 'owner', []);
      expect((await second.get('/api/team')).status).toBe(200);
      // With two owners one may step down; then the other is the last again.
      expect((await second.patch(`/api/team/members/${second.id}`, { role: 'organiser', eventIds: [mine] })).status).toBe(200);
      expect((await owner.delete(`/api/team/members/${ownerId}`)).body.error.code).toBe('last_owner');
    });
  });

  describe('audit log', () => {
    it('records exports, erasures and team changes, newest first, for owners', async () => {
      expect((await owner.get(`/api/events/${mine}/exports/attendees.csv`)).status).toBe(200);
      const created = await owner.post('/api/events', anEvent({ status: 'closed' }));
      const closed = created.body as { id: string; slug: string };
      expect((await owner.post(`/api/events/${closed.id}/erase`, { confirmSlug: closed.slug })).status).toBe(200);

      const page = await owner.get('/api/audit?limit=500');
      expect(page.status).toBe(200);
      const actions = (page.body.entries as { action: string }[]).map((e) => e.action);
      for (const action of [
        'export.attendees',
        'event.erase',
        'team.role_change',
        'team.access_change',
        'team.invitation_create',
        'team.invitation_accept',
        'team.invitation_revoke',
        'team.member_remove',
        'team.member_create',
      ]) {
        expect(actions).toContain(action);
      }
      expect(page.body.entries[0]).toMatchObject({ action: 'event.erase', eventId: closed.id, actor: { kind: 'organiser', name: 'Owen Owner <owen@example.org>' } });
      const roleChanges = (page.body.entries as { action: string; details: unknown; target: { name: string } }[]).filter((e) => e.action === 'team.role_change');
      expect(roleChanges.find((e) => e.target.name.startsWith('rob'))).toMatchObject({ target: { kind: 'organiser', name: 'rob <rob@example.org>' }, details: { from: 'organiser', to: 'door' } });

      const ids = (page.body.entries as { id: number }[]).map((e) => e.id);
      expect([...ids].sort((a, b) => b - a)).toEqual(ids);
      const first = await owner.get('/api/audit?limit=2');
      expect(first.body.entries).toHaveLength(2);
      const second = await owner.get(`/api/audit?limit=2&before=${first.body.next}`);
      expect(second.body.entries[0].id).toBeLessThan(first.body.entries[1].id);
      const oneEvent = await owner.get(`/api/audit?eventId=${mine}`);
      expect(oneEvent.body.entries.map((e: { action: string }) => e.action)).toEqual(['export.attendees']);

      const csv = await owner.get('/api/audit.csv');
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      expect(csv.text).toContain('"event.erase"');
      const latest = await owner.get('/api/audit?limit=1');
      expect(latest.body.entries[0].action).toBe('export.audit');
    });
  });
});
