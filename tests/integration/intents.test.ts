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
    // A second after the scan before, as people are: the kiosk acts for the guest it scanned last.
    sut.clock.advance(1000);
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
    const res = await kioskPut(guest.id, anIntent({ seeks: ['investors', 'advice'], offers: ['design'], interests: ['Climate', 'AI'], askMeAbout: 'Tidal energy', showOnScreen: true }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      attendeeId: guest.id,
      seeks: ['investors', 'advice'],
      offers: ['design'],
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
    expect(before.status).toBe(403);
    expect(before.body.error.code).toBe('kiosk_not_for_this_guest');
    await scan(guest.secret);
    await scan(guest.secret, 'exit');
    const after = await kioskPut(guest.id, anIntent());
    expect(after.status).toBe(403);
    expect((await kioskGet(guest.id)).status).toBe(403);
    expect((await org.get(path(guest.id))).status).toBe(404);
  });

  it("refuses topics outside the event's vocabulary, naming them, and topics picked twice", async () => {
    const guest = await aPresentGuest();
    const cases: [Record<string, unknown>, string][] = [
      [{ seeks: ['investors', 'Knitting'] }, 'Knitting'],
      [{ offers: ['Climate'] }, 'Climate'], // an interest, not a topic
      [{ interests: ['hiring'] }, 'hiring'],
      // One topic, named by its id and by its offering label.
      [{ offers: ['hiring', "I'm hiring"] }, "I'm hiring"],
    ];
    for (const [override, tag] of cases) {
      const res = await kioskPut(guest.id, anIntent(override));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toContain(tag);
    }
    expect((await org.get(path(guest.id))).status).toBe(404);
  });

  it("stores topics by id, named by either side's label too, and interests in the list's own spelling", async () => {
    const guest = await aPresentGuest();
    const res = await kioskPut(guest.id, anIntent({ seeks: ['a JOB'], offers: ['I invest'], interests: ['open SOURCE'] }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ seeks: ['hiring'], offers: ['investors'], interests: ['Open source'] });
  });

  it("follows the organiser's edits of the topics: a split topic keeps its people, a removed one leaves their intent", async () => {
    const own = await anOpenEvent(org);
    const topics = [
      { id: 'c-plus-plus', seekLabel: 'C++', offerLabel: 'C++' },
      { id: 'rust', seekLabel: 'Rust', offerLabel: 'Rust' },
    ];
    expect((await org.patch(`/api/events/${own}`, { settings: { topics } })).status).toBe(200);
    const guest = await aGuest(org, own);
    const put = await org.put(path(guest.id, own), anIntent({ seeks: ['c-plus-plus', 'rust'], offers: ['rust'], interests: [] }));
    expect(put.status).toBe(200);

    // Split "C++" into its two sides and remove "Rust".
    const split = [{ id: 'c-plus-plus', seekLabel: 'C++ help', offerLabel: 'I write C++' }];
    expect((await org.patch(`/api/events/${own}`, { settings: { topics: split } })).status).toBe(200);
    const after = await org.get(path(guest.id, own));
    expect(after.body).toMatchObject({ seeks: ['c-plus-plus'], offers: [], version: 2 });
  });

  it('counts versions up on every change and lets the organiser edit any guest', async () => {
    const guest = await aPresentGuest();
    expect((await kioskPut(guest.id, anIntent())).body.version).toBe(1);
    sut.clock.advance(60_000);
    const second = await kioskPut(guest.id, anIntent({ seeks: ['co-founder'] }));
    expect(second.body).toMatchObject({ version: 2, seeks: ['co-founder'], updatedAt: new Date(sut.clock()).toISOString() });

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
