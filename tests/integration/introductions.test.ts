import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { introductions, suggestions } from '@edgewise/db';
import type {
  FollowupPreview,
  CheckinOutcome,
  EdgesList,
  HostEdges,
  IntentBody,
  Introduction,
  ScreenSnapshot,
  SuggestionView,
} from '@edgewise/shared';
import { anIntent, aNonce, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { aKioskRoom, aSignedInPhone, ask, bearer as bearerOf, nextChange, recorder, sync } from '../fixtures/room';
import { aSocket, dbKinds, startServer, type ClientSocket, type TestServer } from '../fixtures/server';

const designer: Partial<IntentBody> = { seeks: ['Investors'], offers: ['Design'], interests: ['Climate'] };
const investor: Partial<IntentBody> = { seeks: ['Design'], offers: ['Investors'], interests: ['Climate'] };
const engineer: Partial<IntentBody> = { seeks: ['Hiring'], offers: ['Engineering'], interests: ['Hardware'] };

const aboutPerson = (list: SuggestionView[], id: string) => list.find((s) => s.person.id === id);

describe.each(dbKinds)('the edges list and introductions (%s)', (kind) => {
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

  const now = () => new Date(sut.clock()).toISOString();
  const bearer = (token: string) => bearerOf(sut, token);
  const track = <T extends ClientSocket>(s: T) => {
    sockets.push(s);
    return s;
  };

  interface Arrival {
    intent?: Partial<IntentBody>;
    email?: string;
    firstTime?: boolean;
    host?: boolean;
    /** Registered but not checked in. */
    away?: boolean;
  }

  /** A fresh open event with a kiosk: people check in there, state intent and open their page on their phone. */
  async function aRoom() {
    const room = await aKioskRoom(sut, org, sockets);
    const { eventId } = room;
    const arrive = async (name: string, opts: Arrival = {}) => {
      const guest = await room.register(name, { firstTime: opts.firstTime ?? false, host: opts.host ?? false, ...(opts.email ? { email: opts.email } : {}) });
      if (!opts.away) {
        await room.checkIn(guest);
        await room.stateIntent(guest, opts.intent ?? designer);
      }
      return { ...guest, ...(await aSignedInPhone(sut, sockets, guest)) };
    };
    const edges = async () => {
      const res = await org.get(`/api/events/${eventId}/edges`);
      expect(res.status).toBe(200);
      return res.body as EdgesList;
    };
    const introduce = (aId: string, bId: string, message = '') => org.post(`/api/events/${eventId}/introductions`, { aId, bId, message });
    /** Both directions of a pair, written as the attendees' own answers would have left them. */
    const pairAs = async (x: string, y: string, state: 'mutual' | 'declined' | 'met', answers: ['yes' | 'no' | null, 'yes' | 'no' | null] = ['yes', 'yes']) => {
      const at = new Date(sut.clock());
      for (const [from, to, answer] of [
        [x, y, answers[0]],
        [y, x, answers[1]],
      ] as const) {
        await sut.database.db
          .insert(suggestions)
          .values({ eventId, attendeeId: from, targetId: to, score: 5, reasons: [], state, answer, listed: true, createdAt: at, updatedAt: at })
          .onConflictDoUpdate({ target: [suggestions.attendeeId, suggestions.targetId], set: { state, answer, updatedAt: at } });
      }
      sut.matching.pairChanged(eventId, x, y);
    };
    return { eventId, kiosk: room.kiosk, atKiosk: room.atKiosk, arrive, edges, introduce, pairAs };
  }

  it('lists a lone first-timer at once and someone alone past the edge minutes, not someone with a mutual match', async () => {
    const room = await aRoom();
    await room.arrive('Fia Lund', { firstTime: true, intent: designer });
    const gus = await room.arrive('Gus Moreno', { intent: engineer });
    const hal = await room.arrive('Hal Berg', { intent: investor });
    const ivy = await room.arrive('Ivy Chen', { intent: designer });
    await room.arrive('Hana Ito', { host: true, intent: investor });
    await room.pairAs(hal.id, ivy.id, 'mutual');
    await sut.matching.settled();

    const early = await room.edges();
    expect(early.people.map((p) => p.person.name)).toEqual(['Fia Lund']);
    expect(early.total).toBe(1);
    expect(early.present).toBe(5);
    const fiaEntry = early.people[0]!;
    expect(fiaEntry.person).toMatchObject({ firstTime: true, seeks: ['investors'], offers: ['design'], interests: ['Climate'], askMeAbout: 'Tidal energy' });
    expect(fiaEntry.person).not.toHaveProperty('email');
    // A first-timer is at the edges from the moment they arrive.
    expect(fiaEntry.since).toBe(fiaEntry.arrivedAt);
    // Hosts first for a first-timer; then the best fit; never the people she cannot be introduced to.
    expect(fiaEntry.candidates[0]?.person.name).toBe('Hana Ito');
    expect(fiaEntry.candidates[0]?.reasons.map((r) => r.text)).toEqual(
      expect.arrayContaining(['Hana says “I invest”: Fia is looking for investors', 'Hana welcomes newcomers']),
    );
    expect(fiaEntry.candidates.map((c) => c.person.name)).toContain('Hal Berg');
    expect(early.hosts.map((h) => h.name)).toEqual(['Hana Ito']);

    sut.clock.advance(11 * 60_000);
    const later = await room.edges();
    const names = later.people.map((p) => p.person.name);
    expect(names).toEqual(expect.arrayContaining(['Fia Lund', 'Gus Moreno', 'Hana Ito']));
    expect(names).not.toContain('Hal Berg');
    expect(names).not.toContain('Ivy Chen');
    const gusEntry = later.people.find((p) => p.person.id === gus.id)!;
    expect(Date.parse(gusEntry.since) - Date.parse(gusEntry.arrivedAt)).toBe(10 * 60_000);
    // Longest waiting first: Fia arrived first and has waited since she came.
    expect(names[0]).toBe('Fia Lund');

    // Someone who leaves is no longer at the edges, nor anyone's candidate.
    const exit = await room.atKiosk.post(`/api/events/${room.eventId}/checkins`, { token: gus.secret, type: 'exit', nonce: aNonce(), scannedAt: now() });
    expect((exit.body as CheckinOutcome).status).toBe('ok');
    const after = await room.edges();
    expect(after.people.map((p) => p.person.id)).not.toContain(gus.id);
    expect(after.people.flatMap((p) => p.candidates.map((c) => c.person.id))).not.toContain(gus.id);
  });

  it('introduces two people: exactly their two phones hear of it, the pair is mutual, and contacts pass only after both say yes, each only what the other shares', async () => {
    const room = await aRoom();
    const fia = await room.arrive('Fia Lund', { firstTime: true, intent: designer, email: 'fia.lund@example.org' });
    const gus = await room.arrive('Gus Moreno', { intent: engineer, email: 'gus.moreno@example.org' });
    const hal = await room.arrive('Hal Berg', { intent: investor, email: 'hal.berg@example.org' });
    // Gus shares his email and phone with mutual matches; Fia shares nothing.
    expect(await ask(gus.socket, 'contact:update', { shareEmail: true, phone: '+351 911 222 333', link: '' })).toMatchObject({ ok: true });
    await sut.matching.settled();
    const organiser = track(await aSocket(sut, { cookie: org.cookie }));
    expect(await ask(organiser, 'event:subscribe', { eventId: room.eventId })).toMatchObject({ ok: true });

    const heardByHal = recorder(hal.socket);
    const toFia = nextChange(fia.socket, (p) => aboutPerson(p.suggestions, gus.id)?.state === 'mutual');
    const toGus = nextChange(gus.socket, (p) => aboutPerson(p.suggestions, fia.id)?.state === 'mutual');
    const message = 'You both care about tidal energy: Gus builds the turbines.';
    const res = await room.introduce(fia.id, gus.id, `  ${message}  `);
    expect(res.status).toBe(201);
    const intro = res.body as Introduction;
    expect(intro).toMatchObject({
      eventId: room.eventId,
      a: { id: fia.id, name: 'Fia Lund' },
      b: { id: gus.id, name: 'Gus Moreno' },
      by: { role: 'organiser', name: 'Olga Organiser' },
      message,
    });

    const fiaSees = aboutPerson((await toFia).suggestions, gus.id)!;
    // The introduction counts as mutual, but presumes nobody's yes: no contact details yet.
    expect(fiaSees).toMatchObject({
      state: 'mutual',
      myAnswer: null,
      introduction: { id: intro.id, by: { role: 'organiser', name: 'Olga Organiser' }, message },
      contact: null,
    });
    expect(fiaSees.reasons[0]).toEqual({ kind: 'introduction', text: `Introduced by Olga Organiser (organiser): ${message}` });
    let gusSees = aboutPerson((await toGus).suggestions, fia.id)!;
    expect(gusSees).toMatchObject({ state: 'mutual', introduction: { id: intro.id, message }, contact: null });

    // The follow-up lists the introduction, and no contact details before both say yes.
    const digestBefore = await bearer(fia.token).get('/api/me/followup');
    expect(digestBefore.status).toBe(200);
    expect((digestBefore.body as FollowupPreview).contacts).toMatchObject([{ attendeeId: gus.id, how: 'introduced', contact: { email: null, phone: null, link: null } }]);

    // Fia's yes alone shares nothing; once Gus says yes too, each sees what the other shares.
    expect(await ask(fia.socket, 'suggestion:answer', { suggestionId: fiaSees.id, answer: 'yes' })).toMatchObject({ ok: true, data: { state: 'mutual', myAnswer: 'yes', contact: null } });
    const gusYes = await ask(gus.socket, 'suggestion:answer', { suggestionId: gusSees.id, answer: 'yes' });
    expect(gusYes).toMatchObject({ ok: true, data: { state: 'mutual', myAnswer: 'yes', contact: { email: null, phone: null, link: null } } });
    gusSees = aboutPerson((await sync(gus.socket)).suggestions, fia.id)!;
    expect(aboutPerson((await sync(fia.socket)).suggestions, gus.id)).toMatchObject({
      contact: { email: 'gus.moreno@example.org', phone: '+351 911 222 333', link: null },
    });
    const digestAfter = await bearer(fia.token).get('/api/me/followup');
    expect((digestAfter.body as FollowupPreview).contacts).toMatchObject([{ attendeeId: gus.id, contact: { email: 'gus.moreno@example.org', phone: '+351 911 222 333' } }]);

    // Matching pins the pair; what it writes later keeps the introduction on both cards.
    await sut.matching.settled();
    await sut.matching.runGlobalPass(room.eventId);
    const fiaLater = aboutPerson((await sync(fia.socket)).suggestions, gus.id)!;
    expect(fiaLater).toMatchObject({ state: 'mutual', introduction: { id: intro.id } });
    expect(fiaLater.reasons[0]?.kind).toBe('introduction');

    // "We met" works as for any mutual pair.
    const met = await ask(gus.socket, 'suggestion:met', { suggestionId: gusSees.id });
    expect(met).toMatchObject({ ok: true, data: { state: 'met', introduction: { id: intro.id } } });

    // The third person heard nothing of it.
    await sut.matching.settled();
    await sync(hal.socket);
    expect(JSON.stringify(heardByHal)).not.toContain(intro.id);
    expect(JSON.stringify(heardByHal)).not.toContain('tidal energy: Gus');
    expect(JSON.stringify(heardByHal)).not.toMatch(/gus\.moreno@|911 222 333/);

    const listed = await org.get(`/api/events/${room.eventId}/introductions`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([intro]);

    // Gus is no longer alone; Fia, a first-timer, stays on the list with her match counted, and is not offered Gus again.
    sut.clock.advance(11 * 60_000);
    const edges = await room.edges();
    expect(edges.people.map((p) => p.person.id)).not.toContain(gus.id);
    const fiaEntry = edges.people.find((p) => p.person.id === fia.id)!;
    expect(fiaEntry.connections).toBe(1);
    expect(fiaEntry.candidates.map((c) => c.person.id)).not.toContain(gus.id);
  });

  it('shows an introduction on the big screen only when both people agreed to be shown, and never the message or contacts', async () => {
    const room = await aRoom();
    const shown = { showOnScreen: true };
    const fia = await room.arrive('Fia Lund', { firstTime: true, intent: { ...designer, ...shown }, email: 'fia.lund@example.org' });
    const gus = await room.arrive('Gus Moreno', { intent: { ...engineer, ...shown } });
    const hal = await room.arrive('Hal Berg', { intent: investor });
    await sut.matching.settled();
    const screen = track(await aSocket(sut, { token: (await aPairedDevice(sut, org, room.eventId, 'screen')).token }));
    const screens: ScreenSnapshot[] = [];
    screen.on('screen:changed', (s) => screens.push(s));
    const initial = await ask(screen, 'screen:sync', {});
    expect(initial).toMatchObject({ ok: true, data: { introductions: [] } });

    // Hal did not agree to be shown: his introduction stays off the screen.
    expect((await room.introduce(fia.id, hal.id, 'Hal funds design studios')).status).toBe(201);
    await sut.matching.settled();
    const afterHal = await ask(screen, 'screen:sync', {});
    if (!afterHal.ok) throw new Error(afterHal.error.message);
    expect(afterHal.data.introductions).toEqual([]);
    expect(JSON.stringify([afterHal.data, ...screens])).not.toContain('Hal');

    expect((await room.introduce(fia.id, gus.id, 'Secret plans for the harbour')).status).toBe(201);
    await sut.matching.settled();
    // Answered after anything already pushed, so the push has arrived by now.
    const synced = await ask(screen, 'screen:sync', {});
    expect(synced).toMatchObject({ ok: true, data: { introductions: [{ a: { id: fia.id }, b: { id: gus.id } }] } });
    const pushed = screens.at(-1);
    expect(pushed?.introductions).toEqual([
      expect.objectContaining({ a: expect.objectContaining({ firstName: 'Fia' }), b: expect.objectContaining({ firstName: 'Gus' }), by: 'organiser' }),
    ]);
    // The pair has its introduction card, not a second suggestion card as well.
    expect(pushed?.cards.map((c) => c.key)).not.toContain(pushed?.introductions[0]?.key);
    expect(JSON.stringify(screens)).not.toMatch(/harbour|Olga|@|Lund|Moreno/);

    // Once the introduction leaves the screen, the pair does not come back as "both said yes": neither said it.
    sut.clock.advance(31 * 60_000);
    await sut.matching.runGlobalPass(room.eventId);
    const later = await ask(screen, 'screen:sync', {});
    expect(later).toMatchObject({ ok: true, data: { introductions: [], cards: [] } });

    // With the screen turned off, nothing is shown.
    expect((await org.patch(`/api/events/${room.eventId}`, { settings: { screenEnabled: false } })).status).toBe(200);
    const off = await ask(screen, 'screen:sync', {});
    expect(off).toMatchObject({ ok: true, data: { screenEnabled: false, introductions: [] } });
  });

  it('refuses introductions that cannot be made, with a reason, and writes nothing', async () => {
    const room = await aRoom();
    const fia = await room.arrive('Fia Lund', { firstTime: true });
    const gus = await room.arrive('Gus Moreno', { intent: engineer });
    const hal = await room.arrive('Hal Berg', { intent: investor });
    const ivy = await room.arrive('Ivy Chen', { intent: investor });
    const jon = await room.arrive('Jon Park', { intent: engineer });
    const kim = await room.arrive('Kim Ode', { away: true });
    const ned = await room.arrive('Ned Voss', { intent: investor });
    await room.pairAs(gus.id, hal.id, 'declined', ['no', null]);
    await room.pairAs(ivy.id, jon.id, 'met');
    expect(await ask(ned.socket, 'matching:opt-out', { optOut: true })).toMatchObject({ ok: true });
    await sut.matching.settled();
    const elsewhere = await aRoom();
    const outsider = await elsewhere.arrive('Lea Roth');
    const rowsBefore = await sut.database.db.select().from(suggestions).where(eq(suggestions.eventId, room.eventId));

    const same = await room.introduce(fia.id, fia.id);
    expect(same.status).toBe(400);
    expect(same.body.error.code).toBe('validation_failed');

    const tooLong = await room.introduce(fia.id, gus.id, 'x'.repeat(201));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.code).toBe('validation_failed');

    const notHere = await room.introduce(fia.id, kim.id);
    expect(notHere.status).toBe(409);
    expect(notHere.body.error).toMatchObject({ code: 'not_checked_in', details: { reason: 'not_present', attendeeIds: [kim.id] } });

    const optedOut = await room.introduce(fia.id, ned.id);
    expect(optedOut.status).toBe(409);
    expect(optedOut.body.error).toMatchObject({ code: 'conflict', details: { reason: 'opted_out', attendeeId: ned.id } });

    const declined = await room.introduce(hal.id, gus.id);
    expect(declined.status).toBe(409);
    expect(declined.body.error).toMatchObject({ code: 'conflict', details: { reason: 'declined' } });

    const met = await room.introduce(jon.id, ivy.id);
    expect(met.status).toBe(409);
    expect(met.body.error).toMatchObject({ code: 'conflict', details: { reason: 'met' } });

    const crossEvent = await room.introduce(fia.id, outsider.id);
    expect(crossEvent.status).toBe(404);
    expect(crossEvent.body.error).toMatchObject({ code: 'not_found', details: { attendeeIds: [outsider.id] } });
    const wrongPath = await elsewhere.introduce(fia.id, gus.id);
    expect(wrongPath.status).toBe(404);

    const notAnOrganiser = await bearer(fia.token).post(`/api/events/${room.eventId}/introductions`, { aId: gus.id, bId: jon.id });
    expect(notAnOrganiser.status).toBe(401);
    const withoutCsrf = await org.agent.post(`/api/events/${room.eventId}/introductions`).send({ aId: gus.id, bId: jon.id });
    expect(withoutCsrf.status).toBe(403);

    // Refusals left every row as it was.
    const rowsAfter = await sut.database.db.select().from(suggestions).where(eq(suggestions.eventId, room.eventId));
    const shape = (rows: typeof rowsBefore) => rows.map((r) => [r.attendeeId, r.targetId, r.state, r.answer, r.listed].join()).sort();
    expect(shape(rowsAfter)).toEqual(shape(rowsBefore));
    expect(await sut.database.db.select().from(introductions).where(eq(introductions.eventId, room.eventId))).toEqual([]);

    const first = await room.introduce(fia.id, gus.id);
    expect(first.status).toBe(201);
    const twice = await room.introduce(gus.id, fia.id, 'again');
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'conflict', details: { reason: 'already_introduced' } });
    const stored = await sut.database.db.select().from(introductions).where(eq(introductions.eventId, room.eventId));
    expect(stored).toHaveLength(1);
    const [declinedRow] = await sut.database.db.select().from(suggestions).where(and(eq(suggestions.attendeeId, gus.id), eq(suggestions.targetId, hal.id)));
    expect(declinedRow?.state).toBe('declined');
  });

  it('makes one introduction of a pair introduced twice at the same moment, from both ends', async () => {
    const room = await aRoom();
    const fia = await room.arrive('Fia Lund', { firstTime: true });
    const gus = await room.arrive('Gus Moreno', { intent: engineer });
    await sut.matching.settled();
    const both = await Promise.all([room.introduce(fia.id, gus.id, 'first'), room.introduce(gus.id, fia.id, 'second')]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(both.find((r) => r.status === 409)?.body.error).toMatchObject({ code: 'conflict', details: { reason: 'already_introduced' } });
    expect(await sut.database.db.select().from(introductions).where(eq(introductions.eventId, room.eventId))).toHaveLength(1);
    const rows = await sut.database.db.select().from(suggestions).where(eq(suggestions.eventId, room.eventId));
    expect(rows.filter((r) => r.state === 'mutual').map((r) => [r.attendeeId, r.targetId].sort().join())).toEqual([
      [fia.id, gus.id].sort().join(),
      [fia.id, gus.id].sort().join(),
    ]);
  });

  it('lets a host introduce people from their own list or at the edges from their phone, and nobody else', async () => {
    const room = await aRoom();
    const hana = await room.arrive('Hana Ito', { host: true, intent: investor });
    const fia = await room.arrive('Fia Lund', { firstTime: true, intent: designer });
    const max = await room.arrive('Max Roy', { firstTime: true, intent: engineer });
    const hal = await room.arrive('Hal Berg', { intent: investor });
    const kim = await room.arrive('Kim Ode', { away: true });
    await sut.matching.settled();

    // The host sees who is at the edges, without contact details.
    const edges = await bearer(hana.token).get('/api/me/edges');
    expect(edges.status).toBe(200);
    const people = (edges.body as HostEdges).people;
    expect(people.map((p) => p.person.name).sort()).toEqual(['Fia Lund', 'Max Roy']);
    expect(JSON.stringify(edges.body)).not.toMatch(/@|email|phone/);
    const notHost = await bearer(hal.token).get('/api/me/edges');
    expect(notHost.status).toBe(403);
    expect(notHost.body.error.code).toBe('forbidden');

    expect(await ask(hal.socket, 'introduction:create', { aId: fia.id, bId: max.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ask(hana.socket, 'introduction:create', { aId: fia.id, bId: hana.id })).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(await ask(hana.socket, 'introduction:create', { aId: fia.id, bId: 'not-an-id' } as never)).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    // Someone neither in her list nor at the edges (not even here) is not hers to introduce.
    expect(await ask(hana.socket, 'introduction:create', { aId: fia.id, bId: kim.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const organiserSocket = track(await aSocket(sut, { cookie: org.cookie }));
    expect(await ask(organiserSocket, 'introduction:create', { aId: fia.id, bId: max.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const heardByHal = recorder(hal.socket);
    const toMax = nextChange(max.socket, (p) => aboutPerson(p.suggestions, fia.id)?.introduction != null);
    const made = await ask(hana.socket, 'introduction:create', { aId: fia.id, bId: max.id, message: 'Both new here, both into hardware' });
    expect(made).toMatchObject({ ok: true, data: { by: { role: 'host', name: 'Hana Ito' }, a: { id: fia.id }, b: { id: max.id } } });
    const maxSees = aboutPerson((await toMax).suggestions, fia.id)!;
    expect(maxSees).toMatchObject({ state: 'mutual', introduction: { by: { role: 'host', name: 'Hana Ito' }, message: 'Both new here, both into hardware' } });
    expect(maxSees.reasons[0]?.text).toBe('Introduced by Hana Ito (host): Both new here, both into hardware');
    const fiaView = aboutPerson((await sync(fia.socket)).suggestions, max.id);
    expect(fiaView).toMatchObject({ state: 'mutual', introduction: { by: { role: 'host' } } });

    await sut.matching.settled();
    await sync(hal.socket);
    expect(JSON.stringify(heardByHal)).not.toContain('both into hardware');

    // A host opt-in in the intent makes a host too.
    await bearer(room.kiosk.token).put(`/api/events/${room.eventId}/attendees/${hal.id}/intent`, anIntent({ ...investor, hostOptIn: true }));
    expect((await bearer(hal.token).get('/api/me/edges')).status).toBe(200);
  });
});
