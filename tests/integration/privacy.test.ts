import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntentBody, MeSnapshot, MeVisibility } from '@edgewise/shared';
import { aGuest, aNonce, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { aKioskRoom, aSignedInPhone, ask, bearer as bearerOf, nextChange, recorder, sync } from '../fixtures/room';
import { aSocket, dbKinds, request, startServer, type ClientSocket, type TestServer } from '../fixtures/server';

const designer: Partial<IntentBody> = { seeks: ['Investors'], offers: ['Design'], interests: ['Climate'] };
const investor: Partial<IntentBody> = { seeks: ['Design'], offers: ['Investors'], interests: ['Climate'] };

describe.each(dbKinds)('privacy between attendees (%s)', (kind) => {
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

  /** An open event with a kiosk; people check in there, state intent and continue on their phone. */
  async function aRoom() {
    const room = await aKioskRoom(sut, org, sockets);
    const arrive = async (name: string, intent: Partial<IntentBody>, email: string) => ({ ...(await room.arrive(name, intent, { email })), email });
    /** Registered but not checked in: on their phone from the invitation link. */
    const onlineAway = async (name: string) => {
      const guest = await room.register(name);
      return { ...guest, ...(await aSignedInPhone(sut, sockets, guest)) };
    };
    return { eventId: room.eventId, kiosk: room.kiosk, atKiosk: room.atKiosk, scanAgain: room.scanAgain, arrive, onlineAway };
  }

  const rowId = (snapshot: MeSnapshot, personId: string) => {
    const s = snapshot.suggestions.find((x) => x.person.id === personId);
    if (!s) throw new Error('live matching suggested nobody');
    return s.id;
  };

  it('passes contact details only between the two who both said yes, and tells nobody else anything', async () => {
    const room = await aRoom();
    const a = await room.arrive('Ana Ferreira', designer, 'ana.ferreira@example.org');
    const b = await room.arrive('Ben Okafor', investor, 'ben.okafor@example.org');
    const c = await room.onlineAway('Cleo Marsh');
    await sut.matching.settled();
    const heardByB = recorder(b.socket);
    const heardByC = recorder(c.socket);

    await ask(a.socket, 'contact:update', { shareEmail: true, phone: '+351 911 111 111', link: 'https://ana.example.org' });
    await ask(b.socket, 'contact:update', { shareEmail: true, phone: '', link: '' });
    const ab = rowId(await sync(a.socket), b.id);
    const ba = rowId(await sync(b.socket), a.id);
    await ask(a.socket, 'note:save', { aboutId: b.id, text: 'Private: ask Ben about the seed round' });
    await ask(b.socket, 'note:save', { aboutId: a.id, text: 'Private: Ana knows the harbour people' });

    // A's yes: B learns that A would like to meet, and nothing A has not agreed to share.
    const wanted = nextChange(b.socket, (p) => p.suggestions.some((s) => s.id === ba && s.theyAccepted));
    await ask(a.socket, 'suggestion:answer', { suggestionId: ab, answer: 'yes' });
    expect((await wanted).suggestions.find((s) => s.id === ba)).toMatchObject({ theyAccepted: true, contact: null, note: 'Private: Ana knows the harbour people' });
    await sut.matching.settled();
    await sync(b.socket);
    const beforeMutual = JSON.stringify(heardByB);
    expect(beforeMutual).not.toContain('ana.ferreira@example.org');
    expect(beforeMutual).not.toContain('911 111 111');
    expect(beforeMutual).not.toContain('ana.example.org');
    expect(beforeMutual).not.toContain('seed round');

    // B's yes: each gets what the other chose to share.
    const toA = nextChange(a.socket, (p) => p.suggestions.some((s) => s.id === ab && s.state === 'mutual'));
    const mutual = await ask(b.socket, 'suggestion:answer', { suggestionId: ba, answer: 'yes' });
    expect(mutual).toMatchObject({ ok: true, data: { state: 'mutual', contact: { email: 'ana.ferreira@example.org', phone: '+351 911 111 111', link: 'https://ana.example.org' } } });
    expect((await toA).suggestions.find((s) => s.id === ab)).toMatchObject({
      contact: { email: 'ben.okafor@example.org', phone: null, link: null },
      note: 'Private: ask Ben about the seed round',
    });
    await sut.matching.settled();
    await sync(b.socket);
    // The notes stay with their authors, even between two people who matched.
    expect(JSON.stringify(heardByB)).not.toContain('seed round');
    expect(JSON.stringify(await sync(b.socket))).not.toContain('seed round');
    expect(JSON.stringify(await sync(a.socket))).not.toContain('harbour people');

    // The third person, in the same event, heard nothing at all.
    const cView = await sync(c.socket);
    expect(heardByC).toEqual([]);
    expect(JSON.stringify(cView)).not.toMatch(/ana\.ferreira|ben\.okafor|911 111 111|seed round|harbour/);

    // The kiosk never shows contacts or notes, even for a mutual pair (Ana back at it, her ticket scanned again).
    await room.scanAgain(a);
    const atKiosk = await room.atKiosk.get(`/api/events/${room.eventId}/attendees/${a.id}/suggestions`);
    expect(atKiosk.status).toBe(200);
    expect(JSON.stringify(atKiosk.body)).not.toMatch(/ben\.okafor|seed round|@/);
  });

  it('keeps attendee commands to attendee sockets, and attendee sockets to their own room', async () => {
    const room = await aRoom();
    const a = await room.onlineAway('Dara Quinn');
    const kiosk = track(await aSocket(sut, { token: room.kiosk.token }));
    const screen = track(await aSocket(sut, { token: (await aPairedDevice(sut, org, room.eventId, 'screen')).token }));
    const organiser = track(await aSocket(sut, { cookie: org.cookie }));
    for (const other of [kiosk, screen, organiser]) {
      expect(await ask(other, 'me:sync', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await ask(other, 'note:save', { aboutId: a.id, text: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await ask(other, 'matching:opt-out', { optOut: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }

    // No command takes a room name; the organisers' room stays closed to an attendee.
    const heard = recorder(a.socket);
    expect(await ask(a.socket, 'event:subscribe', { eventId: room.eventId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const guest = await aGuest(org, room.eventId);
    const scan = await room.atKiosk.post(`/api/events/${room.eventId}/checkins`, { token: guest.secret, type: 'entry', nonce: aNonce(), scannedAt: now() });
    expect(scan.status).toBe(201);
    await sut.matching.settled();
    await sync(a.socket);
    expect(heard.map((h) => h.event)).not.toContain('checkin:created');

    await expect(aSocket(sut, { attendeeToken: 'n'.repeat(43) })).rejects.toThrow('unauthenticated');
    // An attendee token is not a device token, and the other way round.
    await expect(aSocket(sut, { token: a.token })).rejects.toThrow('unauthenticated');
    await expect(aSocket(sut, { attendeeToken: room.kiosk.token })).rejects.toThrow('unauthenticated');
  });

  it("keeps an attendee of another event out of this event's people", async () => {
    const here = await aRoom();
    const there = await aRoom();
    const a = await here.arrive('Eli Stone', designer, 'eli.stone@example.org');
    const b = await here.arrive('Fay Wong', investor, 'fay.wong@example.org');
    await sut.matching.settled();
    const ab = rowId(await sync(a.socket), b.id);
    const outsider = await there.onlineAway('Gus Hale');

    const view = await sync(outsider.socket);
    expect(view.event.id).toBe(there.eventId);
    expect(JSON.stringify(view)).not.toMatch(/Eli Stone|Fay Wong/);
    expect(await ask(outsider.socket, 'suggestion:answer', { suggestionId: ab, answer: 'yes' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await ask(outsider.socket, 'note:save', { aboutId: a.id, text: 'hello' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await sync(a.socket)).suggestions.find((s) => s.id === ab)).toMatchObject({ state: 'proposed', theyAccepted: false, myAnswer: null });

    // The attendee token opens no event endpoint.
    const asOutsider = bearer(outsider.token);
    expect((await asOutsider.get(`/api/events/${here.eventId}/attendees/${a.id}/suggestions`)).status).toBe(401);
    expect((await asOutsider.post(`/api/events/${here.eventId}/attendees/${a.id}/phone-link`)).status).toBe(401);
    expect((await asOutsider.get(`/api/events/${here.eventId}`)).status).toBe(401);

    // Nor does a kiosk of the other event.
    const otherKiosk = bearer(there.kiosk.token);
    const link = await otherKiosk.post(`/api/events/${here.eventId}/attendees/${a.id}/phone-link`);
    expect(link.status).toBe(403);
    expect(link.body.error.code).toBe('wrong_event');
    const list = await otherKiosk.get(`/api/events/${here.eventId}/attendees/${a.id}/suggestions`);
    expect(list.status).toBe(403);
    expect(list.body.error.code).toBe('wrong_event');
    // Naming this event's attendee under its own event finds nobody.
    expect((await otherKiosk.post(`/api/events/${there.eventId}/attendees/${a.id}/phone-link`)).status).toBe(404);
  });

  it('shows an attendee what others can see of them', async () => {
    const room = await aRoom();
    const a = await room.arrive('Hugo Brandt', { ...designer, showOnScreen: true, askMeAbout: 'Wave power' }, 'hugo@example.org');
    const b = await room.arrive('Iris Vale', investor, 'iris@example.org');
    await sut.matching.settled();
    await ask(a.socket, 'contact:update', { shareEmail: false, phone: '+49 30 1234567', link: '' });

    const res = await bearer(a.token).get('/api/me/visibility');
    expect(res.status).toBe(200);
    const seen = res.body as MeVisibility;
    expect(seen).toEqual({
      profile: {
        id: a.id,
        name: 'Hugo Brandt',
        company: 'Tidewater',
        role: 'Designer',
        firstTime: false,
        host: false,
        seeks: ['investors'],
        offers: ['design'],
        interests: ['Climate'],
        askMeAbout: 'Wave power',
      },
      onScreen: true,
      contactSharedWithMutual: { email: null, phone: '+49 30 1234567', link: null },
    });
    // Exactly what the other person's page shows of them.
    const bView = await sync(b.socket);
    expect(bView.suggestions.find((s) => s.person.id === a.id)?.person).toEqual(seen.profile);

    const off = await org.patch(`/api/events/${room.eventId}`, { settings: { screenEnabled: false } });
    expect(off.status).toBe(200);
    expect(((await bearer(a.token).get('/api/me/visibility')).body as MeVisibility).onScreen).toBe(false);
    expect((await bearer(b.token).get('/api/me/visibility')).body.onScreen).toBe(false);
    expect((await request(sut.url).get('/api/me/visibility')).status).toBe(401);
  });
});
