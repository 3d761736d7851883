import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendees } from '@edgewise/db';
import type { CheckinOutcome, GuestListEntry, NameSearchResult, WalkInResult } from '@edgewise/shared';
import { aGuest, anAttendee, aNonce, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { dbKinds, request, startServer, type TestServer } from '../fixtures/server';

const SEARCH_LIMIT = 40;

describe.each(dbKinds)('kiosk (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;

  beforeAll(async () => {
    sut = await startServer(kind, { limits: { pairPerWindow: 1000, searchPerWindow: SEARCH_LIMIT } });
    org = await anOrganiser(sut);
  });
  afterAll(async () => {
    await sut?.close();
  });

  const now = () => new Date(sut.clock()).toISOString();
  /** An open event with its own kiosk, so each test has its own guests and its own rate limit. */
  const anEventWithKiosk = async (settings: Record<string, unknown> = {}) => {
    const eventId = await anOpenEvent(org, { settings });
    const kiosk = await aPairedDevice(sut, org, eventId);
    return { eventId, kiosk };
  };
  const addGuests = async (eventId: string, guests: Parameters<typeof anAttendee>[0][]) => {
    for (const g of guests) {
      const res = await org.post(`/api/events/${eventId}/attendees`, anAttendee(g));
      expect(res.status).toBe(201);
    }
  };
  const search = (eventId: string, token: string, q: string) =>
    request(sut.url).get(`/api/events/${eventId}/kiosk/search`).query({ q }).set('authorization', `Bearer ${token}`);
  const names = (res: { body: unknown }) => (res.body as NameSearchResult[]).map((r) => r.name).sort();

  describe('name search', () => {
    it('finds guests by the start of any word of their name, ignoring case and accents', async () => {
      const { eventId, kiosk } = await anEventWithKiosk();
      await addGuests(eventId, [
        { name: 'Ana Sousa' },
        { name: 'João Silva' },
        { name: 'Ánabel Tomás' },
        { name: 'Mariana Costa' },
        { name: 'Łukasz Ostrowski' },
        { name: "Siobhan O'Brien" },
        { name: 'Zoë Anand' },
        { name: 'Greta Strauß' },
      ]);
      const ana = await search(eventId, kiosk.token, 'ANA');
      expect(ana.status).toBe(200);
      expect(names(ana)).toEqual(['Ana Sousa', 'Zoë Anand', 'Ánabel Tomás']);
      expect(names(await search(eventId, kiosk.token, 'joao'))).toEqual(['João Silva']);
      expect(names(await search(eventId, kiosk.token, 'JOÃO'))).toEqual(['João Silva']);
      expect(names(await search(eventId, kiosk.token, 'zoe'))).toEqual(['Zoë Anand']);
      expect(names(await search(eventId, kiosk.token, 'strauss'))).toEqual(['Greta Strauß']);
      expect(names(await search(eventId, kiosk.token, 'luka'))).toEqual(['Łukasz Ostrowski']);
      expect(names(await search(eventId, kiosk.token, 'obrien'))).toEqual(["Siobhan O'Brien"]);
      expect(names(await search(eventId, kiosk.token, 'bri'))).toEqual(["Siobhan O'Brien"]);
      expect(names(await search(eventId, kiosk.token, 'ana sou'))).toEqual(['Ana Sousa']);
      expect(names(await search(eventId, kiosk.token, 'sta'))).toEqual([]);
    });

    it('shows a hint to tell namesakes apart, and presence, but never an email', async () => {
      const { eventId, kiosk } = await anEventWithKiosk();
      const here = await aGuest(org, eventId, { name: 'Rui Santos', company: 'tidewater', role: 'Product Designer', email: 'rui.a@example.org' });
      await aGuest(org, eventId, { name: 'Rui Santos', company: 'Brightline', role: 'Engineer', email: 'rui.b@example.org' });
      const scan = await request(sut.url)
        .post(`/api/events/${eventId}/checkins`)
        .set('authorization', `Bearer ${kiosk.token}`)
        .send({ token: here.secret, nonce: aNonce(), scannedAt: now() });
      expect(scan.status).toBe(201);

      const res = await search(eventId, kiosk.token, 'santos');
      const results = res.body as NameSearchResult[];
      expect(results.map((r) => [r.hint, r.presence]).sort()).toEqual([
        ['B. · Engineer', 'not_arrived'],
        ['T. · Product', 'present'],
      ]);
      expect(Object.keys(results[0] ?? {}).sort()).toEqual(['hint', 'id', 'name', 'presence']);
      expect(JSON.stringify(res.body)).not.toContain('@');
    });

    it('asks for at least 3 letters', async () => {
      const { eventId, kiosk } = await anEventWithKiosk();
      for (const q of ['an', '  a  ', '']) {
        const res = await search(eventId, kiosk.token, q);
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('query_too_short');
      }
      const tooLong = await search(eventId, kiosk.token, 'x'.repeat(61));
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.code).toBe('validation_failed');
    });

    it('lists at most 5, and nobody when more than 20 match, so the list cannot be dumped', async () => {
      const { eventId, kiosk } = await anEventWithKiosk();
      await addGuests(
        eventId,
        Array.from({ length: 20 }, (_, i) => ({ name: `Maria ${String.fromCharCode(65 + i)}` })),
      );
      const twenty = await search(eventId, kiosk.token, 'mar');
      expect(twenty.status).toBe(200);
      expect(twenty.body).toHaveLength(5);
      expect(twenty.headers['x-too-many']).toBeUndefined();

      await addGuests(eventId, [{ name: 'Marta Z' }]);
      const many = await search(eventId, kiosk.token, 'mar');
      expect(many.status).toBe(200);
      expect(many.body).toEqual([]);
      expect(many.headers['x-too-many']).toBe('true');
      // More letters narrow it down again.
      expect(names(await search(eventId, kiosk.token, 'marta'))).toEqual(['Marta Z']);
    });

    it('limits the searches of each kiosk', async () => {
      const { eventId, kiosk } = await anEventWithKiosk();
      const other = await aPairedDevice(sut, org, eventId);
      for (let i = 0; i < SEARCH_LIMIT; i++) expect((await search(eventId, kiosk.token, 'abc')).status).toBe(200);
      const blocked = await search(eventId, kiosk.token, 'abc');
      expect(blocked.status).toBe(429);
      expect(blocked.body.error.code).toBe('rate_limited');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect((await search(eventId, other.token, 'abc')).status).toBe(200);
    });

    it('is for kiosks of the event only', async () => {
      const { eventId } = await anEventWithKiosk();
      const screen = await aPairedDevice(sut, org, eventId, 'screen');
      expect((await search(eventId, screen.token, 'abc')).status).toBe(403);
      const elsewhere = await anEventWithKiosk();
      const wrong = await search(eventId, elsewhere.kiosk.token, 'abc');
      expect(wrong.status).toBe(403);
      expect(wrong.body.error.code).toBe('wrong_event');
      expect((await request(sut.url).get(`/api/events/${eventId}/kiosk/search?q=abc`)).status).toBe(401);
    });
  });

  describe('walk-ins', () => {
    const walkIn = (eventId: string, token: string, body: Record<string, unknown>) =>
      request(sut.url)
        .post(`/api/events/${eventId}/walkins`)
        .set('authorization', `Bearer ${token}`)
        .send({ name: 'Walk In', nonce: aNonce(), scannedAt: now(), ...body });
    const walkInsNamed = async (eventId: string, name: string) =>
      sut.database.db.select().from(attendees).where(eq(attendees.name, name)).then((rows) => rows.filter((r) => r.eventId === eventId));

    it('are refused unless the event allows them, adding nobody', async () => {
      const { eventId, kiosk } = await anEventWithKiosk();
      const res = await walkIn(eventId, kiosk.token, { name: 'Uninvited Guest' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('walk_ins_disabled');
      expect(await walkInsNamed(eventId, 'Uninvited Guest')).toHaveLength(0);
    });

    it('register and check in a walk-in in one go, with a working ticket', async () => {
      const { eventId, kiosk } = await anEventWithKiosk({ walkInsAllowed: true });
      const res = await walkIn(eventId, kiosk.token, { name: 'Wanda Walker', email: 'Wanda@Example.org', company: 'Acme', firstTime: true });
      expect(res.status).toBe(201);
      const body = res.body as WalkInResult;
      expect(body.outcome).toMatchObject({ status: 'ok', reason: 'first_entry', replayed: false, attendee: { name: 'Wanda Walker', firstTime: true } });
      expect(body.attendee).toEqual({ id: body.outcome.attendee?.id, name: 'Wanda Walker' });
      expect(body.ticketUrl).toMatch(new RegExp(`^${sut.deps.publicUrl}/t/[A-Za-z0-9_-]{22,}$`));

      const list = await org.get(`/api/events/${eventId}/attendees`);
      const entry = (list.body as GuestListEntry[]).find((a) => a.id === body.attendee.id);
      expect(entry).toMatchObject({ source: 'walk_in', presence: 'present', email: 'wanda@example.org' });

      // The ticket they were given is theirs: scanning it finds them already in.
      const scan = await request(sut.url)
        .post(`/api/events/${eventId}/checkins`)
        .set('authorization', `Bearer ${kiosk.token}`)
        .send({ token: body.ticketUrl, nonce: aNonce(), scannedAt: now() });
      expect((scan.body as CheckinOutcome).reason).toBe('already_present');
    });

    it('answer a replayed nonce with the first result and add nobody twice, even concurrently', async () => {
      const { eventId, kiosk } = await anEventWithKiosk({ walkInsAllowed: true });
      const nonce = aNonce();
      const body = { name: 'Rita Retry', email: 'rita@example.org', nonce, scannedAt: now() };
      const first = await walkIn(eventId, kiosk.token, body);
      expect(first.status).toBe(201);
      const again = await walkIn(eventId, kiosk.token, body);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ ...first.body, outcome: { ...first.body.outcome, replayed: true } });

      const racing = { name: 'Carl Concurrent', email: 'carl@example.org', nonce: aNonce(), scannedAt: now() };
      const answers = await Promise.all(Array.from({ length: 5 }, () => walkIn(eventId, kiosk.token, racing)));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
      expect(new Set(answers.map((a) => (a.body as WalkInResult).attendee.id)).size).toBe(1);
      expect(await walkInsNamed(eventId, 'Rita Retry')).toHaveLength(1);
      expect(await walkInsNamed(eventId, 'Carl Concurrent')).toHaveLength(1);
    });

    it('refuse an email already on the guest list', async () => {
      const { eventId, kiosk } = await anEventWithKiosk({ walkInsAllowed: true });
      await addGuests(eventId, [{ name: 'Dana Listed', email: 'dana@example.org' }]);
      const res = await walkIn(eventId, kiosk.token, { name: 'Dana Again', email: 'DANA@example.org' });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('duplicate_email');
      expect(await walkInsNamed(eventId, 'Dana Again')).toHaveLength(0);
    });

    it('are refused once the event has closed, and from the future', async () => {
      const { eventId, kiosk } = await anEventWithKiosk({ walkInsAllowed: true });
      const future = await walkIn(eventId, kiosk.token, { name: 'Tim Traveller', scannedAt: new Date(sut.clock() + 3_600_000).toISOString() });
      expect(future.status).toBe(400);
      expect(future.body.error.code).toBe('validation_failed');
      expect((await org.patch(`/api/events/${eventId}`, { status: 'closed' })).status).toBe(200);
      const late = await walkIn(eventId, kiosk.token, { name: 'Late Larry' });
      expect(late.status).toBe(409);
      expect(late.body.error.code).toBe('event_closed');
      expect(await walkInsNamed(eventId, 'Late Larry')).toHaveLength(0);
    });

    it('validate the body', async () => {
      const { eventId, kiosk } = await anEventWithKiosk({ walkInsAllowed: true });
      const res = await walkIn(eventId, kiosk.token, { name: '', email: 'not-an-email' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    });
  });
});
