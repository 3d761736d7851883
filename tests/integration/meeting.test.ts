import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendeePhotos, pairMeetings, suggestions, whereIAm } from '@edgewise/db';
import type { CheckinOutcome, IntentBody, MeSnapshot, MeetingPoints, SuggestionView } from '@edgewise/shared';
import { anIntent, aNonce, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { aPngBomb } from '../fixtures/images';
import { aKioskRoom, aSignedInPhone, ask, bearer as bearerOf, nextChange, sync } from '../fixtures/room';
import { dbKinds, request, startServer, type ClientSocket, type TestServer } from '../fixtures/server';
import { waitFor } from '../fixtures/wait';

const engineer: Partial<IntentBody> = { seeks: ['Hiring'], offers: ['Engineering'], interests: ['Hardware'] };

const cardAbout = (snap: { suggestions: SuggestionView[] }, id: string) => snap.suggestions.find((s) => s.person.id === id);

/** A phone photo as cameras write them: EXIF with a description and GPS position, 2000 x 1500. */
async function aPhoneJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 2000, height: 1500, channels: 3, background: { r: 200, g: 80, b: 60 } } })
    .withExif({ IFD0: { ImageDescription: 'SECRET-EXIF-MARKER', Make: 'PhoneCo' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2964/100' } })
    .jpeg()
    .toBuffer();
}

describe.each(dbKinds)('faces, meeting points and "where I am" (%s)', (kind) => {
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

  const bearer = (token: string) => bearerOf(sut, token);
  const putPhoto = (token: string, body: Buffer, type = 'image/jpeg') =>
    request(sut.url).put('/api/me/photo').set('authorization', `Bearer ${token}`).set('content-type', type).send(body);
  const getPhoto = (url: string, token?: string) => {
    const req = request(sut.url).get(url).buffer(true).parse((res, cb) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => cb(null, Buffer.concat(parts)));
    });
    return token ? req.set('authorization', `Bearer ${token}`) : req;
  };

  async function aRoom(slug?: string) {
    const room = await aKioskRoom(sut, org, sockets, slug ? { slug } : {});
    const { eventId } = room;
    /** Registered and, unless away, checked in and intent stated at the room's kiosk (or at the kiosk of `at`). */
    const arrive = async (name: string, opts: { firstTime?: boolean; host?: boolean; away?: boolean; at?: string } = {}) => {
      const guest = await room.register(name, { firstTime: opts.firstTime ?? false, host: opts.host ?? false });
      if (!opts.away && opts.at) {
        sut.clock.advance(1000);
        const scan = { token: guest.secret, type: 'entry', nonce: aNonce(), scannedAt: new Date(sut.clock()).toISOString() };
        expect(((await bearer(opts.at).post(`/api/events/${eventId}/checkins`, scan)).body as CheckinOutcome).status).toBe('ok');
        expect((await bearer(opts.at).put(`/api/events/${eventId}/attendees/${guest.id}/intent`, anIntent(engineer))).status).toBe(200);
      } else if (!opts.away) {
        await room.checkIn(guest);
        await room.stateIntent(guest, engineer);
      }
      return { ...guest, ...(await aSignedInPhone(sut, sockets, guest)) };
    };
    /** `x` said yes to `y`; `y` has not answered yet. */
    const xSaidYes = async (x: string, y: string) => {
      const at = new Date(sut.clock());
      for (const [from, to, answer] of [
        [x, y, 'yes'],
        [y, x, null],
      ] as const) {
        await sut.database.db
          .insert(suggestions)
          .values({ eventId, attendeeId: from, targetId: to, score: 5, reasons: [], state: 'accepted_by_one', answer, listed: true, createdAt: at, updatedAt: at })
          .onConflictDoUpdate({ target: [suggestions.attendeeId, suggestions.targetId], set: { state: 'accepted_by_one', answer, listed: true, updatedAt: at } });
      }
    };
    const suggestionOf = async (socket: ClientSocket, otherId: string) => {
      const card = await waitFor('the card', async () => cardAbout(await sync(socket), otherId));
      return card;
    };
    const sayYes = async (socket: ClientSocket, otherId: string) => {
      const card = await suggestionOf(socket, otherId);
      const ack = await ask(socket, 'suggestion:answer', { suggestionId: card.id, answer: 'yes' });
      expect(ack.ok).toBe(true);
      return card.id;
    };
    return { ...room, arrive, xSaidYes, sayYes, suggestionOf };
  }

  it('shows a photo exactly to the people with a mutual yes or an introduction, resized and without EXIF', async () => {
    const room = await aRoom();
    const ana = await room.arrive('Ana Costa');
    const ben = await room.arrive('Ben Okafor');
    const cleo = await room.arrive('Cleo Park');
    const dan = await room.arrive('Dan Weiss');
    const other = await aRoom();
    const eve = await other.arrive('Eve Stranger');
    const kiosk = room.kiosk;
    const screen = await aPairedDevice(sut, org, room.eventId, 'screen');
    await sut.matching.settled();

    // Ben and Ana both say yes; an organiser introduces Cleo to Ana; Dan only has Ana suggested.
    await room.xSaidYes(ana.id, ben.id);
    await room.sayYes(ben.socket, ana.id);
    expect((await org.post(`/api/events/${room.eventId}/introductions`, { aId: ana.id, bId: cleo.id })).status).toBe(201);
    await sut.database.db
      .insert(suggestions)
      .values({ eventId: room.eventId, attendeeId: dan.id, targetId: ana.id, score: 5, reasons: [], state: 'proposed', listed: true })
      .onConflictDoUpdate({ target: [suggestions.attendeeId, suggestions.targetId], set: { state: 'proposed', answer: null, listed: true } });

    const benSeesNewPhoto = nextChange(ben.socket, (p) => cardAbout(p, ana.id)?.photoUrl != null);
    const upload = await putPhoto(ana.token, await aPhoneJpeg());
    expect(upload.status).toBe(200);
    expect(upload.headers['cache-control']).toBe('no-store');
    const { photoUrl } = upload.body as { photoUrl: string; width: number; height: number };
    expect(upload.body).toMatchObject({ width: 512, height: 384 });
    expect(cardAbout(await benSeesNewPhoto, ana.id)?.photoUrl).toBe(photoUrl);

    // Ana herself, Ben (mutual yes) and Cleo (introduced) get it, never cacheable publicly.
    for (const who of [ana, ben, cleo]) {
      const res = await getPhoto(photoUrl, who.token);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/jpeg');
      expect(res.headers['cache-control']).toBe('private, no-store');
    }
    const served = (await getPhoto(photoUrl, ben.token)).body as Buffer;
    const meta = await sharp(served).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 512, height: 384 });
    expect(meta.exif).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(served.includes('SECRET-EXIF-MARKER')).toBe(false);
    expect(served.includes('PhoneCo')).toBe(false);

    // Dan's card about Ana carries no photo, and fetching the address gets him nothing.
    const danCard = await room.suggestionOf(dan.socket, ana.id);
    expect(danCard.photoUrl).toBeNull();
    expect(danCard.meetingPoint).toBeNull();
    expect((await getPhoto(photoUrl, dan.token)).status).toBe(404);
    expect((await getPhoto(photoUrl, eve.token)).status).toBe(404);
    expect((await getPhoto(photoUrl)).status).toBe(401);
    expect((await getPhoto(photoUrl, kiosk.token)).status).toBe(401);
    expect((await getPhoto(photoUrl, screen.token)).status).toBe(401);
    expect((await org.agent.get(photoUrl)).status).toBe(401);
    // Organisers' guest list and exports never carry it.
    const guests = await org.get(`/api/events/${room.eventId}/attendees`);
    expect(JSON.stringify(guests.body)).not.toContain(photoUrl.split('/').pop()!);
    const csv = await org.get(`/api/events/${room.eventId}/exports/attendees.csv`);
    expect(csv.text).not.toContain('photo');

    // Ana's own page shows her photo; Ben's card shows hers.
    expect((await sync(ana.socket)).me.photoUrl).toBe(photoUrl);
    expect(cardAbout(await sync(ben.socket), ana.id)?.photoUrl).toBe(photoUrl);

    // Removed at once: the address stops working and Ben's card loses it live.
    const benLosesPhoto = nextChange(ben.socket, (p) => cardAbout(p, ana.id)?.photoUrl === null);
    expect((await bearer(ana.token).delete('/api/me/photo')).status).toBe(204);
    await benLosesPhoto;
    expect((await getPhoto(photoUrl, ben.token)).status).toBe(404);
    expect(await sut.database.db.select().from(attendeePhotos).where(eq(attendeePhotos.attendeeId, ana.id))).toHaveLength(0);
    expect((await sync(ana.socket)).me.photoUrl).toBeNull();
  });

  it('refuses what is not a photo, too large, a decompression bomb, too many uploads, and anyone not checked in', async () => {
    const room = await aRoom();
    const ana = await room.arrive('Ana Costa');
    const late = await room.arrive('Lou Late', { away: true });
    const jpeg = await aPhoneJpeg();

    const notAnImage = await putPhoto(ana.token, Buffer.from('GIF89a not really a photo at all'));
    expect(notAnImage.status).toBe(422);
    expect(notAnImage.body.error.code).toBe('image_unreadable');
    const gif = await putPhoto(ana.token, Buffer.from('GIF89a'), 'image/gif');
    expect(gif.status).toBe(415);
    expect(gif.body.error.code).toBe('unsupported_media_type');
    const json = await bearer(ana.token).put('/api/me/photo', { photo: 'x' });
    expect(json.status).toBe(415);
    const huge = await putPhoto(ana.token, Buffer.concat([jpeg, Buffer.alloc(5 * 1024 * 1024)]));
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('image_too_large');
    const bomb = await putPhoto(ana.token, aPngBomb(), 'image/png');
    expect(bomb.status).toBe(422);
    expect(bomb.body.error.code).toBe('image_too_many_pixels');

    const notHere = await putPhoto(late.token, jpeg);
    expect(notHere.status).toBe(409);
    expect(notHere.body.error.code).toBe('not_checked_in');

    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await putPhoto(ana.token, jpeg)).status);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(10);
    expect(statuses.at(-1)).toBe(429);
  });

  it('lets a kiosk add a photo only for the guest it has just checked in, once, and nobody else', async () => {
    const room = await aRoom();
    const jpeg = await aPhoneJpeg();
    const otherKiosk = (await aPairedDevice(sut, org, room.eventId)).token;
    const atKiosk = (guestId: string, body = jpeg, token = room.kiosk.token) =>
      request(sut.url).put(`/api/events/${room.eventId}/attendees/${guestId}/photo`).set('authorization', `Bearer ${token}`).set('content-type', 'image/jpeg').send(body);
    const refused = (res: { status: number; body: { error?: { code?: string } } }) => {
      expect(res.status).toBe(403);
      expect(res.body.error?.code).toBe('kiosk_photo_not_allowed');
    };
    const ben = await room.arrive('Ben Okafor');
    const ana = await room.arrive('Ana Costa');
    await room.xSaidYes(ben.id, ana.id);
    await room.sayYes(ana.socket, ben.id);

    // Ana was checked in at this kiosk a moment ago: her photo is taken there, and Ben, who both said yes with her, sees it live.
    const benSeesPhoto = nextChange(ben.socket, (p) => cardAbout(p, ana.id)?.photoUrl != null);
    const taken = await atKiosk(ana.id);
    expect(taken.status).toBe(204);
    expect(taken.headers['cache-control']).toBe('no-store');
    const photoUrl = cardAbout(await benSeesPhoto, ana.id)!.photoUrl!;
    expect((await sync(ana.socket)).me.photoUrl).toBe(photoUrl);
    const served = (await getPhoto(photoUrl, ben.token)).body as Buffer;
    const meta = await sharp(served).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 512, height: 384 });
    expect(meta.exif).toBeUndefined();
    // The kiosk cannot fetch what it stored.
    expect((await getPhoto(photoUrl, room.kiosk.token)).status).toBe(401);

    // Once per check-in: the kiosk cannot replace it, even a second later.
    refused(await atKiosk(ana.id));
    // Ben was checked in here a second before Ana: the kiosk has moved on to Ana, so it no longer acts for him.
    refused(await atKiosk(ben.id));
    // Another kiosk of the same event did not check Ana in.
    refused(await atKiosk(ana.id, jpeg, otherKiosk));
    expect((await sync(ana.socket)).me.photoUrl).toBe(photoUrl);

    // Someone on the list who has not arrived, and someone this kiosk checked in longer ago than 5 minutes.
    const notHere = await room.register('Nora Absent');
    refused(await atKiosk(notHere.id));
    const early = await room.register('Eli Early');
    await room.checkIn(early);
    sut.clock.advance(5 * 60_000 + 1000);
    refused(await atKiosk(early.id));
    // Scanning the ticket again only says "already checked in": that is no new check-in to act on.
    const again = await room.atKiosk.post(`/api/events/${room.eventId}/checkins`, { token: early.secret, type: 'entry', nonce: aNonce(), scannedAt: new Date(sut.clock()).toISOString() });
    expect((again.body as CheckinOutcome).status).toBe('already_checked_in');
    refused(await atKiosk(early.id));

    // A guest who left since the kiosk checked them in, and a guest of another event.
    const gone = await room.register('Gus Gone');
    await room.checkIn(gone);
    await room.scan(gone, 'exit');
    refused(await atKiosk(gone.id));
    const other = await aRoom();
    const eve = await other.register('Eve Elsewhere');
    await other.checkIn(eve);
    const wrongEvent = await atKiosk(eve.id);
    expect(wrongEvent.status).toBe(404);
    const acrossEvents = await request(sut.url)
      .put(`/api/events/${other.eventId}/attendees/${eve.id}/photo`)
      .set('authorization', `Bearer ${room.kiosk.token}`)
      .set('content-type', 'image/jpeg')
      .send(jpeg);
    expect(acrossEvents.body.error.code).toBe('wrong_event');

    // A fresh check-in at this kiosk: what is not a photo is refused as on the phone, and nothing is stored.
    const cleo = await room.register('Cleo Park');
    await room.checkIn(cleo);
    const junk = await atKiosk(cleo.id, Buffer.from('not a photo'));
    expect(junk.status).toBe(422);
    expect(junk.body.error.code).toBe('image_unreadable');
    for (const id of [notHere.id, early.id, gone.id, cleo.id, eve.id]) {
      expect(await sut.database.db.select().from(attendeePhotos).where(eq(attendeePhotos.attendeeId, id))).toHaveLength(0);
    }
    expect((await atKiosk(cleo.id)).status).toBe(204);
  });

  it('sends each pair to a spot near where they checked in, near the newcomer, whom the other goes to find', async () => {
    const room = await aRoom();
    const { token: hallB, deviceId: hallBId } = await aPairedDevice(sut, org, room.eventId);
    const points = [
      { name: 'A1: by the bar', zone: 'Hall A' },
      { name: 'B1: by the stage', zone: 'Hall B' },
      { name: 'B2: the sofas', zone: ' Hall B ' },
    ];
    const kiosks = [
      { id: room.kiosk.deviceId, zone: 'Hall A' },
      { id: hallBId, zone: 'Hall B' },
    ];
    const put = await org.put(`/api/events/${room.eventId}/meeting-points`, { points, kiosks });
    expect(put.status).toBe(200);
    const saved = put.body as MeetingPoints;
    expect(saved.points.map((p) => p.zone)).toEqual(['Hall A', 'Hall B', 'Hall B']);
    expect(saved.kiosks).toEqual(expect.arrayContaining([{ id: hallBId, name: expect.any(String), zone: 'Hall B', pin: null }]));
    expect((await org.get(`/api/events/${room.eventId}/meeting-points`)).body).toEqual(saved);
    const unknownKiosk = await org.put(`/api/events/${room.eventId}/meeting-points`, { points: saved.points, kiosks: [{ id: '00000000-0000-4000-8000-000000000000', zone: 'Hall C' }] });
    expect(unknownKiosk.status).toBe(404);

    const [a1, b1, b2] = saved.points;
    const nia = await room.arrive('Nia New', { firstTime: true, at: hallB });
    const hal = await room.arrive('Hal Host', { host: true, firstTime: true });
    const ana = await room.arrive('Ana Alpha');
    const ben = await room.arrive('Ben Beta');
    const cy = await room.arrive('Cy Gamma');
    const dee = await room.arrive('Dee Delta');
    const neo = await room.arrive('Neo Newer', { firstTime: true });
    const nell = await room.arrive('Nell Newest', { firstTime: true, at: hallB });
    await sut.matching.settled();
    const meetingOf = async (x: typeof nia, y: typeof nia) => {
      await room.xSaidYes(x.id, y.id);
      await room.sayYes(y.socket, x.id);
      return { mine: cardAbout(await sync(x.socket), y.id)!.meetingPoint!, theirs: cardAbout(await sync(y.socket), x.id)!.meetingPoint! };
    };

    // Nia is new here and came in through Hall B; Hal, a host, checked in in Hall A: they meet
    // in Hall B, and Hal is the one asked to go and find her.
    const niaHal = await meetingOf(nia, hal);
    expect(niaHal.mine.spot).toEqual(b1);
    expect(niaHal.mine.nudge).toBe('they_come_to_you');
    expect(niaHal.theirs.nudge).toBe('go_to_them');
    // Two regulars from Hall A meet in Hall A, and the next two too: near wins over a little crowding.
    expect((await meetingOf(ana, ben)).mine.spot).toEqual(a1);
    const cyDee = await meetingOf(cy, dee);
    expect(cyDee.mine.spot).toEqual(a1);
    expect(cyDee.mine.nudge).toBeNull();
    // Two newcomers, one from each hall: neither walks to the other, and the quietest spot of either hall is theirs.
    const newNew = await meetingOf(neo, nell);
    expect(newNew.mine.spot).toEqual(b2);
    expect([newNew.mine.nudge, newNew.theirs.nudge]).toEqual([null, null]);
    // The attendee's page lists the spots with their zones.
    expect((await sync(nia.socket)).meetingPoints).toEqual(saved.points);
  });

  it('takes a "where I am" line down when its writer leaves, and does not bring it back when they return', async () => {
    const room = await aRoom();
    const ana = await room.arrive('Ana Costa');
    const ben = await room.arrive('Ben Okafor');
    await sut.matching.settled();
    await room.xSaidYes(ana.id, ben.id);
    await room.sayYes(ben.socket, ana.id);
    expect((await ask(ana.socket, 'where-i-am:update', { text: 'by the window' })).ok).toBe(true);
    expect(cardAbout(await sync(ben.socket), ana.id)?.whereIAm?.text).toBe('by the window');

    // Ana leaves: the line said where she was, not where she is.
    sut.clock.advance(60_000);
    await room.scan(ana, 'exit');
    await sut.matching.settled();
    const whileOut = await sync(ben.socket);
    expect(cardAbout(whileOut, ana.id)?.whereIAm ?? null).toBeNull();
    expect((await sync(ana.socket)).me.whereIAm).toBeNull();

    // Back an hour later, her card is on Ben's page again, without the line from before.
    sut.clock.advance(3_600_000);
    await room.checkIn(ana);
    await sut.matching.settled();
    const back = await waitFor('her card again', async () => cardAbout(await sync(ben.socket), ana.id));
    expect(back.whereIAm).toBeNull();
    // What she writes now shows.
    expect((await ask(ana.socket, 'where-i-am:update', { text: 'at the bar' })).ok).toBe(true);
    expect(cardAbout(await sync(ben.socket), ana.id)?.whereIAm?.text).toBe('at the bar');
  });

  it("deletes the photo with the attendee and with the event's erasure", async () => {
    const slug = `faces-erase-${kind}`;
    const room = await aRoom(slug);
    const ana = await room.arrive('Ana Costa');
    const ben = await room.arrive('Ben Okafor');
    const jpeg = await aPhoneJpeg();
    expect((await putPhoto(ana.token, jpeg)).status).toBe(200);
    expect((await putPhoto(ben.token, jpeg)).status).toBe(200);
    await room.xSaidYes(ana.id, ben.id);
    await room.sayYes(ben.socket, ana.id);
    expect((await ask(ben.socket, 'where-i-am:update', { text: 'by the window, red scarf' })).ok).toBe(true);
    const db = sut.database.db;
    // What is stored is in the attendee's own copy of their data.
    const mine = await bearer(ben.token).get('/api/me/data');
    expect(mine.body).toMatchObject({ photo: { width: 512, height: 384 }, whereIAm: { text: 'by the window, red scarf' } });

    expect((await bearer(ben.token).delete('/api/me', { confirm: 'delete my data' })).status).toBe(204);
    expect(await db.select().from(attendeePhotos).where(eq(attendeePhotos.attendeeId, ben.id))).toHaveLength(0);
    expect(await db.select().from(whereIAm).where(eq(whereIAm.attendeeId, ben.id))).toHaveLength(0);
    expect(await db.select().from(pairMeetings).where(eq(pairMeetings.eventId, room.eventId))).toHaveLength(0);

    sut.clock.set(Date.parse('2026-11-25T22:00:01Z'));
    expect((await org.patch(`/api/events/${room.eventId}`, { status: 'closed' })).status).toBe(200);
    expect((await org.post(`/api/events/${room.eventId}/erase`, { confirmSlug: slug })).status).toBe(200);
    expect(await db.select().from(attendeePhotos).where(eq(attendeePhotos.eventId, room.eventId))).toHaveLength(0);
  });

  it('spreads 20 pairs who become mutual at once over the meeting points, and each sees the other pick a spot and say "on my way" live', async () => {
    const room = await aRoom();
    const names = ['Spot A: by the window', 'Table 4', "The bar's left end", 'Spot D: under the stairs'];
    expect((await bearer(room.kiosk.token).put(`/api/events/${room.eventId}/meeting-points`, { points: names.map((name) => ({ name })) })).status).toBe(401);
    const put = await org.put(`/api/events/${room.eventId}/meeting-points`, { points: names.map((name) => ({ name })) });
    expect(put.status).toBe(200);
    const points = (put.body as MeetingPoints).points;
    expect(points.map((p) => p.name)).toEqual(names);
    expect((await org.get(`/api/events/${room.eventId}/meeting-points`)).body).toEqual(put.body);

    const people: Awaited<ReturnType<typeof room.arrive>>[] = [];
    for (let i = 0; i < 40; i++) people.push(await room.arrive(`Person ${String(i).padStart(2, '0')}`, { firstTime: i === 0 }));
    await sut.matching.settled();
    const pairs = Array.from({ length: 20 }, (_, i) => [people[2 * i]!, people[2 * i + 1]!] as const);
    for (const [x, y] of pairs) await room.xSaidYes(x.id, y.id);
    const cards = await Promise.all(pairs.map(([x, y]) => room.suggestionOf(y.socket, x.id)));
    // All twenty say yes at the same moment.
    const acks = await Promise.all(pairs.map(([, y], i) => ask(y.socket, 'suggestion:answer', { suggestionId: cards[i]!.id, answer: 'yes' })));
    expect(acks.every((a) => a.ok)).toBe(true);

    const seen = await Promise.all(
      pairs.map(async ([x, y]) => {
        const mine = cardAbout(await sync(x.socket), y.id)!;
        const theirs = cardAbout(await sync(y.socket), x.id)!;
        return { mine, theirs };
      }),
    );
    const perSpot = new Map<string, number>();
    for (const { mine, theirs } of seen) {
      expect(mine.meetingPoint?.spot).not.toBeNull();
      expect(theirs.meetingPoint?.spot).toEqual(mine.meetingPoint?.spot);
      expect(mine.meetingPoint?.pickedBy).toBe('proposal');
      const inMinutes = (Date.parse(mine.meetingPoint!.at) - Date.now()) / 60_000;
      expect(inMinutes).toBeGreaterThan(3);
      expect(inMinutes).toBeLessThanOrEqual(5);
      perSpot.set(mine.meetingPoint!.spot!.name, (perSpot.get(mine.meetingPoint!.spot!.name) ?? 0) + 1);
    }
    expect([...perSpot.values()].sort()).toEqual([5, 5, 5, 5]);

    // The edges first: Person 00 is new here, so Person 01 is asked to go to them.
    const [newcomer, other] = pairs[0]!;
    expect(seen[0]!.mine.meetingPoint?.nudge).toBe('they_come_to_you');
    expect(seen[0]!.theirs.meetingPoint?.nudge).toBe('go_to_them');
    expect(seen[1]!.mine.meetingPoint?.nudge).toBeNull();

    // The newcomer picks another spot; the other sees it live, then says they are on their way.
    const elsewhere = points.find((p) => p.id !== seen[0]!.mine.meetingPoint!.spot!.id)!;
    const otherSeesPick = nextChange(other.socket, (p) => cardAbout(p, newcomer.id)?.meetingPoint?.spot?.id === elsewhere.id);
    const pick = await ask(newcomer.socket, 'meeting:pick', { suggestionId: seen[0]!.mine.id, meetingPointId: elsewhere.id });
    expect(pick.ok && pick.data.meetingPoint).toMatchObject({ spot: elsewhere, pickedBy: 'me' });
    expect(cardAbout(await otherSeesPick, newcomer.id)?.meetingPoint?.pickedBy).toBe('them');

    const newcomerSeesOnWay = nextChange(newcomer.socket, (p) => cardAbout(p, other.id)?.meetingPoint?.theirOnMyWayAt != null);
    const onWay = await ask(other.socket, 'meeting:on-my-way', { suggestionId: seen[0]!.theirs.id });
    expect(onWay.ok && onWay.data.meetingPoint?.myOnMyWayAt).toBeTruthy();
    expect(cardAbout(await newcomerSeesOnWay, other.id)?.meetingPoint?.theirOnMyWayAt).toBeTruthy();

    // "Where I am" reaches the mutual match live, with when it was written; a spot of another event is refused.
    const otherSeesLine = nextChange(other.socket, (p) => cardAbout(p, newcomer.id)?.whereIAm?.text === 'by the window, red scarf');
    const line = await ask(newcomer.socket, 'where-i-am:update', { text: '  by the window, red scarf ' });
    expect(line.ok && line.data).toMatchObject({ text: 'by the window, red scarf' });
    expect(cardAbout(await otherSeesLine, newcomer.id)?.whereIAm?.at).toBeTruthy();
    const stranger = cardAbout(await sync(people[3]!.socket), newcomer.id);
    expect(stranger?.whereIAm ?? null).toBeNull();
    expect(stranger?.photoUrl ?? null).toBeNull();
    const foreign = await ask(newcomer.socket, 'meeting:pick', { suggestionId: seen[0]!.mine.id, meetingPointId: '00000000-0000-4000-8000-000000000000' });
    expect(foreign.ok ? null : foreign.error.code).toBe('not_found');

    // Removing a spot sends its pairs to another one, at once.
    const kept = points.filter((p) => p.id !== elsewhere.id);
    const moved = nextChange(other.socket, (p) => {
      const spot = cardAbout(p, newcomer.id)?.meetingPoint?.spot;
      return spot != null && spot.id !== elsewhere.id;
    });
    expect((await org.put(`/api/events/${room.eventId}/meeting-points`, { points: kept })).status).toBe(200);
    const after = cardAbout(await moved, newcomer.id)!;
    expect(kept.map((p) => p.id)).toContain(after.meetingPoint?.spot?.id);
    expect(after.meetingPoint?.pickedBy).toBe('proposal');
    const snap: MeSnapshot = await sync(newcomer.socket);
    expect(snap.meetingPoints).toEqual(kept);
    // Forty arrivals and twenty answers: 30 to 50 s on a loaded two-core machine.
  }, 120_000);
});
