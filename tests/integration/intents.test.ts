import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendees } from '@edgewise/db';
import type { CheckinOutcome, Intent } from '@edgewise/shared';
import { aGuest, anIntent, aNonce, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { dbKinds, request, startServer, type TestServer } from '../fixtures/server';

describe.each(dbKinds)('intents (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;
  let eventId: string;
  let kiosk: { token: string; deviceId: string };

  beforeAll(async () => {
    sut = await startServer(kind, { limits: { pairPerWindow: 1000 } });
    org = await anOrganiser(sut);
    eventId = await anOpenEvent(org);
    kiosk = await aPairedDevice(sut, org, eventId);
  });
  afterAll(async () => {
    await sut?.close();
  });

  const path = (attendeeId: string, event = eventId) => `/api/events/${event}/attendees/${attendeeId}/intent`;
  const kioskPut = (attendeeId: string, body: unknown, token = kiosk.token) =>
    request(sut.url).put(path(attendeeId)).set('authorization', `Bearer ${token}`).send(body as object);
  const kioskGet = (attendeeId: string, token = kiosk.token) => request(sut.url).get(path(attendeeId)).set('authorization', `Bearer ${token}`);
  const scan = async (secret: string, type: 'entry' | 'exit' = 'entry') => {
    const res = await request(sut.url)
      .post(`/api/events/${eventId}/checkins`)
      .set('authorization', `Bearer ${kiosk.token}`)
      .send({ token: secret, type, nonce: aNonce(), scannedAt: new Date(sut.clock()).toISOString() });
    expect(res.status).toBe(201);
    return res.body as CheckinOutcome;
  };
  const aPresentGuest = async () => {
    const guest = await aGuest(org, eventId);
    await scan(guest.secret);
    return guest;
  };

  it('lets a kiosk set the intent of a guest who just checked in, and read it back', async () => {
    const guest = await aPresentGuest();
    const res = await kioskPut(guest.id, anIntent({ seeks: ['Investors', 'Advice'], offers: ['Design'], interests: ['Climate', 'AI'], askMeAbout: 'Tidal energy', showOnScreen: true }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      attendeeId: guest.id,
      seeks: ['Investors', 'Advice'],
      offers: ['Design'],
      interests: ['Climate', 'AI'],
      askMeAbout: 'Tidal energy',
      hostOptIn: false,
      showOnScreen: true,
      version: 1,
      updatedAt: new Date(sut.clock()).toISOString(),
    });
    const read = await kioskGet(guest.id);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
    // The next scan of this guest knows there is an intent (the kiosk can skip the question).
    sut.clock.advance(1000);
    await scan(guest.secret, 'exit');
    sut.clock.advance(1000);
    expect((await scan(guest.secret)).attendee?.hasIntent).toBe(true);
  });

  it('refuses a kiosk acting for someone not checked in now', async () => {
    const guest = await aGuest(org, eventId);
    const before = await kioskPut(guest.id, anIntent());
    expect(before.status).toBe(409);
    expect(before.body.error.code).toBe('not_checked_in');
    await scan(guest.secret);
    sut.clock.advance(1000);
    await scan(guest.secret, 'exit');
    const after = await kioskPut(guest.id, anIntent());
    expect(after.status).toBe(409);
    expect((await kioskGet(guest.id)).status).toBe(409);
    expect((await org.get(path(guest.id))).status).toBe(404);
  });

  it("refuses tags outside the event's lists, naming the tag, and tags picked twice", async () => {
    const guest = await aPresentGuest();
    const cases: [Record<string, unknown>, string][] = [
      [{ seeks: ['Investors', 'Knitting'] }, 'Knitting'],
      [{ offers: ['Climate'] }, 'Climate'], // an interest, not an intent tag
      [{ interests: ['Hiring'] }, 'Hiring'],
      [{ seeks: ['Advice', 'advice'] }, 'advice'],
    ];
    for (const [override, tag] of cases) {
      const res = await kioskPut(guest.id, anIntent(override));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toContain(tag);
    }
    expect((await org.get(path(guest.id))).status).toBe(404);
  });

  it("stores a tag in the list's own spelling", async () => {
    const guest = await aPresentGuest();
    const res = await kioskPut(guest.id, anIntent({ seeks: ['investors'], interests: ['open SOURCE'] }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ seeks: ['Investors'], interests: ['Open source'] });
  });

  it('counts versions up on every change and lets the organiser edit any guest', async () => {
    const guest = await aPresentGuest();
    expect((await kioskPut(guest.id, anIntent())).body.version).toBe(1);
    sut.clock.advance(60_000);
    const second = await kioskPut(guest.id, anIntent({ seeks: ['Co-founder'] }));
    expect(second.body).toMatchObject({ version: 2, seeks: ['Co-founder'], updatedAt: new Date(sut.clock()).toISOString() });

    sut.clock.advance(1000);
    await scan(guest.secret, 'exit');
    // The guest has left: the kiosk may not, the organiser may.
    const third = await org.put(path(guest.id), anIntent({ hostOptIn: true, firstTime: true }));
    expect(third.status).toBe(200);
    expect(third.body as Intent).toMatchObject({ version: 3, hostOptIn: true });
    const [row] = await sut.database.db.select().from(attendees).where(eq(attendees.id, guest.id));
    expect(row?.firstTime).toBe(true);
    expect((await org.get(path(guest.id))).body).toEqual(third.body);
  });

  it('needs the CSRF token from an organiser', async () => {
    const guest = await aGuest(org, eventId);
    const res = await org.agent.put(path(guest.id)).send(anIntent());
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf_failed');
  });

  it('keeps devices to kiosks of the event and attendees to their event', async () => {
    const guest = await aPresentGuest();
    const screen = await aPairedDevice(sut, org, eventId, 'screen');
    expect((await kioskPut(guest.id, anIntent(), screen.token)).status).toBe(403);

    const other = await anOpenEvent(org);
    const otherKiosk = await aPairedDevice(sut, org, other);
    const wrong = await request(sut.url).put(path(guest.id, other)).set('authorization', `Bearer ${otherKiosk.token}`).send(anIntent());
    expect(wrong.status).toBe(404);
    const crossed = await kioskPut(guest.id, anIntent(), otherKiosk.token);
    expect(crossed.status).toBe(403);
    expect(crossed.body.error.code).toBe('wrong_event');

    expect((await org.put(path(randomUUID()), anIntent())).status).toBe(404);
    expect((await request(sut.url).put(path(guest.id)).send(anIntent())).status).toBe(401);
  });

  it('validates the body', async () => {
    const guest = await aPresentGuest();
    const res = await kioskPut(guest.id, { seeks: 'Investors', offers: [], interests: [], hostOptIn: false });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });
});
