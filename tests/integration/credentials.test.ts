import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendeeSessions, auditLog, checkins, phoneLinks } from '@edgewise/db';
import type { CheckinOutcome, Device, MeSession, NameSearchResult, PhoneLink, WalkInResult } from '@edgewise/shared';
import { aGuest, aNonce, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { aRecordingMailer, aSignInCode, aSignedInToken, codeInMail } from '../fixtures/credentials';
import { bearer } from '../fixtures/room';
import { aSocket, dbKinds, request, startServer, type ClientSocket, type TestServer } from '../fixtures/server';

type Guest = Awaited<ReturnType<typeof aGuest>>;

/**
 * Each credential opens one thing (issue 9): a ticket checks a guest in and never opens their
 * page; a page opens only from a one-time code, the kiosk's (for the guest it just accepted,
 * once) or a mailed sign-in link; revocation, reissue, deletion, erasure and "sign out
 * everywhere" end every session; name search at an unattended kiosk asks for a confirmation.
 */
describe.each(dbKinds)('credentials with one job each (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;
  let eventId: string;
  let kiosk: { token: string; deviceId: string };
  const post = { mail: aRecordingMailer() };
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    sut = await startServer(kind, { mailer: post.mail.mailer, limits: { pairPerWindow: 1000, loginPerWindow: 1000, searchPerWindow: 1000 } });
    org = await anOrganiser(sut);
    eventId = await anOpenEvent(org, { settings: { walkInsAllowed: true } });
    kiosk = await aPairedDevice(sut, org, eventId);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await sut?.close();
  });

  const now = () => new Date(sut.clock()).toISOString();
  const atKiosk = (token = kiosk.token) => bearer(sut, token);
  const scan = (body: Record<string, unknown>, token = kiosk.token) => {
    // A second after the scan before: the kiosk acts for the guest it scanned last.
    sut.clock.advance(1000);
    return atKiosk(token).post(`/api/events/${eventId}/checkins`, { nonce: aNonce(), scannedAt: now(), type: 'entry', ...body });
  };
  const outcome = (res: { body: unknown }) => res.body as CheckinOutcome;
  const phoneLink = (guest: { id: string }, token = kiosk.token) => atKiosk(token).post(`/api/events/${eventId}/attendees/${guest.id}/phone-link`);
  const startSession = (body: object) => request(sut.url).post('/api/me/session').send(body);
  const getMe = (token: string) => request(sut.url).get('/api/me').set('authorization', `Bearer ${token}`);
  const socketOf = async (token: string) => {
    const s = await aSocket(sut, { attendeeToken: token });
    sockets.push(s);
    return s;
  };
  const dropped = (socket: ClientSocket) => new Promise<string>((resolve) => socket.once('disconnect', resolve));
  const signInLink = (email: string, eventIdOf?: string) => request(sut.url).post('/api/me/sign-in-link').send({ email, ...(eventIdOf ? { eventId: eventIdOf } : {}) });
  const sessionsOf = (guest: Guest) => sut.database.db.select().from(attendeeSessions).where(eq(attendeeSessions.attendeeId, guest.id));
  const auditOf = (action: string, guest: Guest) =>
    sut.database.db.select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.targetId, guest.id)));

  describe('the ticket', () => {
    it('never opens a session, and says how to get a link instead', async () => {
      const guest = await aGuest(org, eventId);
      for (const ticket of [guest.secret, `${sut.deps.publicUrl}/t/${guest.secret}`]) {
        const res = await startSession({ ticket });
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('ticket_not_a_login');
        expect(res.body.error.message).toContain(`${sut.deps.publicUrl}/me`);
      }
      expect(await sessionsOf(guest)).toEqual([]);
    });
  });

  describe("the kiosk's phone link", () => {
    it('is refused after a name search answered already_checked_in (the guest checked in elsewhere earlier)', async () => {
      const guest = await aGuest(org, eventId, { name: 'Priya Present' });
      const door = await aPairedDevice(sut, org, eventId);
      expect(outcome(await scan({ token: guest.secret }, door.token)).status).toBe('ok');
      sut.clock.advance(10 * 60_000);

      // Another kiosk, even a staffed one, where someone types her name.
      expect((await org.patch(`/api/events/${eventId}/devices/${kiosk.deviceId}`, { staffed: true })).status).toBe(200);
      try {
        const found = await atKiosk().get(`/api/events/${eventId}/kiosk/search?q=Priya`);
        const [hit] = found.body as NameSearchResult[];
        expect(hit).toMatchObject({ id: guest.id, presence: 'present' });
        expect(outcome(await scan({ attendeeId: guest.id })).status).toBe('already_checked_in');
        const link = await phoneLink(guest);
        expect(link.status).toBe(403);
        expect(link.body.error.code).toBe('phone_link_not_allowed');
        // The door kiosk accepted her ten minutes ago: too long ago for a link there too.
        expect((await phoneLink(guest, door.token)).body.error.code).toBe('phone_link_not_allowed');
      } finally {
        await org.patch(`/api/events/${eventId}/devices/${kiosk.deviceId}`, { staffed: false });
      }
    });

    it('is given once per accepted check-in, by the kiosk that accepted it, within 5 minutes', async () => {
      const guest = await aGuest(org, eventId);
      const other = await aPairedDevice(sut, org, eventId);
      expect(outcome(await scan({ token: guest.secret })).status).toBe('ok');
      expect((await phoneLink(guest, other.token)).body.error.code).toBe('phone_link_not_allowed');
      sut.clock.advance(4 * 60_000);
      const first = await phoneLink(guest);
      expect(first.status).toBe(201);
      const again = await phoneLink(guest);
      expect(again.status).toBe(403);
      expect(again.body.error.code).toBe('phone_link_not_allowed');
      const code = new URL((first.body as PhoneLink).url).searchParams.get('code');
      expect((await startSession({ code })).status).toBe(201);
      const [link] = await sut.database.db.select().from(phoneLinks).where(eq(phoneLinks.attendeeId, guest.id));
      expect(link).toMatchObject({ kind: 'kiosk', deviceId: kiosk.deviceId });
      expect(link?.checkinId).not.toBeNull();

      // Out and back in: a new accepted entry, a new link; but not six minutes later.
      expect(outcome(await scan({ token: guest.secret, type: 'exit' })).status).toBe('ok');
      expect((await phoneLink(guest)).status).toBe(403);
      expect(outcome(await scan({ token: guest.secret })).reason).toBe('re_entry');
      sut.clock.advance(6 * 60_000);
      expect((await phoneLink(guest)).body.error.code).toBe('phone_link_not_allowed');
    });

    it('is given to a walk-in this kiosk registered', async () => {
      sut.clock.advance(1000);
      const res = await atKiosk().post(`/api/events/${eventId}/walkins`, { name: 'Wendy Walk', email: 'wendy@walk.example', nonce: aNonce(), scannedAt: now() });
      expect(res.status).toBe(201);
      const { attendee } = res.body as WalkInResult;
      expect((await phoneLink(attendee)).status).toBe(201);
      expect((await phoneLink(attendee)).status).toBe(403);
    });

    it('opens no page once the kiosk that gave it is unpaired (a lost tablet still shows it)', async () => {
      const door = await aPairedDevice(sut, org, eventId);
      const guest = await aGuest(org, eventId);
      expect(outcome(await scan({ token: guest.secret }, door.token)).status).toBe('ok');
      const link = await phoneLink(guest, door.token);
      expect(link.status).toBe(201);
      const code = new URL((link.body as PhoneLink).url).searchParams.get('code');

      expect((await org.agent.delete(`/api/events/${eventId}/devices/${door.deviceId}`).set('x-csrf-token', org.csrf)).status).toBe(204);
      const res = await startSession({ code });
      expect(res.status).toBe(404);
      expect(await sessionsOf(guest)).toHaveLength(0);
      // The guest still gets in by a mailed link.
      expect((await startSession({ code: await aSignInCode(sut, guest.id) })).status).toBe(201);
    });
  });

  describe('mailed sign-in links', () => {
    it('mails a registered address a single-use link that opens its page, and answers an unknown one the same way', async () => {
      const guest = await aGuest(org, eventId, { name: 'Mara Mail', email: 'mara@mail.example' });
      expect(await request(sut.url).get('/api/me/sign-in')).toMatchObject({ status: 200, body: { mail: true } });

      const known = await signInLink('Mara@Mail.example');
      const unknown = await signInLink('nobody@mail.example');
      expect([known.status, unknown.status]).toEqual([202, 202]);
      expect(unknown.body).toEqual(known.body);

      const [mail] = await post.mail.mailTo('mara@mail.example');
      if (!mail) throw new Error('no sign-in mail');
      expect(mail.subject).toContain('Your link');
      expect(mail.text).toContain(`${sut.deps.publicUrl}/me?code=`);
      const code = codeInMail(mail);
      const opened = await startSession({ code });
      expect(opened.status).toBe(201);
      expect((opened.body as MeSession).snapshot.me.id).toBe(guest.id);
      expect((await startSession({ code })).status).toBe(404);
      expect(await post.mail.mailTo('nobody@mail.example', 1, 200)).toEqual([]);
      const [stored] = await sut.database.db.select().from(phoneLinks).where(eq(phoneLinks.attendeeId, guest.id));
      expect(stored).toMatchObject({ kind: 'mail', checkinId: null });
      expect(stored?.id).not.toBe(code);
    });

    it('expires a mailed link after 30 minutes', async () => {
      await aGuest(org, eventId, { email: 'late@mail.example' });
      expect((await signInLink('late@mail.example')).status).toBe(202);
      const [mail] = await post.mail.mailTo('late@mail.example');
      if (!mail) throw new Error('no sign-in mail');
      sut.clock.advance(30 * 60_000 + 1000);
      expect((await startSession({ code: codeInMail(mail) })).status).toBe(404);
    });

    it('mails nothing for an erased event, and cannot mail without SMTP (the page then says so)', async () => {
      const past = await anOpenEvent(org, { startsAt: '2026-11-01T17:00:00Z', endsAt: '2026-11-01T22:00:00Z' });
      const slug = ((await org.get(`/api/events/${past}`)).body as { slug: string }).slug;
      await aGuest(org, past, { email: 'erased@mail.example' });
      expect((await org.post(`/api/events/${past}/erase`, { confirmSlug: slug })).status).toBe(200);
      expect((await signInLink('erased@mail.example')).status).toBe(202);
      expect(await post.mail.mailTo('erased@mail.example', 1, 300)).toEqual([]);

      const noSmtp = await startServer(kind, { database: sut.database });
      try {
        expect((await request(noSmtp.url).get('/api/me/sign-in')).body).toEqual({ mail: false });
        expect((await request(noSmtp.url).post('/api/me/sign-in-link').send({ email: 'mara@mail.example' })).status).toBe(202);
      } finally {
        await noSmtp.close();
      }
    });

    it('limits links per address', async () => {
      const small = await startServer(kind, { database: sut.database, mailer: aRecordingMailer().mailer, limits: { loginPerWindow: 2 } });
      try {
        const ask = () => request(small.url).post('/api/me/sign-in-link').send({ email: 'flood@mail.example' });
        expect((await ask()).status).toBe(202);
        expect((await ask()).status).toBe(202);
        const third = await ask();
        expect(third.status).toBe(429);
        expect(third.body.error.code).toBe('rate_limited');
      } finally {
        await small.close();
      }
    });
  });

  describe('ending sessions', () => {
    /** A guest with two phones signed in and a spare sign-in link not used yet. */
    async function aGuestOnTwoPhones() {
      const guest = await aGuest(org, eventId);
      const phones = [await aSignedInToken(sut, guest.id), await aSignedInToken(sut, guest.id)];
      const socket = await socketOf(phones[0] ?? '');
      const spare = await aSignInCode(sut, guest.id);
      return { guest, phones, socket, spare };
    }
    async function expectAllEnded(g: Awaited<ReturnType<typeof aGuestOnTwoPhones>>, gone: Promise<string>) {
      expect(await gone).toBe('io server disconnect');
      for (const token of g.phones) expect((await getMe(token)).status).toBe(401);
      expect((await startSession({ code: g.spare })).status).toBe(404);
      expect(await sessionsOf(g.guest)).toEqual([]);
    }

    it('revoking a ticket ends every session, sockets included, and is audited', async () => {
      const g = await aGuestOnTwoPhones();
      const gone = dropped(g.socket);
      expect((await org.post(`/api/events/${eventId}/attendees/${g.guest.id}/ticket/revoke`)).status).toBe(204);
      await expectAllEnded(g, gone);
      expect(await auditOf('ticket.revoke', g.guest)).toHaveLength(1);
    });

    it('reissuing a ticket ends every session, and is audited', async () => {
      const g = await aGuestOnTwoPhones();
      const gone = dropped(g.socket);
      expect((await org.post(`/api/events/${eventId}/attendees/${g.guest.id}/ticket/reissue`)).status).toBe(201);
      await expectAllEnded(g, gone);
      expect(await auditOf('ticket.reissue', g.guest)).toHaveLength(1);
    });

    it("the organiser's sign-out ends every session of the guest, and only theirs", async () => {
      const g = await aGuestOnTwoPhones();
      const bystander = await aGuest(org, eventId);
      const theirs = await aSignedInToken(sut, bystander.id);
      const gone = dropped(g.socket);
      const res = await org.post(`/api/events/${eventId}/attendees/${g.guest.id}/sign-out`);
      expect(res.status).toBe(204);
      await expectAllEnded(g, gone);
      expect((await getMe(theirs)).status).toBe(200);
      const [entry] = await auditOf('attendee.sign_out', g.guest);
      expect(entry).toMatchObject({ actorKind: 'organiser', eventId });
      expect((await atKiosk().post(`/api/events/${eventId}/attendees/${g.guest.id}/sign-out`)).status).toBe(401);
    });

    it("the attendee's own sign out everywhere ends all their sessions", async () => {
      const g = await aGuestOnTwoPhones();
      const gone = dropped(g.socket);
      const res = await request(sut.url).delete('/api/me/sessions').set('authorization', `Bearer ${g.phones[1] ?? ''}`);
      expect(res.status).toBe(204);
      await expectAllEnded(g, gone);
    });

    it("deleting a guest drops their page's socket at once", async () => {
      const g = await aGuestOnTwoPhones();
      const gone = dropped(g.socket);
      expect((await org.delete(`/api/events/${eventId}/attendees/${g.guest.id}`)).status).toBe(204);
      await expectAllEnded(g, gone);
    });
  });

  describe('name search at an unattended kiosk', () => {
    const byName = (guest: { id: string }, confirmation?: string, token = kiosk.token) =>
      scan({ attendeeId: guest.id, ...(confirmation === undefined ? {} : { confirmation }) }, token);

    it('asks for the first three letters of the email domain, refuses a wrong answer, and accepts the right one', async () => {
      const guest = await aGuest(org, eventId, { email: 'nina@Tidewater.example' });
      const asked = await byName(guest);
      expect(asked.status).toBe(200);
      expect(outcome(asked)).toMatchObject({ status: 'confirmation_required', reason: 'confirmation_required', attendee: null });
      const wrong = await byName(guest, 'gma');
      expect(outcome(wrong)).toMatchObject({ status: 'confirmation_failed', reason: 'confirmation_failed', attendee: null });
      const refused = await sut.database.db.select().from(checkins).where(eq(checkins.attendeeId, guest.id));
      expect(refused.map((r) => [r.reason, r.effective])).toEqual([
        ['confirmation_required', false],
        ['confirmation_failed', false],
      ]);
      const right = await byName(guest, ' TID ');
      expect(right.status).toBe(201);
      expect(outcome(right)).toMatchObject({ status: 'ok', reason: 'first_entry', attendee: { id: guest.id } });
    });

    it('sends the guest to the desk after three wrong answers, and when there is no email to ask about', async () => {
      const guest = await aGuest(org, eventId, { email: 'olu@harbour.example' });
      for (const guess of ['abc', 'def', 'ghi']) expect(outcome(await byName(guest, guess)).reason).toBe('confirmation_failed');
      expect(outcome(await byName(guest, 'har'))).toMatchObject({ status: 'confirmation_failed', reason: 'confirmation_locked' });
      // Another kiosk, or this one later, may try again.
      sut.clock.advance(16 * 60_000);
      expect(outcome(await byName(guest, 'har')).status).toBe('ok');

      const noEmail = await aGuest(org, eventId, { email: null });
      const res = await byName(noEmail, 'exa');
      expect(outcome(res)).toMatchObject({ status: 'confirmation_failed', reason: 'confirmation_unavailable' });
      expect(outcome(res).message).toMatch(/desk/);
    });

    it('checks in by name alone at a kiosk the organiser marked as staffed', async () => {
      const staffed = await aPairedDevice(sut, org, eventId);
      const marked = await org.patch(`/api/events/${eventId}/devices/${staffed.deviceId}`, { staffed: true });
      expect(marked.status).toBe(200);
      expect((marked.body as Device).staffed).toBe(true);
      const guest = await aGuest(org, eventId, { email: null });
      expect(outcome(await byName(guest, undefined, staffed.token)).status).toBe('ok');
      const listed = (await org.get(`/api/events/${eventId}/devices`)).body as Device[];
      expect(listed.find((d) => d.id === staffed.deviceId)?.staffed).toBe(true);
      expect(listed.find((d) => d.id === kiosk.deviceId)?.staffed).toBe(false);
      // A kiosk cannot mark itself staffed.
      expect((await atKiosk().patch(`/api/events/${eventId}/devices/${kiosk.deviceId}`, { staffed: true })).status).toBe(401);
    });
  });
});
