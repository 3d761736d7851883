import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendees, checkins, events, intents, tickets } from '@edgewise/db';
import { defaultEventSettings } from '@edgewise/shared';
import { createDemoEvent, seededRandom } from '../../api/src/demo';
import { anEvent, anOrganiser, type Organiser } from '../fixtures/builders';
import { dbKinds, request, startServer, type TestServer } from '../fixtures/server';

describe.each(dbKinds)('events (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;

  beforeAll(async () => {
    sut = await startServer(kind);
    org = await anOrganiser(sut);
  });
  afterAll(async () => {
    await sut?.close();
  });

  const eventCount = async () => (await sut.database.db.select({ n: count() }).from(events))[0]?.n ?? 0;

  describe('creating', () => {
    it('creates a draft with default settings and a slug from its name', async () => {
      const res = await org.post('/api/events', { name: 'Café Résumé Night!', startsAt: '2026-12-01T18:00:00Z', endsAt: '2026-12-01T22:00:00+00:00', timeZone: 'Europe/Paris' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name: 'Café Résumé Night!',
        slug: 'cafe-resume-night',
        status: 'draft',
        venue: '',
        timeZone: 'Europe/Paris',
        startsAt: '2026-12-01T18:00:00.000Z',
        endsAt: '2026-12-01T22:00:00.000Z',
        settings: defaultEventSettings,
      });
      const got = await org.get(`/api/events/${res.body.id}`);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(res.body);
    });

    it('makes generated slugs unique and refuses a taken explicit slug', async () => {
      const a = await org.post('/api/events', anEvent({ name: 'Founders Breakfast' }));
      const b = await org.post('/api/events', anEvent({ name: 'Founders  Breakfast' }));
      const c = await org.post('/api/events', anEvent({ name: 'founders breakfast' }));
      expect([a.body.slug, b.body.slug, c.body.slug]).toEqual(['founders-breakfast', 'founders-breakfast-2', 'founders-breakfast-3']);

      const taken = await org.post('/api/events', anEvent({ slug: 'founders-breakfast' }));
      expect(taken.status).toBe(409);
      expect(taken.body.error.code).toBe('conflict');
    });

    it('gives a name without Latin letters a usable slug', async () => {
      const res = await org.post('/api/events', anEvent({ name: '東京 ミートアップ' }));
      expect(res.status).toBe(201);
      expect(res.body.slug).toMatch(/^event(-\d+)?$/);
    });

    it('merges given settings over the defaults', async () => {
      const res = await org.post('/api/events', anEvent({ settings: { walkInsAllowed: true, interestTags: ['Rust', 'Go'] } }));
      expect(res.status).toBe(201);
      expect(res.body.settings).toMatchObject({ ...defaultEventSettings, walkInsAllowed: true, interestTags: ['Rust', 'Go'], interestTranslations: {} });
    });

    it('lists the templates, each a realistic vocabulary with both sides of its topics', async () => {
      const res = await org.get('/api/event-templates');
      expect(res.status).toBe(200);
      expect(res.body.map((t: { id: string }) => t.id)).toEqual(['startup-night', 'academic-conference', 'tech-meetup', 'career-fair', 'community-gathering']);
      for (const t of res.body as { topics: { id: string; seekLabel: string; offerLabel: string }[]; interests: string[] }[]) {
        expect(t.topics.length + t.interests.length).toBeGreaterThanOrEqual(10);
        expect(t.topics.length).toBeLessThanOrEqual(20);
        expect(t.interests.length).toBeLessThanOrEqual(20);
        expect(t.topics.some((x) => x.seekLabel !== x.offerLabel)).toBe(true);
      }
      expect(res.body[0].topics).toContainEqual(expect.objectContaining({ id: 'investment', seekLabel: 'Investment', offerLabel: 'I invest' }));
    });

    it("starts an event from a template's topics and interests, which the organiser then edits", async () => {
      const res = await org.post('/api/events', anEvent({ template: 'career-fair', settings: { walkInsAllowed: true } }));
      expect(res.status).toBe(201);
      const template = (await org.get('/api/event-templates')).body.find((t: { id: string }) => t.id === 'career-fair');
      expect(res.body.settings).toMatchObject({ topics: template.topics, interestTags: template.interests, walkInsAllowed: true });
      expect(res.body.settings.topics).toContainEqual(expect.objectContaining({ id: 'jobs', seekLabel: 'A job', offerLabel: "I'm hiring" }));

      const topics = [...template.topics.slice(0, 2), { id: 'mentoring', seekLabel: 'A mentor', offerLabel: 'I mentor' }];
      const edited = await org.patch(`/api/events/${res.body.id}`, { settings: { topics } });
      expect(edited.status).toBe(200);
      expect(edited.body.settings.topics).toEqual(topics);
    });

    it.each([
      ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
      ['an end before the start', { startsAt: '2026-11-25T22:00:00Z', endsAt: '2026-11-25T17:00:00Z' }, 'endsAt'],
      ['an end equal to the start', { startsAt: '2026-11-25T22:00:00Z', endsAt: '2026-11-25T22:00:00Z' }, 'endsAt'],
      ['a time without offset', { startsAt: '2026-11-25T17:00:00' }, 'startsAt'],
      ['an unknown status', { status: 'live' }, 'status'],
      ['an empty name', { name: '   ' }, 'name'],
      ['a bad slug', { slug: 'Not a slug!' }, 'slug'],
      ['a duplicate interest, case aside', { settings: { interestTags: ['AI', 'Design', 'ai'] } }, 'settings.interestTags.2'],
      [
        'two topics with one id',
        { settings: { topics: [{ id: 'jobs', seekLabel: 'A job', offerLabel: "I'm hiring" }, { id: 'jobs', seekLabel: 'Work', offerLabel: 'Work' }] } },
        'settings.topics.1.id',
      ],
      [
        'two topics with one "looking for" label, case aside',
        { settings: { topics: [{ id: 'jobs', seekLabel: 'A job', offerLabel: "I'm hiring" }, { id: 'work', seekLabel: 'a JOB', offerLabel: 'Work' }] } },
        'settings.topics.1.seekLabel',
      ],
      ['a topic id that is not a slug', { settings: { topics: [{ id: 'Jobs!', seekLabel: 'A job', offerLabel: "I'm hiring" }] } }, 'settings.topics.0.id'],
      ['a topic without its offering label', { settings: { topics: [{ id: 'jobs', seekLabel: 'A job' }] } }, 'settings.topics.0.offerLabel'],
      ['an unknown template', { template: 'wedding' }, 'template'],
      ['too many suggestions', { settings: { suggestionsPerPerson: 50 } }, 'settings.suggestionsPerPerson'],
    ])('refuses %s with 400 validation_failed and stores nothing', async (_label, override, path) => {
      const before = await eventCount();
      const res = await org.post('/api/events', { ...anEvent(), ...override });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
      expect(await eventCount()).toBe(before);
    });

    it('answers 400 malformed_json for a broken body', async () => {
      const res = await org.agent
        .post('/api/events')
        .set('x-csrf-token', org.csrf)
        .set('content-type', 'application/json')
        .send('{"name": "Broken",');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('malformed_json');
    });

    it('answers 413 payload_too_large for an oversized body', async () => {
      const before = await eventCount();
      const res = await org.post('/api/events', { ...anEvent(), venue: 'x'.repeat(200_000) });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
      expect(await eventCount()).toBe(before);
    });

    it('needs an organiser', async () => {
      expect((await request(sut.url).post('/api/events').send(anEvent())).status).toBe(401);
      expect((await request(sut.url).get('/api/events')).status).toBe(401);
    });
  });

  describe('reading', () => {
    it('lists events newest first', async () => {
      sut.clock.advance(60_000);
      const older = await org.post('/api/events', anEvent({ name: 'Older' }));
      sut.clock.advance(60_000);
      const newer = await org.post('/api/events', anEvent({ name: 'Newer' }));
      const res = await org.get('/api/events');
      expect(res.status).toBe(200);
      const ids = (res.body as { id: string }[]).map((e) => e.id);
      expect(ids[0]).toBe(newer.body.id);
      expect(ids.indexOf(newer.body.id)).toBeLessThan(ids.indexOf(older.body.id));
    });

    it('answers 404 for an unknown event and 400 for an id that is not one', async () => {
      const missing = await org.get(`/api/events/${randomUUID()}`);
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('not_found');

      const bad = await org.get('/api/events/not-a-uuid');
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('validation_failed');
      expect(bad.body.error.details).toEqual([expect.objectContaining({ path: 'eventId' })]);
    });
  });

  describe('editing', () => {
    it('changes fields, merges settings and keeps the rest', async () => {
      const created = await org.post('/api/events', anEvent({ settings: { walkInsAllowed: true } }));
      const id = created.body.id as string;
      sut.clock.advance(5_000);
      const res = await org.patch(`/api/events/${id}`, { name: 'Renamed', status: 'closed', settings: { suggestionsPerPerson: 5 } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, name: 'Renamed', status: 'closed', slug: created.body.slug, startsAt: created.body.startsAt });
      expect(res.body.settings).toMatchObject({ ...defaultEventSettings, walkInsAllowed: true, suggestionsPerPerson: 5 });
      expect(Date.parse(res.body.updatedAt)).toBeGreaterThan(Date.parse(created.body.updatedAt));
      expect((await org.get(`/api/events/${id}`)).body).toEqual(res.body);
    });

    it('checks a new end against the stored start, and a new start against the stored end', async () => {
      const created = await org.post('/api/events', anEvent({ startsAt: '2026-11-25T17:00:00Z', endsAt: '2026-11-25T22:00:00Z' }));
      const id = created.body.id as string;

      const endTooEarly = await org.patch(`/api/events/${id}`, { endsAt: '2026-11-25T16:00:00Z' });
      expect(endTooEarly.status).toBe(400);
      expect(endTooEarly.body.error.code).toBe('validation_failed');

      const startTooLate = await org.patch(`/api/events/${id}`, { startsAt: '2026-11-26T09:00:00Z' });
      expect(startTooLate.status).toBe(400);

      const stored = await org.get(`/api/events/${id}`);
      expect(stored.body.startsAt).toBe('2026-11-25T17:00:00.000Z');
      expect(stored.body.endsAt).toBe('2026-11-25T22:00:00.000Z');

      const both = await org.patch(`/api/events/${id}`, { startsAt: '2026-11-26T09:00:00Z', endsAt: '2026-11-26T12:00:00Z' });
      expect(both.status).toBe(200);
    });

    it('refuses a merged tag list with a duplicate and a bad time zone, leaving the event as it was', async () => {
      const created = await org.post('/api/events', anEvent());
      const id = created.body.id as string;
      const dup = await org.patch(`/api/events/${id}`, { settings: { interestTags: ['AI', 'ai'] }, name: 'Should not stick' });
      expect(dup.status).toBe(400);
      const tz = await org.patch(`/api/events/${id}`, { timeZone: 'Europe/Atlantis' });
      expect(tz.status).toBe(400);
      expect((await org.get(`/api/events/${id}`)).body).toEqual(created.body);
    });

    it('answers 404 when editing an unknown event', async () => {
      const res = await org.patch(`/api/events/${randomUUID()}`, { name: 'Ghost' });
      expect(res.status).toBe(404);
    });
  });

  describe('stats', () => {
    it('counts registered, checked in, present, away, left and flagged from the scan log', async () => {
      const created = await org.post('/api/events', anEvent());
      const eventId = created.body.id as string;
      const db = sut.database.db;
      const people = await db
        .insert(attendees)
        .values(['Ana', 'Bo', 'Chen', 'Dara'].map((name) => ({ eventId, name, source: 'manual' as const })))
        .returning();
      const [ana, bo, chen] = people as [(typeof people)[number], (typeof people)[number], (typeof people)[number]];
      const at = (min: number) => new Date(Date.parse('2026-11-25T18:00:00Z') + min * 60_000);
      let n = 0;
      const scan = (attendeeId: string | null, type: 'entry' | 'exit', min: number, extra: { effective?: boolean; flagged?: boolean } = {}) => ({
        eventId,
        attendeeId,
        nonce: `stats-${eventId}-${++n}`,
        type,
        method: 'qr',
        status: extra.effective === false ? 'already_checked_in' : 'ok',
        reason: '',
        scannedAt: at(min),
        effective: extra.effective ?? true,
        flagged: extra.flagged ?? false,
      });
      await db.insert(checkins).values([
        // Ana: in, and a repeated scan that changed nothing.
        scan(ana.id, 'entry', 0),
        scan(ana.id, 'entry', 5, { effective: false }),
        // Bo: in then out; the exit was uploaded late and flagged but still counts.
        scan(bo.id, 'entry', 1),
        scan(bo.id, 'exit', 30, { flagged: true }),
        // Chen: an offline exit from earlier arrives after the later re-entry: still present.
        scan(chen.id, 'entry', 2),
        scan(chen.id, 'entry', 40),
        scan(chen.id, 'exit', 20),
        // An unknown ticket: logged, not anybody.
        scan(null, 'entry', 3, { effective: false }),
      ]);

      const res = await org.get(`/api/events/${eventId}/stats`);
      expect(res.status).toBe(200);
      // "Away after" is off: nobody in is away however quiet they are.
      expect(res.body).toEqual({ registered: 4, checkedIn: 3, present: 2, away: 0, left: 1, flagged: 1 });

      const other = await org.post('/api/events', anEvent());
      expect((await org.get(`/api/events/${other.body.id}/stats`)).body).toEqual({ registered: 0, checkedIn: 0, present: 0, away: 0, left: 0, flagged: 0 });
      expect((await org.get(`/api/events/${randomUUID()}/stats`)).status).toBe(404);
      expect(await db.select({ n: count() }).from(checkins).where(eq(checkins.eventId, eventId))).toEqual([{ n: 8 }]);
    });
  });

  describe('the demo event', () => {
    it('is an open event happening now with a realistic guest list, tickets and intents', async () => {
      const demo = await createDemoEvent(sut.deps, null);
      expect(demo.event).toMatchObject({ name: 'Demo Night', slug: 'demo-night', status: 'open', timeZone: 'Europe/London' });
      const now = sut.clock();
      expect(Date.parse(demo.event.startsAt)).toBeLessThan(now);
      expect(Date.parse(demo.event.endsAt)).toBeGreaterThan(now);

      const db = sut.database.db;
      const guests = await db.select().from(attendees).where(eq(attendees.eventId, demo.event.id));
      expect(guests.length).toBeGreaterThanOrEqual(50);
      for (const script of [/\p{Script=Han}/u, /\p{Script=Cyrillic}/u, /\p{Script=Arabic}/u, /\p{Script=Greek}/u]) {
        expect(guests.some((g) => script.test(g.name))).toBe(true);
      }
      const firstTimers = guests.filter((g) => g.firstTime).length / guests.length;
      expect(firstTimers).toBeGreaterThan(0.15);
      expect(firstTimers).toBeLessThan(0.45);
      expect(guests.filter((g) => g.host).length).toBeGreaterThanOrEqual(2);
      expect(new Set(guests.map((g) => g.email)).size).toBe(guests.length);

      const secrets = await db.select().from(tickets).where(eq(tickets.eventId, demo.event.id));
      expect(secrets).toHaveLength(guests.length);
      expect(new Set(secrets.map((t) => t.secret)).size).toBe(guests.length);
      for (const t of secrets) expect(t.secret).toMatch(/^[A-Za-z0-9_-]{24}$/);

      const stated = await db.select().from(intents).where(eq(intents.eventId, demo.event.id));
      expect(stated.length / guests.length).toBeGreaterThan(0.3);
      expect(stated.length / guests.length).toBeLessThan(0.7);
      const { topics, interestTags } = demo.event.settings;
      const topicIds = topics.map((t) => t.id);
      for (const i of stated) {
        expect(i.seeks.length + i.offers.length).toBeGreaterThan(0);
        for (const t of [...i.seeks, ...i.offers]) expect(topicIds).toContain(t);
        for (const t of i.interests) expect(interestTags).toContain(t);
        // Nobody offers what they look for themselves.
        expect(i.seeks.filter((t) => i.offers.includes(t))).toEqual([]);
      }
      // Each guest's intent fits their role: investors offer investment and never look for
      // it, students look for a job and never hire, founders look for investment and hire.
      const roleOf = new Map(guests.map((g) => [g.id, g.role]));
      const byRole = (role: string) => stated.filter((i) => roleOf.get(i.attendeeId) === role);
      expect(byRole('Investor').length).toBeGreaterThan(0);
      for (const i of byRole('Investor')) expect([i.offers.includes('investment'), i.seeks.includes('investment')]).toEqual([true, false]);
      for (const i of byRole('Student')) expect([i.seeks.includes('jobs'), i.offers.includes('jobs'), i.offers.includes('investment')]).toEqual([true, false, false]);
      for (const i of byRole('Founder')) expect([i.seeks.includes('investment'), i.offers.includes('jobs')]).toEqual([true, true]);
      for (const g of guests.filter((x) => x.role === 'Student')) expect(g.company).toMatch(/University|College/);

      expect((await org.get(`/api/events/${demo.event.id}/stats`)).body).toMatchObject({ registered: guests.length, checkedIn: 0 });
    });

    it('is not created twice, and a refused second run writes nothing', async () => {
      const before = (await sut.database.db.select({ n: count() }).from(attendees))[0]?.n;
      await expect(createDemoEvent(sut.deps, null)).rejects.toMatchObject({ code: 'conflict' });
      expect((await sut.database.db.select({ n: count() }).from(attendees))[0]?.n).toBe(before);
    });

    it('draws its choices from a seeded generator, the same every time', () => {
      const a = seededRandom(7);
      const b = seededRandom(7);
      const c = seededRandom(8);
      const seqA = Array.from({ length: 20 }, () => a.next());
      expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
      expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
      for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
    });
  });
});
