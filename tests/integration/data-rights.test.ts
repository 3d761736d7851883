import { eq, or } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendees, checkins, contactCards, events, introductions, notes, suggestions } from '@edgewise/db';
import type { EventStats, IntentBody, MeSnapshot, MyData } from '@edgewise/shared';
import { anOpenEvent, anOrganiser, type Organiser } from '../fixtures/builders';
import { aKioskRoom, bearer, nextChange } from '../fixtures/room';
import { dbKinds, request, startServer, type ClientSocket, type TestServer } from '../fixtures/server';

const designer: Partial<IntentBody> = { seeks: ['Investors'], offers: ['Design'], interests: ['Climate'] };
const investor: Partial<IntentBody> = { seeks: ['Design'], offers: ['Investors'], interests: ['Climate'] };

describe.each(dbKinds)('data rights (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    sut = await startServer(kind, { limits: { pairPerWindow: 1000 } });
    org = await anOrganiser(sut);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await sut?.close();
  });

  const asAttendee = (token: string) => bearer(sut, token);

  /** An open event where people check in at the kiosk, state intent and open their phone page. */
  async function aRoom(people: { name: string; email: string; intent: Partial<IntentBody> }[], overrides: Parameters<typeof anOpenEvent>[1] = {}) {
    sut.clock.set(Date.parse('2026-11-25T18:00:00Z'));
    const room = await aKioskRoom(sut, org, sockets, overrides);
    const arrived = [];
    for (const p of people) arrived.push(await room.arrive(p.name, p.intent, { email: p.email }));
    await sut.matching.settled();
    return { eventId: room.eventId, people: arrived };
  }

  it("downloads everything stored about the attendee, and nobody else's contact details", async () => {
    const { eventId, people } = await aRoom([
      { name: 'Ana Sousa', email: 'ana@example.org', intent: designer },
      { name: 'Ben Okafor', email: 'ben@example.org', intent: investor },
    ]);
    const [ana, ben] = people as [(typeof people)[number], (typeof people)[number]];
    const db = sut.database.db;
    // Ben and Ana both said yes: Ben's email and phone pass to Ana's page, but not into her data.
    await db.update(suggestions).set({ state: 'mutual', answer: 'yes' }).where(or(eq(suggestions.attendeeId, ana.id), eq(suggestions.attendeeId, ben.id)));
    await db.insert(contactCards).values([
      { attendeeId: ben.id, shareEmail: true, phone: '+44 20 7946 0958', link: 'https://ben.example' },
      { attendeeId: ana.id, shareEmail: true, phone: '+351 912 345 678', link: '' },
    ]);
    await db.insert(notes).values([
      { attendeeId: ana.id, aboutId: ben.id, text: 'Ask Ben about the seed round' },
      { attendeeId: ben.id, aboutId: ana.id, text: 'BEN-PRIVATE: Ana seemed keen' },
    ]);
    await db.insert(introductions).values({ eventId, aId: ana.id, bId: ben.id, byName: 'Olga Organiser', message: 'Meet each other' });
    expect(((await asAttendee(ana.token).get('/api/me')).body as MeSnapshot).suggestions[0]?.contact?.email).toBe('ben@example.org');

    const res = await asAttendee(ana.token).get('/api/me/data');
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="edgewise-my-data.json"');
    const data = res.body as MyData;
    expect(data.profile).toMatchObject({ id: ana.id, name: 'Ana Sousa', email: 'ana@example.org' });
    expect(data.event.id).toBe(eventId);
    expect(data.checkins).toHaveLength(1);
    expect(data.checkins[0]).toMatchObject({ type: 'entry', status: 'ok' });
    expect(data.intent).toMatchObject({ seeks: ['investors'], lookingFor: ['Investors'], offers: ['design'], offering: ['I design'] });
    expect(data.contactCard).toMatchObject({ shareEmail: true, phone: '+351 912 345 678' });
    expect(data.suggestions.map((s) => [s.person, s.state])).toEqual([['Ben Okafor', 'mutual']]);
    expect(data.notes).toEqual([expect.objectContaining({ about: 'Ben Okafor', text: 'Ask Ben about the seed round' })]);
    expect(data.introductions).toEqual([expect.objectContaining({ with: 'Ben Okafor', by: 'Olga Organiser', message: 'Meet each other' })]);
    expect(data.tickets).toHaveLength(1);
    expect(data.sessions.length).toBeGreaterThan(0);
    const raw = JSON.stringify(data);
    expect(raw).not.toMatch(/ben@example\.org|7946|ben\.example|BEN-PRIVATE/);
    // The ticket secret is a key: it stays out of a file people pass around.
    expect(raw).not.toContain(ana.secret);

    expect((await request(sut.url).get('/api/me/data')).status).toBe(401);
  });

  it('deletes an attendee at once from others\' lists, the guest list, the counts and the exports, and ends their page', async () => {
    const { eventId, people } = await aRoom([
      { name: 'Cleo Designer', email: 'cleo@example.org', intent: designer },
      { name: 'Dev Investor', email: 'dev@example.org', intent: investor },
      { name: 'Hal Builder', email: 'hal@example.org', intent: investor },
    ]);
    const [cleo, dev, hal] = people as [(typeof people)[number], (typeof people)[number], (typeof people)[number]];
    // Cleo, as a host, introduced Dev and Hal: her name is on both their cards.
    const introduced = { kind: 'introduction', by: 'host', text: 'Introduced by Cleo Designer (host): you both fund boats' };
    for (const [from, to] of [
      [dev, hal],
      [hal, dev],
    ] as const) {
      await sut.database.db
        .insert(suggestions)
        .values({ eventId, attendeeId: from.id, targetId: to.id, score: 1, reasons: [introduced], state: 'mutual', answer: 'yes' })
        .onConflictDoUpdate({ target: [suggestions.attendeeId, suggestions.targetId], set: { reasons: [introduced], state: 'mutual', answer: 'yes' } });
    }
    await sut.database.db.insert(introductions).values({ eventId, aId: dev.id, bId: hal.id, byAttendeeId: cleo.id, byName: 'Cleo Designer', message: 'you both fund boats' });
    expect(JSON.stringify((await asAttendee(dev.token).get('/api/me')).body)).toContain('Introduced by Cleo Designer');
    const devSees = ((await asAttendee(dev.token).get('/api/me')).body as MeSnapshot).suggestions.map((s) => s.person.id);
    expect(devSees).toContain(cleo.id);
    await sut.database.db.insert(notes).values({ attendeeId: dev.id, aboutId: cleo.id, text: 'Cleo: great portfolio' });
    const statsBefore = (await org.get(`/api/events/${eventId}/stats`)).body as EventStats;

    const refused = await asAttendee(cleo.token).delete('/api/me', { confirm: 'yes' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('validation_failed');
    expect((await asAttendee(cleo.token).get('/api/me')).status).toBe(200);

    const devTold = nextChange(dev.socket, (p) => !JSON.stringify(p).includes(cleo.id), 8000);
    const cleoDropped = new Promise<string>((resolve) => cleo.socket.once('disconnect', resolve));
    const gone = await asAttendee(cleo.token).delete('/api/me', { confirm: 'delete my data' });
    expect(gone.status).toBe(204);

    const list = await devTold;
    expect([...list.suggestions, ...list.connections].map((s) => s.person.name)).not.toContain('Cleo Designer');
    expect(await cleoDropped).toBe('io server disconnect');
    expect((await asAttendee(cleo.token).get('/api/me')).status).toBe(401);
    await sut.matching.settled();
    const devNow = ((await asAttendee(dev.token).get('/api/me')).body as MeSnapshot);
    expect(JSON.stringify(devNow)).not.toContain('Cleo');

    const guests = (await org.get(`/api/events/${eventId}/attendees`)).body as { name: string }[];
    expect(guests.map((g) => g.name)).toEqual(['Dev Investor', 'Hal Builder']);
    const halSees = JSON.stringify((await asAttendee(hal.token).get('/api/me')).body);
    expect(halSees).toContain('you both fund boats');
    expect(halSees).not.toContain('Cleo');
    const stats = (await org.get(`/api/events/${eventId}/stats`)).body as EventStats;
    expect(stats).toMatchObject({ registered: statsBefore.registered - 1, checkedIn: statsBefore.checkedIn - 1, present: statsBefore.present - 1 });
    const csv = await org.get(`/api/events/${eventId}/exports/attendees.csv`);
    expect(csv.text).not.toContain('Cleo');
    const pairs = await org.get(`/api/events/${eventId}/exports/suggestions.csv`);
    expect(pairs.text).not.toContain('Cleo');

    const db = sut.database.db;
    expect(await db.select().from(attendees).where(eq(attendees.id, cleo.id))).toHaveLength(0);
    expect(await db.select().from(checkins).where(eq(checkins.attendeeId, cleo.id))).toHaveLength(0);
    expect(await db.select().from(notes).where(eq(notes.aboutId, cleo.id))).toHaveLength(0);
    expect(await db.select().from(suggestions).where(or(eq(suggestions.attendeeId, cleo.id), eq(suggestions.targetId, cleo.id)))).toHaveLength(0);
  });

  it("erases an event's personal data only after it ended, confirmed with its slug", async () => {
    const slug = `erase-me-${kind}`;
    const { eventId, people } = await aRoom(
      [
        { name: 'Eli Early', email: 'eli@example.org', intent: designer },
        { name: 'Fay Final', email: 'fay@example.org', intent: investor },
      ],
      { slug },
    );
    const [eli] = people as [(typeof people)[number]];
    const early = await org.post(`/api/events/${eventId}/erase`, { confirmSlug: slug });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('event_not_ended');

    sut.clock.set(Date.parse('2026-11-25T22:00:01Z'));
    const wrong = await org.post(`/api/events/${eventId}/erase`, { confirmSlug: 'some-other-event' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details).toEqual([expect.objectContaining({ path: 'confirmSlug' })]);
    expect((await org.post(`/api/events/${eventId}/erase`, {})).status).toBe(400);
    expect((await org.get(`/api/events/${eventId}/attendees`)).body).toHaveLength(2);

    const eliDropped = new Promise<string>((resolve) => eli.socket.once('disconnect', resolve));
    const erased = await org.post(`/api/events/${eventId}/erase`, { confirmSlug: slug });
    expect(erased.status).toBe(200);
    expect(erased.body).toEqual({ eventId, erasedAt: '2026-11-25T22:00:01.000Z', attendeesErased: 2 });
    expect(await eliDropped).toBe('io server disconnect');

    const db = sut.database.db;
    expect(await db.select().from(attendees).where(eq(attendees.eventId, eventId))).toHaveLength(0);
    expect(await db.select().from(suggestions).where(eq(suggestions.eventId, eventId))).toHaveLength(0);
    expect(await db.select().from(checkins).where(eq(checkins.eventId, eventId))).toHaveLength(0);
    const [event] = await db.select().from(events).where(eq(events.id, eventId));
    expect(event?.status).toBe('closed');
    const shown = (await org.get(`/api/events/${eventId}`)).body as { erasedAt: string | null; status: string };
    expect(shown).toMatchObject({ erasedAt: '2026-11-25T22:00:01.000Z', status: 'closed' });
    expect((await asAttendee(eli.token).get('/api/me')).status).toBe(401);
    const csv = await org.get(`/api/events/${eventId}/exports/attendees.csv`);
    expect(csv.text.trim().split('\r\n')).toHaveLength(1);
    // An erased event is an archive: no new guests, and it cannot be opened again.
    const added = await org.post(`/api/events/${eventId}/attendees`, { name: 'Late Larry', email: 'larry@example.org' });
    expect(added.status).toBe(409);
    expect(added.body).toMatchObject({ error: { code: 'event_erased' } });
    expect((await org.patch(`/api/events/${eventId}`, { status: 'open' })).body).toMatchObject({ error: { code: 'event_erased' } });
    expect(await db.select().from(attendees).where(eq(attendees.eventId, eventId))).toHaveLength(0);
    // Only organisers erase.
    expect((await request(sut.url).post(`/api/events/${eventId}/erase`).send({ confirmSlug: slug })).status).toBe(401);
  });

  it('lets an organiser erase a closed event before its planned end', async () => {
    const slug = `closed-early-${kind}`;
    const { eventId } = await aRoom([{ name: 'Gil Gone', email: 'gil@example.org', intent: designer }], { slug, endsAt: '2026-11-26T23:00:00Z' });
    expect((await org.patch(`/api/events/${eventId}`, { status: 'closed' })).status).toBe(200);
    const erased = await org.post(`/api/events/${eventId}/erase`, { confirmSlug: slug.toUpperCase() });
    expect(erased.status).toBe(200);
    expect(erased.body.attendeesErased).toBe(1);
  });
});
