import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Acquaintance } from '@edgewise/shared';
import { aGuest, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { aKioskRoom, bearer, sync } from '../fixtures/room';
import { dbKinds, request, startServer, type ClientSocket, type TestServer } from '../fixtures/server';

describe.each(dbKinds)('who knows whom (%s)', (kind) => {
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

  it('records, lists and forgets that one attendee knows another, once however often it is said', async () => {
    const eventId = await anOpenEvent(org);
    const ana = await aGuest(org, eventId, { name: 'Ana Sousa' });
    const ben = await aGuest(org, eventId, { name: 'Ben Okafor' });
    const path = `/api/events/${eventId}/acquaintances`;

    const first = await org.post(path, { attendeeId: ana.id, knowsId: ben.id });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ attendeeId: ana.id, attendeeName: 'Ana Sousa', knowsId: ben.id, knowsName: 'Ben Okafor' });
    expect((await org.post(path, { attendeeId: ana.id, knowsId: ben.id })).body).toEqual(first.body);
    expect((await org.get(path)).body as Acquaintance[]).toEqual([first.body]);

    expect((await org.delete(`${path}/${ana.id}/${ben.id}`)).status).toBe(204);
    expect((await org.get(path)).body).toEqual([]);
    const again = await org.delete(`${path}/${ana.id}/${ben.id}`);
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ error: { code: 'not_found' } });
  });

  it('refuses oneself, strangers from another event, bad ids and anyone but organisers, and writes nothing', async () => {
    const eventId = await anOpenEvent(org);
    const other = await anOpenEvent(org);
    const ana = await aGuest(org, eventId, { name: 'Ana Sousa' });
    const stranger = await aGuest(org, other, { name: 'Sam Stranger' });
    const path = `/api/events/${eventId}/acquaintances`;

    const self = await org.post(path, { attendeeId: ana.id, knowsId: ana.id });
    expect(self.status).toBe(400);
    expect(self.body).toMatchObject({ error: { code: 'validation_failed' } });
    const cross = await org.post(path, { attendeeId: ana.id, knowsId: stranger.id });
    expect(cross.status).toBe(404);
    expect(cross.body).toMatchObject({ error: { code: 'not_found' } });
    expect((await org.post(path, { attendeeId: ana.id, knowsId: 'not-an-id' })).body).toMatchObject({ error: { code: 'validation_failed' } });
    expect((await org.post(path, { attendeeId: ana.id })).status).toBe(400);

    const kiosk = await aPairedDevice(sut, org, eventId);
    expect((await bearer(sut, kiosk.token).post(path, { attendeeId: ana.id, knowsId: stranger.id })).status).toBe(401);
    expect((await request(sut.url).get(path)).status).toBe(401);
    expect((await org.get(path)).body).toEqual([]);
  });

  it('tells matching at once: someone present who knows both is named as who can introduce them', async () => {
    const room = await aKioskRoom(sut, org, sockets);
    const ana = await room.arrive('Ana Sousa', { seeks: ['Investors'], offers: ['Design'], interests: ['Climate'] });
    const cleo = await room.arrive('Cleo Park', { seeks: ['Design'], offers: ['Investors'], interests: ['Climate'] });
    const ben = await room.arrive('Ben Okafor', { seeks: ['Hiring'], offers: ['Mentoring'], interests: ['Health'] });
    await sut.matching.settled();
    const reasonsAbout = async (id: string) => (await sync(ana.socket)).suggestions.find((s) => s.person.id === id)?.reasons.map((r) => r.kind) ?? [];
    expect(await reasonsAbout(cleo.id)).not.toContain('introducer');

    const path = `/api/events/${room.eventId}/acquaintances`;
    expect((await org.post(path, { attendeeId: ben.id, knowsId: ana.id })).status).toBe(201);
    expect((await org.post(path, { attendeeId: cleo.id, knowsId: ben.id })).status).toBe(201);
    await sut.matching.settled();
    const card = (await sync(ana.socket)).suggestions.find((s) => s.person.id === cleo.id);
    expect(card?.reasons).toContainEqual({ kind: 'introducer', text: 'Ben Okafor knows you both' });
  });
});
