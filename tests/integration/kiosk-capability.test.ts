import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendees, contactCards } from '@edgewise/db';
import type { CheckinOutcome, ContactCardBody } from '@edgewise/shared';
import { aGuest, anIntent, aNonce, anOpenEvent, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { bearer } from '../fixtures/room';
import { dbKinds, startServer, type TestServer } from '../fixtures/server';

/**
 * A kiosk acts only for the guest standing at it: the one its own latest scan let in (or found
 * already in) a few minutes ago, still present. A kiosk token reaches no one else's answers,
 * contact card, language or suggestions, and cannot hand out anyone else's phone link.
 */
describe.each(dbKinds)('what a kiosk may do for whom (%s)', (kind) => {
  let sut: TestServer;
  let org: Organiser;

  beforeAll(async () => {
    sut = await startServer(kind, { limits: { pairPerWindow: 1000 } });
    org = await anOrganiser(sut);
  });
  afterAll(async () => {
    await sut?.close();
  });

  const card: ContactCardBody = { shareEmail: true, phone: '+351 912 345 678', link: 'https://ana.example.org' };

  async function aDoor() {
    const eventId = await anOpenEvent(org, { languages: ['en', 'fr'] });
    const kiosk = bearer(sut, (await aPairedDevice(sut, org, eventId)).token);
    const other = bearer(sut, (await aPairedDevice(sut, org, eventId)).token);
    type Kiosk = typeof kiosk;
    const scan = async (at: Kiosk, guest: { secret: string }, type: 'entry' | 'exit' = 'entry') => {
      sut.clock.advance(1000);
      const res = await at.post(`/api/events/${eventId}/checkins`, { token: guest.secret, type, nonce: aNonce(), scannedAt: new Date(sut.clock()).toISOString() });
      expect(res.status).toBeLessThan(300);
      return res.body as CheckinOutcome;
    };
    const intentPath = (id: string) => `/api/events/${eventId}/attendees/${id}/intent`;
    const put = (at: Kiosk, id: string, body: object = anIntent({ seeks: ['investors'], share: card, firstTime: true, language: 'fr' })) => at.put(intentPath(id), body);
    const get = (at: Kiosk, id: string) => at.get(intentPath(id));
    const suggestions = (at: Kiosk, id: string) => at.get(`/api/events/${eventId}/attendees/${id}/suggestions`);
    const phoneLink = (at: Kiosk, id: string) => at.post(`/api/events/${eventId}/attendees/${id}/phone-link`);
    const guest = (name: string) => aGuest(org, eventId, { name });
    return { eventId, kiosk, other, scan, put, get, suggestions, phoneLink, guest, intentPath };
  }

  const cardOf = async (id: string) => (await sut.database.db.select().from(contactCards).where(eq(contactCards.attendeeId, id)))[0] ?? null;
  const rowOf = async (id: string) => (await sut.database.db.select().from(attendees).where(eq(attendees.id, id)))[0];

  /** Refused with the kiosk's own reason, and nothing of the guest's changed. */
  async function expectRefused(res: { status: number; body: { error?: { code?: string; message?: string } } }) {
    expect(res.status).toBe(403);
    expect(res.body.error?.code).toBe('kiosk_not_for_this_guest');
  }

  it("reads and writes the answers and contact card of the guest it just let in, and shows that guest's suggestions", async () => {
    const door = await aDoor();
    const ana = await door.guest('Ana Ferreira');
    await door.scan(door.kiosk, ana);
    const put = await door.put(door.kiosk, ana.id);
    expect(put.status).toBe(200);
    expect((await door.get(door.kiosk, ana.id)).body).toEqual(put.body);
    expect(await cardOf(ana.id)).toMatchObject(card);
    expect(await rowOf(ana.id)).toMatchObject({ firstTime: true, language: 'fr' });
    expect((await door.suggestions(door.kiosk, ana.id)).status).toBe(200);
  });

  it('refuses a present guest another kiosk let in: no reading, no writing of answers, contact card, first time or language', async () => {
    const door = await aDoor();
    const ana = await door.guest('Ana Ferreira');
    await door.scan(door.other, ana);
    // Ana's own answers, set where she stands.
    expect((await door.put(door.other, ana.id, anIntent({ seeks: ['design'], share: { shareEmail: false, phone: '', link: '' } }))).status).toBe(200);
    const before = await rowOf(ana.id);

    await expectRefused(await door.get(door.kiosk, ana.id));
    await expectRefused(await door.put(door.kiosk, ana.id));
    await expectRefused(await door.suggestions(door.kiosk, ana.id));
    expect(await cardOf(ana.id)).toMatchObject({ shareEmail: false, phone: '', link: '' });
    expect(await rowOf(ana.id)).toEqual(before);
    expect((await door.get(door.other, ana.id)).body).toMatchObject({ seeks: ['design'], version: 1 });
  });

  it('refuses the guest before the one at it, and says so in a true sentence, in the asker’s language too', async () => {
    const door = await aDoor();
    const ana = await door.guest('Ana Ferreira');
    const ben = await door.guest('Ben Okafor');
    await door.scan(door.kiosk, ana);
    expect((await door.put(door.kiosk, ana.id)).status).toBe(200);
    await door.scan(door.kiosk, ben);

    const read = await door.get(door.kiosk, ana.id);
    await expectRefused(read);
    expect(read.body.error.message).toBe(
      'This kiosk can only show and change the answers of the guest it just checked in. Scan your ticket here again, or change yours on your phone.',
    );
    await expectRefused(await door.put(door.kiosk, ana.id, anIntent({ share: { shareEmail: false, phone: '', link: '' } })));
    await expectRefused(await door.suggestions(door.kiosk, ana.id));
    const french = await door.kiosk.get(door.intentPath(ana.id)).set('accept-language', 'fr');
    expect(french.body.error).toMatchObject({ code: 'kiosk_not_for_this_guest', message: expect.stringContaining('Cette borne') });
    // Ana's card stays as she chose it; Ben, now at the kiosk, is served.
    expect(await cardOf(ana.id)).toMatchObject(card);
    expect((await door.put(door.kiosk, ben.id)).status).toBe(200);
  });

  it('refuses once the scan is more than five minutes old', async () => {
    const door = await aDoor();
    const ana = await door.guest('Ana Ferreira');
    await door.scan(door.kiosk, ana);
    sut.clock.advance(4 * 60_000);
    expect((await door.put(door.kiosk, ana.id)).status).toBe(200);
    sut.clock.advance(61_000);
    await expectRefused(await door.get(door.kiosk, ana.id));
    await expectRefused(await door.put(door.kiosk, ana.id));
    await expectRefused(await door.suggestions(door.kiosk, ana.id));
  });

  it('refuses a guest who has left since', async () => {
    const door = await aDoor();
    const ana = await door.guest('Ana Ferreira');
    await door.scan(door.kiosk, ana);
    // Checked out at the desk: the kiosk's latest scan is still hers, but she is gone.
    sut.clock.advance(1000);
    expect((await org.post(`/api/events/${door.eventId}/attendees/${ana.id}/presence`, { type: 'exit' })).status).toBe(201);
    await expectRefused(await door.get(door.kiosk, ana.id));
    await expectRefused(await door.put(door.kiosk, ana.id));
    await expectRefused(await door.suggestions(door.kiosk, ana.id));
    expect(await cardOf(ana.id)).toBeNull();
  });

  it('serves a returning guest who scans again at this kiosk and hears "already checked in", and a re-entry', async () => {
    const door = await aDoor();
    const ana = await door.guest('Ana Ferreira');
    const ben = await door.guest('Ben Okafor');
    await door.scan(door.other, ana);
    expect((await door.put(door.other, ana.id, anIntent({ seeks: ['design'] }))).status).toBe(200);
    await door.scan(door.kiosk, ben);
    await expectRefused(await door.get(door.kiosk, ana.id));

    // Back at the door later, Ana scans her ticket at this kiosk to change her answers.
    sut.clock.advance(20 * 60_000);
    expect((await door.scan(door.kiosk, ana)).status).toBe('already_checked_in');
    expect((await door.get(door.kiosk, ana.id)).body).toMatchObject({ seeks: ['design'], version: 1 });
    expect((await door.put(door.kiosk, ana.id)).body).toMatchObject({ seeks: ['investors'], version: 2 });
    expect(await cardOf(ana.id)).toMatchObject(card);
    expect((await door.suggestions(door.kiosk, ana.id)).status).toBe(200);
    // "Already in" is not a check-in of this kiosk: it hands out no phone link.
    expect((await door.phoneLink(door.kiosk, ana.id)).body.error.code).toBe('phone_link_not_allowed');
    // Ben, let in before her, is no longer at the kiosk.
    await expectRefused(await door.get(door.kiosk, ben.id));

    // Out and back in again: a re-entry at this kiosk.
    await door.scan(door.other, ana, 'exit');
    expect((await door.scan(door.kiosk, ana)).reason).toBe('re_entry');
    expect((await door.put(door.kiosk, ana.id, anIntent({ seeks: ['co-founder'] }))).body).toMatchObject({ version: 3 });
  });

  it('hands a phone link only to the guest at it: not to the one before, even within the five minutes', async () => {
    const door = await aDoor();
    const ana = await door.guest('Ana Ferreira');
    const ben = await door.guest('Ben Okafor');
    await door.scan(door.kiosk, ana);
    await door.scan(door.kiosk, ben);
    expect((await door.phoneLink(door.kiosk, ana.id)).body.error.code).toBe('phone_link_not_allowed');
    expect((await door.phoneLink(door.kiosk, ben.id)).status).toBe(201);
  });

  it("lets the organiser still read and change any guest's answers, present or not", async () => {
    const door = await aDoor();
    const ana = await door.guest('Ana Ferreira');
    expect((await org.put(door.intentPath(ana.id), anIntent({ seeks: ['design'] }))).status).toBe(200);
    expect((await org.get(door.intentPath(ana.id))).body).toMatchObject({ seeks: ['design'] });
  });
});
