import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendeeSessions, attendees, notes, suggestions, type StoredReason } from '@edgewise/db';
import type { CheckinOutcome, ClientToServerEvents, IntentBody, KioskSuggestion, MeSession, MeSnapshot, PhoneLink } from '@edgewise/shared';
import { aGuest, anIntent, aNonce, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { aSignInCode, aSignedInToken } from '../fixtures/credentials';
import { aKioskRoom, ask, nextChange } from '../fixtures/room';
import { aSocket, dbKinds, request, startServer, type ClientSocket, type TestServer } from '../fixtures/server';

type Guest = Awaited<ReturnType<typeof aGuest>>;
type Commands = ClientToServerEvents;

const climate: StoredReason[] = [
  { kind: 'common', tags: ['Climate'], text: "You’re both into Climate" },
  { kind: 'receives', tags: ['Investors'], text: "They offer Investors, which you’re looking for" },
];

describe.each(dbKinds)('the attendee page (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;
  let eventId: string;
  let kiosk: { token: string; deviceId: string };
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    sut = await startServer(kind, { limits: { pairPerWindow: 1000 } });
    org = await anOrganiser(sut);
    eventId = await anOpenEvent(org);
    kiosk = await aPairedDevice(sut, org, eventId);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await sut?.close();
  });

  const now = () => new Date(sut.clock()).toISOString();
  const asKiosk = (token = kiosk.token) => ({
    post: (path: string, body?: object) => request(sut.url).post(path).set('authorization', `Bearer ${token}`).send(body),
    get: (path: string) => request(sut.url).get(path).set('authorization', `Bearer ${token}`),
  });
  const checkIn = async (guest: Guest) => {
    // A second after the kiosk's scan before: the kiosk acts for the guest it scanned last.
    sut.clock.advance(1000);
    const res = await asKiosk().post(`/api/events/${eventId}/checkins`, { token: guest.secret, type: 'entry', nonce: aNonce(), scannedAt: now() });
    expect((res.body as CheckinOutcome).status).toBe('ok');
  };
  const phoneLink = (attendeeId: string) => asKiosk().post(`/api/events/${eventId}/attendees/${attendeeId}/phone-link`);
  const codeOf = (link: PhoneLink) => new URL(link.url).searchParams.get('code') ?? '';
  const startSession = (body: object) => request(sut.url).post('/api/me/session').send(body);
  /** A session opened from a sign-in link, as "Email me my link" mails it. */
  const sessionOf = (guest: Guest) => aSignedInToken(sut, guest.id);
  const getMe = (token: string) => request(sut.url).get('/api/me').set('authorization', `Bearer ${token}`);
  const socketOf = async (token: string) => {
    const s = await aSocket(sut, { attendeeToken: token });
    sockets.push(s);
    return s;
  };
  /** A guest with their own session and socket, not checked in (so live matching leaves them be). */
  const anAttendeeOnline = async (name: string) => {
    const guest = await aGuest(org, eventId, { name });
    const token = await sessionOf(guest);
    return { ...guest, token, socket: await socketOf(token) };
  };
  const aSuggestion = async (from: string, to: string, score = 10, reasons = climate) => {
    const [row] = await sut.database.db
      .insert(suggestions)
      .values({ eventId, attendeeId: from, targetId: to, score, reasons, createdAt: new Date(sut.clock()), updatedAt: new Date(sut.clock()) })
      .returning({ id: suggestions.id });
    if (!row) throw new Error('no suggestion row');
    return row.id;
  };
  const rowsOf = (from: string, to: string) =>
    sut.database.db.select().from(suggestions).where(and(eq(suggestions.attendeeId, from), eq(suggestions.targetId, to)));

  /**
   * A fresh open event with its own kiosk where people arrive as they do at the door:
   * checked in at the kiosk, intent stated there, then the phone opened from the kiosk's
   * one-time link. Live matching then suggests them to each other.
   */
  async function aRoom(people: { name: string; intent: Partial<IntentBody>; email?: string }[]) {
    const room = await aKioskRoom(sut, org, sockets);
    const arrived = [];
    for (const p of people) arrived.push(await room.arrive(p.name, p.intent, p.email ? { email: p.email } : {}));
    await sut.matching.settled();
    return { eventId: room.eventId, kiosk: room.kiosk, scanAgain: room.scanAgain, people: arrived };
  }
  /** The id of the row in which `from` sees `to`; live matching must have made it. */
  const suggestionId = async (from: { id: string }, to: { id: string }) => {
    const [row] = await rowsOf(from.id, to.id);
    if (!row) throw new Error('live matching suggested nobody');
    return row.id;
  };
  const investor: Partial<IntentBody> = { seeks: ['Design'], offers: ['Investors'], interests: ['Climate'] };
  const designer: Partial<IntentBody> = { seeks: ['Investors'], offers: ['Design'], interests: ['Climate'] };
  const withoutVersion = <T extends { version: number }>(x: T) => ({ ...x, version: 0 });

  describe('sessions', () => {
    it('throttles session attempts per address', async () => {
      // A second app on the same database, with a budget small enough to reach.
      const small = await startServer(kind, { database: sut.database, limits: { pairPerWindow: 2 } });
      try {
        const attempt = () => request(small.url).post('/api/me/session').send({ code: 'a'.repeat(32) });
        expect((await attempt()).status).toBe(404);
        expect((await attempt()).status).toBe(404);
        const third = await attempt();
        expect(third.status).toBe(429);
        expect(third.body.error.code).toBe('rate_limited');
        expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      } finally {
        await small.close();
      }
    });

    it('opens a session from the kiosk link once, and refuses the link a second time', async () => {
      const guest = await aGuest(org, eventId, { name: 'Lina Park' });
      await checkIn(guest);
      const link = await phoneLink(guest.id);
      expect(link.status).toBe(201);
      expect(link.body.url).toMatch(new RegExp(`^${sut.deps.publicUrl}/me\\?code=[A-Za-z0-9_-]{32}$`));
      expect(link.body.expiresAt).toBe(new Date(sut.clock() + 15 * 60_000).toISOString());

      const first = await startSession({ code: codeOf(link.body as PhoneLink) });
      expect(first.status).toBe(201);
      const session = first.body as MeSession;
      expect(session.snapshot.me).toMatchObject({ id: guest.id, name: 'Lina Park', present: true });
      expect((await getMe(session.token)).status).toBe(200);

      const again = await startSession({ code: codeOf(link.body as PhoneLink) });
      expect(again.status).toBe(404);
      expect(again.body.error).toEqual({
        code: 'not_found',
        message: 'This link was already used or has expired: ask for a new one by email on your page, or scan your ticket at the kiosk.',
      });
    });

    it('refuses a kiosk link after 15 minutes', async () => {
      const guest = await aGuest(org, eventId);
      await checkIn(guest);
      const link = (await phoneLink(guest.id)).body as PhoneLink;
      sut.clock.advance(15 * 60_000 + 1000);
      const res = await startSession({ code: codeOf(link) });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    });

    it('makes a phone link only for a guest this kiosk checked in just now, and only at a kiosk', async () => {
      const guest = await aGuest(org, eventId);
      const before = await phoneLink(guest.id);
      expect(before.status).toBe(403);
      expect(before.body.error.code).toBe('phone_link_not_allowed');
      const screen = await aPairedDevice(sut, org, eventId, 'screen');
      const fromScreen = await asKiosk(screen.token).post(`/api/events/${eventId}/attendees/${guest.id}/phone-link`);
      expect(fromScreen.status).toBe(403);
      expect(fromScreen.body.error.code).toBe('forbidden');
    });

    it('opens a session from a sign-in link, never from a ticket, bare or as a link', async () => {
      const guest = await aGuest(org, eventId, { name: 'Tom Reyes' });
      const signedIn = await startSession({ code: await aSignInCode(sut, guest.id) });
      expect(signedIn.status).toBe(201);
      expect((signedIn.body as MeSession).snapshot.me).toMatchObject({ id: guest.id, present: false });
      for (const ticket of [`${sut.deps.publicUrl}/t/${guest.secret}`, ` ${guest.secret}\n`, 'x'.repeat(30)]) {
        const res = await startSession({ ticket });
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('ticket_not_a_login');
      }
      expect((await startSession({ code: 'short' })).body.error.code).toBe('validation_failed');
      expect((await startSession({})).body.error.code).toBe('validation_failed');
    });

    it('ends a session: the token opens nothing afterwards and its socket is dropped', async () => {
      const guest = await aGuest(org, eventId);
      const token = await sessionOf(guest);
      const other = await sessionOf(guest);
      const socket = await socketOf(token);
      const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));
      const res = await request(sut.url).delete('/api/me/session').set('authorization', `Bearer ${token}`);
      expect(res.status).toBe(204);
      expect(await dropped).toBe('io server disconnect');
      expect((await getMe(token)).status).toBe(401);
      await expect(aSocket(sut, { attendeeToken: token })).rejects.toThrow('unauthenticated');
      // The same person's other phone stays logged in.
      expect((await getMe(other)).status).toBe(200);
    });
  });

  describe('GET /api/me', () => {
    it("shows the attendee's own profile, event, intent, default contact card and live suggestions", async () => {
      const { eventId: room, people } = await aRoom([
        { name: 'Maya Chen', intent: { ...designer, askMeAbout: 'Tidal energy' }, email: 'maya@example.org' },
        { name: 'Omar Haddad', intent: { ...investor, askMeAbout: 'Seed rounds', hostOptIn: true } },
      ]);
      const [maya, omar] = people;
      if (!maya || !omar) throw new Error('people missing');

      const res = await getMe(maya.token);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const me = res.body as MeSnapshot;
      expect(typeof me.version).toBe('number');
      expect(me.me).toEqual({
        id: maya.id,
        name: 'Maya Chen',
        email: 'maya@example.org',
        company: 'Tidewater',
        role: 'Designer',
        firstTime: false,
        host: false,
        present: true,
        matchingOptOut: false,
        photoUrl: null,
        whereIAm: null,
        // No language chosen yet: the page reads the event's default.
        language: null,
      });
      expect(me.event).toMatchObject({ id: room, status: 'open', languages: ['en'], defaultLanguage: 'en' });
      expect(me.intent).toMatchObject({ attendeeId: maya.id, seeks: ['investors'], offers: ['design'], interests: ['Climate'], askMeAbout: 'Tidal energy', version: 1 });
      expect(me.contactCard).toEqual({ shareEmail: false, phone: '', link: '', email: 'maya@example.org', chosen: false });
      expect(me.connections).toEqual([]);
      expect(me.suggestions).toHaveLength(1);
      const [first] = me.suggestions;
      expect(first).toEqual({
        id: await suggestionId(maya, omar),
        person: {
          id: omar.id,
          name: 'Omar Haddad',
          company: 'Tidewater',
          role: 'Designer',
          firstTime: false,
          host: true,
          seeks: ['design'],
          offers: ['investors'],
          interests: ['Climate'],
          askMeAbout: 'Seed rounds',
        },
        score: expect.any(Number) as number,
        reasons: expect.arrayContaining([{ kind: 'common', text: "You’re both into Climate" }]) as unknown,
        state: 'proposed',
        myAnswer: null,
        theyAccepted: false,
        contact: null,
        askedThemToShare: false,
        theyAskedMeToShare: false,
        note: '',
        since: expect.any(String) as string,
        introduction: null,
        // A face, a line and a meeting point come only with a mutual yes or an introduction.
        photoUrl: null,
        whereIAm: null,
        meetingPoint: null,
      });
      expect(JSON.stringify(me.suggestions)).not.toMatch(/@example\.org/);
    });

    it('lists the current suggestions best first, keeps pairs someone said yes to, and moves met pairs to connections', async () => {
      const me = await aGuest(org, eventId);
      const [p1, p2, p3, p4, p5] = await Promise.all([1, 2, 3, 4, 5].map(() => aGuest(org, eventId)));
      if (!p1 || !p2 || !p3 || !p4 || !p5) throw new Error('guests missing');
      const low = await aSuggestion(me.id, p1.id, 3);
      const high = await aSuggestion(me.id, p2.id, 9);
      const pinned = await aSuggestion(me.id, p3.id, 1);
      await sut.database.db.update(suggestions).set({ listed: false, state: 'accepted_by_one' }).where(eq(suggestions.id, pinned));
      const gone = await aSuggestion(me.id, p4.id, 20);
      await sut.database.db.update(suggestions).set({ listed: false, state: 'expired' }).where(eq(suggestions.id, gone));
      const met = await aSuggestion(me.id, p5.id, 5);
      await sut.database.db.update(suggestions).set({ listed: false, state: 'met' }).where(eq(suggestions.id, met));

      const snapshot = (await getMe(await sessionOf(me))).body as MeSnapshot;
      expect(snapshot.suggestions.map((s) => s.id)).toEqual([high, low, pinned]);
      expect(snapshot.connections.map((s) => s.id)).toEqual([met]);
    });

    it('needs a live attendee session', async () => {
      expect((await request(sut.url).get('/api/me')).status).toBe(401);
      expect((await getMe('z'.repeat(43))).body.error.code).toBe('unauthenticated');
      // A kiosk's bearer token is not an attendee session.
      expect((await getMe(kiosk.token)).status).toBe(401);
      const guest = await aGuest(org, eventId);
      const token = await sessionOf(guest);
      const [session] = await sut.database.db.select().from(attendeeSessions).where(eq(attendeeSessions.attendeeId, guest.id));
      expect(session?.expiresAt.getTime()).toBe(sut.clock() + 30 * 24 * 60 * 60_000);
      await sut.database.db.update(attendeeSessions).set({ expiresAt: new Date(sut.clock()) }).where(eq(attendeeSessions.attendeeId, guest.id));
      expect((await getMe(token)).status).toBe(401);
    });
  });

  describe('the kiosk', () => {
    it("shows a checked-in guest's current suggestions, best first, without contacts or notes", async () => {
      const { eventId: room, kiosk: device, scanAgain, people } = await aRoom([
        { name: 'Ines Duarte', intent: designer },
        { name: 'Rui Matos', intent: investor },
        { name: 'Vera Lima', intent: { ...investor, interests: [] } },
      ]);
      const [ines, rui, vera] = people;
      if (!ines || !rui || !vera) throw new Error('people missing');
      await ask(rui.socket, 'contact:update', { shareEmail: true, phone: '+351 900 000 000', link: '' });
      await ask(ines.socket, 'note:save', { aboutId: rui.id, text: 'Met at the bar' });
      // Ines is back at the kiosk: she scans her ticket again.
      await scanAgain(ines);

      const res = await asKiosk(device.token).get(`/api/events/${room}/attendees/${ines.id}/suggestions`);
      expect(res.status).toBe(200);
      const list = res.body as KioskSuggestion[];
      const sync = await ask(ines.socket, 'me:sync', {});
      if (!sync.ok) throw new Error('no sync');
      expect(list.map((s) => s.id)).toEqual(sync.data.suggestions.map((s) => s.id));
      expect(list.length).toBeGreaterThanOrEqual(2);
      expect(list.map((s) => s.score)).toEqual([...list.map((s) => s.score)].sort((a, b) => b - a));
      expect(Object.keys(list[0] ?? {}).sort()).toEqual(['id', 'person', 'reasons', 'score']);
      expect(JSON.stringify(res.body)).not.toMatch(/Met at the bar|900 000|@example\.org/);

      // Nobody else's list reaches the kiosk: not Vera's, whom it let in before Ines came back, nor someone absent.
      const absent = await aGuest(org, room);
      for (const other of [vera.id, absent.id]) {
        const refused = await asKiosk(device.token).get(`/api/events/${room}/attendees/${other}/suggestions`);
        expect(refused.status).toBe(403);
        expect(refused.body.error.code).toBe('kiosk_not_for_this_guest');
      }
    });
  });

  describe('socket commands', () => {
    it('sends the whole snapshot on me:sync', async () => {
      const a = await anAttendeeOnline('Sara Lind');
      const ack = await ask(a.socket, 'me:sync', {});
      if (!ack.ok) throw new Error(ack.error.message);
      expect(ack.data.me.id).toBe(a.id);
      expect(withoutVersion(ack.data)).toEqual(withoutVersion((await getMe(a.token)).body as MeSnapshot));
    });

    it('records a first yes as accepted by one, and gives the other person a suggestion to answer', async () => {
      // Neither is checked in: the row is made by hand, and the other person has none.
      const a = await anAttendeeOnline('Ana Alves');
      const b = await anAttendeeOnline('Bruno Costa');
      const ab = await aSuggestion(a.id, b.id, 7);
      const toB = nextChange(b.socket, (p) => p.suggestions.some((s) => s.person.id === a.id));
      const toA = nextChange(a.socket, (p) => p.suggestions.some((s) => s.id === ab && s.myAnswer === 'yes'));

      const ack = await ask(a.socket, 'suggestion:answer', { suggestionId: ab, answer: 'yes' });
      expect(ack).toMatchObject({ ok: true, data: { id: ab, state: 'accepted_by_one', myAnswer: 'yes', theyAccepted: false, contact: null } });

      const forB = await toB;
      expect(forB.attendeeId).toBe(b.id);
      const aboutA = forB.suggestions.find((s) => s.person.id === a.id);
      expect(aboutA).toMatchObject({ state: 'accepted_by_one', theyAccepted: true, myAnswer: null, contact: null, score: 7 });
      expect(aboutA?.reasons[0]).toEqual({ kind: 'wants_to_meet', text: 'Ana Alves would like to meet you' });
      expect(aboutA?.reasons).toContainEqual({ kind: 'common', text: "You’re both into Climate" });
      expect((await toA).attendeeId).toBe(a.id);

      const [stored] = await rowsOf(a.id, b.id);
      expect(stored).toMatchObject({ answer: 'yes', state: 'accepted_by_one' });
      expect(stored?.answeredAt?.toISOString()).toBe(now());
      const [reverse] = await rowsOf(b.id, a.id);
      expect(reverse).toMatchObject({ answer: null, state: 'accepted_by_one' });

      // Saying yes again changes nothing.
      const again = await ask(a.socket, 'suggestion:answer', { suggestionId: ab, answer: 'yes' });
      expect(again).toMatchObject({ ok: true, data: { state: 'accepted_by_one' } });
      expect(await rowsOf(b.id, a.id)).toHaveLength(1);
    });

    it('tells the other person at once that someone wants to meet them, then makes the pair mutual with the contacts each shares', async () => {
      const { people } = await aRoom([
        { name: 'Carla Dias', intent: designer, email: 'carla@example.org' },
        { name: 'Diego Ruiz', intent: investor, email: 'diego@example.org' },
      ]);
      const [a, b] = people;
      if (!a || !b) throw new Error('people missing');
      const ab = await suggestionId(a, b);
      const ba = await suggestionId(b, a);
      const cardA = await ask(a.socket, 'contact:update', { shareEmail: true, phone: '+351 912 345 678', link: '' });
      expect(cardA).toEqual({ ok: true, data: { shareEmail: true, phone: '+351 912 345 678', link: '', email: 'carla@example.org', chosen: true } });
      await ask(b.socket, 'contact:update', { shareEmail: false, phone: '', link: 'https://diego.example.org' });
      await sut.matching.settled();

      const wanted = nextChange(b.socket, (p) => p.suggestions.some((s) => s.id === ba && s.theyAccepted));
      await ask(a.socket, 'suggestion:answer', { suggestionId: ab, answer: 'yes' });
      expect((await wanted).suggestions.find((s) => s.id === ba)).toMatchObject({ state: 'accepted_by_one', theyAccepted: true, contact: null });

      const toA = nextChange(a.socket, (p) => p.suggestions.some((s) => s.id === ab && s.state === 'mutual'));
      const toB = nextChange(b.socket, (p) => p.suggestions.some((s) => s.id === ba && s.state === 'mutual'));
      const ack = await ask(b.socket, 'suggestion:answer', { suggestionId: ba, answer: 'yes' });
      expect(ack).toMatchObject({ ok: true, data: { id: ba, state: 'mutual', theyAccepted: true, contact: { email: 'carla@example.org', phone: '+351 912 345 678', link: null } } });
      expect((await toA).suggestions.find((s) => s.id === ab)?.contact).toEqual({ email: null, phone: null, link: 'https://diego.example.org' });
      expect((await toB).suggestions.find((s) => s.id === ba)?.contact).toEqual({ email: 'carla@example.org', phone: '+351 912 345 678', link: null });
      const rows = [...(await rowsOf(a.id, b.id)), ...(await rowsOf(b.id, a.id))];
      expect(rows.map((r) => [r.state, r.answer, r.mutualAt?.toISOString()])).toEqual([
        ['mutual', 'yes', now()],
        ['mutual', 'yes', now()],
      ]);

      // A partner sees a changed card at once.
      const update = nextChange(a.socket, (p) => p.suggestions.some((s) => s.id === ab && s.contact?.phone === '+1 555 0100'));
      await ask(b.socket, 'contact:update', { shareEmail: false, phone: '+1 555 0100', link: '' });
      expect((await update).suggestions.find((s) => s.id === ab)?.contact).toEqual({ email: null, phone: '+1 555 0100', link: null });
    });

    it('takes "we met" only after both said yes, and then keeps the pair as a connection', async () => {
      const { people } = await aRoom([
        { name: 'Eva Novak', intent: designer },
        { name: 'Femi Ade', intent: investor },
      ]);
      const [a, b] = people;
      if (!a || !b) throw new Error('people missing');
      const ab = await suggestionId(a, b);
      const ba = await suggestionId(b, a);
      const early = await ask(a.socket, 'suggestion:met', { suggestionId: ab });
      expect(early).toMatchObject({ ok: false, error: { code: 'conflict' } });
      await ask(a.socket, 'suggestion:answer', { suggestionId: ab, answer: 'yes' });
      expect(await ask(a.socket, 'suggestion:met', { suggestionId: ab })).toMatchObject({ ok: false, error: { code: 'conflict' } });
      await ask(b.socket, 'suggestion:answer', { suggestionId: ba, answer: 'yes' });

      sut.clock.advance(60_000);
      const toB = nextChange(b.socket, (p) => p.connections.some((s) => s.person.id === a.id));
      const met = await ask(a.socket, 'suggestion:met', { suggestionId: ab });
      expect(met).toMatchObject({ ok: true, data: { state: 'met' } });
      const forB = await toB;
      expect(forB.suggestions.some((s) => s.person.id === a.id)).toBe(false);
      expect(forB.connections.find((s) => s.person.id === a.id)).toMatchObject({ state: 'met', contact: { email: null, phone: null, link: null } });
      const rows = [...(await rowsOf(a.id, b.id)), ...(await rowsOf(b.id, a.id))];
      expect(rows.map((r) => [r.state, r.metAt?.toISOString()])).toEqual([
        ['met', now()],
        ['met', now()],
      ]);
      expect(await ask(b.socket, 'suggestion:met', { suggestionId: ba })).toMatchObject({ ok: true, data: { state: 'met' } });
      expect(await ask(a.socket, 'suggestion:answer', { suggestionId: ab, answer: 'no' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    });

    it('declines the pair for both on a no, for good', async () => {
      const { people } = await aRoom([
        { name: 'Gil Sousa', intent: designer },
        { name: 'Hana Ito', intent: investor },
      ]);
      const [a, b] = people;
      if (!a || !b) throw new Error('people missing');
      const ab = await suggestionId(a, b);
      const ba = await suggestionId(b, a);
      await ask(b.socket, 'suggestion:answer', { suggestionId: ba, answer: 'yes' });
      const toB = nextChange(b.socket, (p) => !p.suggestions.some((s) => s.id === ba));
      const ack = await ask(a.socket, 'suggestion:answer', { suggestionId: ab, answer: 'no' });
      expect(ack).toMatchObject({ ok: true, data: { id: ab, state: 'declined', myAnswer: 'no' } });
      await toB;
      await sut.matching.settled();
      const rows = [...(await rowsOf(a.id, b.id)), ...(await rowsOf(b.id, a.id))];
      expect(rows.map((r) => r.state)).toEqual(['declined', 'declined']);
      const reopen = await ask(b.socket, 'suggestion:answer', { suggestionId: ba, answer: 'yes' });
      expect(reopen).toMatchObject({ ok: false, error: { code: 'conflict' } });
      const sync = await ask(a.socket, 'me:sync', {});
      expect(sync.ok && sync.data.suggestions.some((s) => s.person.id === b.id)).toBe(false);
    });

    it('keeps a private note about someone in the list, and deletes it when emptied', async () => {
      const a = await anAttendeeOnline('Ivo Lopes');
      const b = await aGuest(org, eventId);
      const stranger = await aGuest(org, eventId);
      const ab = await aSuggestion(a.id, b.id);
      const saved = await ask(a.socket, 'note:save', { aboutId: b.id, text: '  Ask about the tidal project  ' });
      expect(saved).toEqual({ ok: true, data: { aboutId: b.id, text: 'Ask about the tidal project' } });
      const sync = await ask(a.socket, 'me:sync', {});
      expect(sync.ok && sync.data.suggestions.find((s) => s.id === ab)?.note).toBe('Ask about the tidal project');

      const notAbout = await ask(a.socket, 'note:save', { aboutId: stranger.id, text: 'hm' });
      expect(notAbout).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await ask(a.socket, 'note:save', { aboutId: b.id, text: '' })).toMatchObject({ ok: true });
      expect(await sut.database.db.select().from(notes).where(eq(notes.attendeeId, a.id))).toEqual([]);
    });

    it("changes the attendee's intent by the event's rules", async () => {
      const a = await anAttendeeOnline('Jon Berg');
      const ack = await ask(a.socket, 'intent:update', anIntent({ seeks: ['design'], offers: ['Engineering'], interests: ['AI'], showOnScreen: true }));
      expect(ack).toMatchObject({ ok: true, data: { attendeeId: a.id, seeks: ['design'], offers: ['engineering'], interests: ['AI'], showOnScreen: true, version: 1 } });
      const bad = await ask(a.socket, 'intent:update', anIntent({ seeks: ['Astrology'] }));
      expect(bad).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      expect(!bad.ok && bad.error.message).toMatch(/Astrology/);
      const me = (await getMe(a.token)).body as MeSnapshot;
      expect(me.intent?.seeks).toEqual(['design']);
    });

    it('turns matching off and on again', async () => {
      const a = await anAttendeeOnline('Kai Moreau');
      expect(await ask(a.socket, 'matching:opt-out', { optOut: true })).toEqual({ ok: true, data: { optOut: true } });
      expect(((await getMe(a.token)).body as MeSnapshot).me.matchingOptOut).toBe(true);
      expect(await ask(a.socket, 'matching:opt-out', { optOut: false })).toEqual({ ok: true, data: { optOut: false } });
      const [row] = await sut.database.db.select({ optOut: attendees.matchingOptOut }).from(attendees).where(eq(attendees.id, a.id));
      expect(row?.optOut).toBe(false);
    });

    it('answers invalid payloads with validation_failed and changes nothing', async () => {
      const a = await anAttendeeOnline('Lea Kim');
      const b = await aGuest(org, eventId);
      const ab = await aSuggestion(a.id, b.id);
      const cases: [keyof Commands, unknown][] = [
        ['suggestion:answer', { suggestionId: ab, answer: 'maybe' }],
        ['suggestion:answer', { suggestionId: 'not-an-id', answer: 'yes' }],
        ['suggestion:answer', 'yes'],
        ['suggestion:met', {}],
        ['note:save', { aboutId: b.id, text: 'x'.repeat(2001) }],
        ['contact:update', { shareEmail: true, phone: 'call me maybe', link: '' }],
        ['contact:update', { shareEmail: true, phone: '', link: 'javascript:alert(1)' }],
        ['intent:update', { seeks: 'Design' }],
        ['matching:opt-out', { optOut: 'yes' }],
        ['me:sync', null],
      ];
      for (const [event, payload] of cases) {
        const ack = await ask(a.socket, event, payload as never);
        expect(ack, event).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      }
      const [row] = await rowsOf(a.id, b.id);
      expect(row).toMatchObject({ state: 'proposed', answer: null });
      expect(await sut.database.db.select().from(notes).where(eq(notes.attendeeId, a.id))).toEqual([]);
    });

    it("refuses another attendee's suggestion as not found", async () => {
      const a = await anAttendeeOnline('Mia Roth');
      const b = await anAttendeeOnline('Nils Berg');
      const c = await aGuest(org, eventId);
      const bc = await aSuggestion(b.id, c.id);
      expect(await ask(a.socket, 'suggestion:answer', { suggestionId: bc, answer: 'yes' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await ask(a.socket, 'suggestion:met', { suggestionId: bc })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      const [row] = await rowsOf(b.id, c.id);
      expect(row).toMatchObject({ state: 'proposed', answer: null });
    });

    it('shows the truth after a reconnect, whatever changed while the phone was away', async () => {
      const { people } = await aRoom([
        { name: 'Olga Petrova', intent: designer },
        { name: 'Pedro Gil', intent: investor },
      ]);
      const [a, b] = people;
      if (!a || !b) throw new Error('people missing');
      const ab = await suggestionId(a, b);
      const ba = await suggestionId(b, a);
      await ask(a.socket, 'suggestion:answer', { suggestionId: ab, answer: 'yes' });
      a.socket.close();

      await ask(b.socket, 'contact:update', { shareEmail: false, phone: '+44 20 7946 0000', link: '' });
      await ask(b.socket, 'suggestion:answer', { suggestionId: ba, answer: 'yes' });
      await sut.matching.settled();

      const back = await socketOf(a.token);
      const sync = await ask(back, 'me:sync', {});
      if (!sync.ok) throw new Error(sync.error.message);
      expect(sync.data.suggestions.find((s) => s.id === ab)).toMatchObject({ state: 'mutual', theyAccepted: true, contact: { phone: '+44 20 7946 0000' } });

      // The new socket is in the attendee's room again: pushes reach it.
      const pushed = nextChange(back, (p) => p.connections.some((s) => s.id === ab));
      await ask(b.socket, 'suggestion:met', { suggestionId: ba });
      expect((await pushed).connections.find((s) => s.id === ab)?.state).toBe('met');
    });
  });
});
