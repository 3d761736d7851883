import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, floorPlans, kioskPins, meetingPoints, suggestions } from '@edgewise/db';
import type { CheckinOutcome, FloorPlan, IntentBody, MeetingPoints } from '@edgewise/shared';
import { anIntent, aNonce, anOrganiser, aPairedDevice, type Organiser } from '../fixtures/builders';
import { aPngBomb } from '../fixtures/images';
import { aKioskRoom, aSignedInPhone, ask, bearer as bearerOf, nextChange, sync } from '../fixtures/room';
import { dbKinds, request, startServer, type ClientSocket, type TestServer } from '../fixtures/server';

const engineer: Partial<IntentBody> = { seeks: ['Hiring'], offers: ['Engineering'] };

/** A plan as a phone photographs it: 3000 x 2000, with EXIF (a description, the camera, a GPS position). */
function aPhotographedPlan(): Promise<Buffer> {
  return sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: 240, g: 240, b: 230 } } })
    .withExif({ IFD0: { ImageDescription: 'SECRET-PLAN-MARKER', Make: 'PhoneCo' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2964/100' } })
    .jpeg()
    .toBuffer();
}

/** A drawn plan exported as PNG, with a text chunk naming its author. */
function aDrawnPlan(width = 1200, height = 800): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 0 } } })
    .png()
    .withMetadata({ exif: { IFD0: { Artist: 'SECRET-ARTIST' } } })
    .toBuffer();
}

describe.each(dbKinds)('floor plan and pins (%s)', (kind) => {
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

  const planPath = (eventId: string) => `/api/events/${eventId}/floor-plan`;
  const upload = (eventId: string, body: Buffer, type = 'image/jpeg') =>
    org.agent.put(planPath(eventId)).set('x-csrf-token', org.csrf).set('content-type', type).send(body);
  /** The plan's bytes as `token` (a kiosk's or an attendee's) or, without one, as the organiser's cookie. */
  const fetchPlan = (url: string, token?: string | null) => {
    const req = (token === undefined ? org.agent.get(url) : request(sut.url).get(url))
      .buffer(true)
      .parse((res, cb) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => cb(null, Buffer.concat(parts)));
      });
    return token ? req.set('authorization', `Bearer ${token}`) : req;
  };

  async function aRoom(event: { slug?: string } = {}) {
    const room = await aKioskRoom(sut, org, sockets, event);
    /** Checked in and intent stated at the kiosk of `at` (the room's own by default), with a phone signed in by mail link. */
    const arrive = async (name: string, opts: { firstTime?: boolean; at?: string } = {}) => {
      const guest = await room.register(name, { firstTime: opts.firstTime ?? false });
      const at = bearerOf(sut, opts.at ?? room.kiosk.token);
      sut.clock.advance(1000);
      const scan = { token: guest.secret, type: 'entry', nonce: aNonce(), scannedAt: new Date(sut.clock()).toISOString() };
      expect(((await at.post(`/api/events/${room.eventId}/checkins`, scan)).body as CheckinOutcome).status).toBe('ok');
      expect((await at.put(`/api/events/${room.eventId}/attendees/${guest.id}/intent`, anIntent(engineer))).status).toBe(200);
      return { ...guest, ...(await aSignedInPhone(sut, sockets, guest)) };
    };
    /** The two said yes to each other. */
    const mutual = async (x: { id: string }, y: { id: string }) => {
      const at = new Date(sut.clock());
      for (const [from, to] of [
        [x.id, y.id],
        [y.id, x.id],
      ] as const) {
        await sut.database.db
          .insert(suggestions)
          .values({ eventId: room.eventId, attendeeId: from, targetId: to, score: 5, reasons: [], state: 'mutual', answer: 'yes', listed: true, createdAt: at, updatedAt: at })
          .onConflictDoUpdate({ target: [suggestions.attendeeId, suggestions.targetId], set: { state: 'mutual', answer: 'yes', listed: true, updatedAt: at } });
      }
    };
    return { ...room, arrive, mutual };
  }

  it("takes a plan from the event's organiser, re-encoded without metadata, and serves it only to the event's people", async () => {
    const room = await aRoom();
    const other = await aRoom();
    const ana = await room.arrive('Ana Costa');
    const eve = await other.arrive('Eve Elsewhere');
    const screen = await aPairedDevice(sut, org, room.eventId, 'screen');

    expect((await org.get(`/api/events/${room.eventId}/meeting-points`)).body).toMatchObject({ floorPlan: null });
    const put = await upload(room.eventId, await aPhotographedPlan());
    expect(put.status).toBe(200);
    const plan = put.body as FloorPlan;
    expect(plan).toMatchObject({ width: 2000, height: 1333 });
    expect(plan.url).toMatch(new RegExp(`^/api/events/${room.eventId}/floor-plan\\?v=[0-9a-f-]{36}$`));
    expect((await org.get(`/api/events/${room.eventId}/meeting-points`)).body).toMatchObject({ floorPlan: plan });

    // The organiser (cookie), the event's kiosk and an attendee of the event get it, privately cached and revalidated.
    let etag = '';
    for (const token of [undefined, room.kiosk.token, ana.token]) {
      const res = await fetchPlan(plan.url, token);
      etag = res.headers.etag as string;
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/jpeg');
      expect(res.headers['cache-control']).toBe('private, no-cache');
      expect(res.headers.etag).toBeTruthy();
      const again = await fetchPlan(plan.url, token).set('if-none-match', res.headers.etag as string);
      expect(again.status).toBe(304);
    }
    const served = (await fetchPlan(plan.url, ana.token)).body as Buffer;
    const meta = await sharp(served).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 2000, height: 1333 });
    expect(meta.exif).toBeUndefined();
    expect(served.includes('SECRET-PLAN-MARKER')).toBe(false);
    expect(served.includes('PhoneCo')).toBe(false);

    // Nobody else: no session, another event's attendee and kiosk, the event's screen, a stale token.
    expect((await fetchPlan(plan.url, null)).status).toBe(401);
    for (const [token, status] of [
      [eve.token, 403],
      [other.kiosk.token, 403],
      [screen.token, 403],
      ['x'.repeat(43), 401],
    ] as const) {
      const res = await fetchPlan(plan.url, token);
      expect(res.status).toBe(status);
      expect((res.body as Buffer).length).toBeLessThan(500);
    }
    // Eve's session does not open it by her own event's address either: there is no plan there.
    expect((await fetchPlan(planPath(other.eventId), eve.token)).status).toBe(404);

    // A drawn PNG replaces it: PNG stays PNG, without its metadata, under a new address.
    const png = await upload(room.eventId, await aDrawnPlan(), 'image/png');
    expect(png.status).toBe(200);
    expect(png.body.url).not.toBe(plan.url);
    const drawn = (await fetchPlan(png.body.url as string, ana.token)).body as Buffer;
    expect(await sharp(drawn).metadata()).toMatchObject({ format: 'png', width: 1200, height: 800 });
    expect(drawn.includes('SECRET-ARTIST')).toBe(false);
    // A phone holding the old one revalidates and gets the new one, whatever address it asks at.
    const refreshed = await fetchPlan(plan.url, ana.token).set('if-none-match', etag);
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.etag).not.toBe(etag);

    const audit = await sut.database.db.select().from(auditLog).where(eq(auditLog.eventId, room.eventId));
    expect(audit.filter((a) => a.action === 'floor_plan.upload')).toHaveLength(2);
  });

  it('refuses what is not a plan, too large or too many pixels, with a reason code, and keeps the plan it has', async () => {
    const room = await aRoom();
    expect((await upload(room.eventId, await aDrawnPlan(), 'image/png')).status).toBe(200);
    const refusals: [Buffer, string, number, string][] = [
      [Buffer.from('GIF89a not a plan'), 'image/png', 422, 'image_unreadable'],
      [Buffer.alloc(0), 'image/jpeg', 422, 'image_unreadable'],
      [Buffer.from('GIF89a'), 'image/gif', 415, 'unsupported_media_type'],
      [Buffer.concat([await aPhotographedPlan(), Buffer.alloc(5 * 1024 * 1024)]), 'image/jpeg', 413, 'image_too_large'],
      [aPngBomb(), 'image/png', 422, 'image_too_many_pixels'],
    ];
    for (const [body, type, status, code] of refusals) {
      const res = await upload(room.eventId, body, type);
      expect(res.status, code).toBe(status);
      expect(res.body.error.code).toBe(code);
    }
    const [row] = await sut.database.db.select().from(floorPlans).where(eq(floorPlans.eventId, room.eventId));
    expect(row).toMatchObject({ contentType: 'image/png', width: 1200, height: 800 });
    // An attendee, a kiosk and a cookie without the CSRF header cannot upload or remove it.
    const ana = await room.arrive('Ana Costa');
    for (const token of [ana.token, room.kiosk.token]) {
      expect((await request(sut.url).put(planPath(room.eventId)).set('authorization', `Bearer ${token}`).set('content-type', 'image/png').send(await aDrawnPlan())).status).toBe(401);
    }
    expect((await request(sut.url).delete(planPath(room.eventId)).set('cookie', org.cookie)).status).toBe(403);
    expect(await sut.database.db.select({ id: floorPlans.id }).from(floorPlans).where(eq(floorPlans.eventId, room.eventId))).toHaveLength(1);
  });

  it('saves pins with the spots and kiosks, shows a pair its spot on the plan, and drops the pins with the plan', async () => {
    const room = await aRoom();
    const ptsPath = `/api/events/${room.eventId}/meeting-points`;
    const points = [
      { name: 'L1: by the bar', pin: { x: 0.1, y: 0.5 } },
      { name: 'R1: by the stage', pin: { x: 0.9, y: 0.5 } },
      { name: 'Anywhere else' },
    ];
    // Pins without a plan mean nothing: refused, and nothing is saved.
    const early = await org.put(ptsPath, { points });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('no_floor_plan');
    expect((await org.get(ptsPath)).body).toMatchObject({ points: [] });

    expect((await upload(room.eventId, await aDrawnPlan(), 'image/png')).status).toBe(200);
    const right = await aPairedDevice(sut, org, room.eventId);
    const kiosks = [
      { id: room.kiosk.deviceId, zone: null, pin: { x: 0, y: 0.5 } },
      { id: right.deviceId, zone: null, pin: { x: 1, y: 0.45 } },
    ];
    // Out of the plan: refused with the field named.
    for (const pin of [{ x: 1.2, y: 0.5 }, { x: 0.5, y: -0.1 }, { x: 0.5 }, { x: '0.5', y: 0.5 }]) {
      const bad = await org.put(ptsPath, { points: [{ name: 'Off the map', pin }] });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('validation_failed');
      expect(JSON.stringify(bad.body.error.details)).toContain('points.0.pin');
    }
    const badKiosk = await org.put(ptsPath, { points: [], kiosks: [{ id: right.deviceId, zone: null, pin: { x: 2, y: 0 } }] });
    expect(badKiosk.status).toBe(400);

    const put = await org.put(ptsPath, { points, kiosks });
    expect(put.status).toBe(200);
    const saved = put.body as MeetingPoints;
    expect(saved.points.map((p) => p.pin)).toEqual([{ x: 0.1, y: 0.5 }, { x: 0.9, y: 0.5 }, null]);
    const kioskPinsOf = (r: MeetingPoints) => Object.fromEntries(r.kiosks.map((k) => [k.id, k.pin]));
    expect(kioskPinsOf(saved)).toEqual({ [room.kiosk.deviceId]: { x: 0, y: 0.5 }, [right.deviceId]: { x: 1, y: 0.45 } });
    expect((await org.get(ptsPath)).body).toEqual(saved);
    // Left out, a pin stays; null takes it off.
    const renamed = await org.put(ptsPath, { points: saved.points.map(({ id, name }) => ({ id, name })) });
    expect((renamed.body as MeetingPoints).points.map((p) => p.pin)).toEqual([{ x: 0.1, y: 0.5 }, { x: 0.9, y: 0.5 }, null]);
    expect(kioskPinsOf(renamed.body as MeetingPoints)).toEqual(kioskPinsOf(saved));
    const [l1, r1, anywhere] = saved.points;

    // Nia, new here, came in at the kiosk on the right; Hal at the one on the left. They meet on
    // the right, at the spot nearest Nia's kiosk, though the left one comes first in the list.
    const nia = await room.arrive('Nia New', { firstTime: true, at: right.token });
    const hal = await room.arrive('Hal Regular');
    await room.mutual(nia, hal);
    const niaCard = (await sync(nia.socket)).suggestions.find((s) => s.person.id === hal.id)!;
    const plan = (await org.get(ptsPath)).body.floorPlan as FloorPlan;
    expect(niaCard.meetingPoint).toMatchObject({ spot: r1, floorPlanUrl: plan.url });
    expect((await sync(hal.socket)).suggestions.find((s) => s.person.id === nia.id)?.meetingPoint).toMatchObject({ spot: r1, floorPlanUrl: plan.url });
    expect((await fetchPlan(plan.url, nia.token)).status).toBe(200);
    // Two regulars from the left kiosk meet on the left.
    const ana = await room.arrive('Ana Alpha');
    const ben = await room.arrive('Ben Beta');
    await room.mutual(ana, ben);
    expect((await sync(ana.socket)).suggestions.find((s) => s.person.id === ben.id)?.meetingPoint?.spot).toEqual(l1);

    // Picking the spot without a pin: the card names it and shows no plan.
    const pick = await ask(hal.socket, 'meeting:pick', {
      suggestionId: (await sync(hal.socket)).suggestions.find((s) => s.person.id === nia.id)!.id,
      meetingPointId: anywhere!.id,
    });
    expect(pick.ok && pick.data.meetingPoint).toMatchObject({ spot: anywhere, floorPlanUrl: null });

    // The plan goes: its pins go with it (they meant places on it), Ana's card loses the plan live, and the spots stay.
    const anaLosesPlan = nextChange(ana.socket, (p) => p.suggestions.find((s) => s.person.id === ben.id)?.meetingPoint?.floorPlanUrl === null);
    expect((await org.delete(planPath(room.eventId))).status).toBe(204);
    await anaLosesPlan;
    expect(await sut.database.db.select().from(floorPlans).where(eq(floorPlans.eventId, room.eventId))).toHaveLength(0);
    expect(await sut.database.db.select().from(kioskPins).where(eq(kioskPins.eventId, room.eventId))).toHaveLength(0);
    const after = (await org.get(ptsPath)).body as MeetingPoints;
    expect(after.floorPlan).toBeNull();
    expect(after.points.map((p) => [p.name, p.pin])).toEqual(points.map((p) => [p.name, null]));
    expect((await fetchPlan(plan.url, nia.token)).status).toBe(404);
    expect((await org.delete(planPath(room.eventId))).status).toBe(204);
    const audit = await sut.database.db.select().from(auditLog).where(eq(auditLog.eventId, room.eventId));
    expect(audit.filter((a) => a.action === 'floor_plan.remove').map((a) => a.details)).toEqual([{ pinsRemoved: 2 }]);
    expect((await org.put(ptsPath, { points: [{ id: l1!.id, name: l1!.name, pin: { x: 0.5, y: 0.5 } }] })).body.error.code).toBe('no_floor_plan');
  });

  it("removes the plan and its pins with the event's erasure", async () => {
    const slug = `plan-erase-${kind}`;
    const room = await aRoom({ slug });
    expect((await upload(room.eventId, await aDrawnPlan(), 'image/png')).status).toBe(200);
    expect((await org.put(`/api/events/${room.eventId}/meeting-points`, { points: [{ name: 'By the door', pin: { x: 0.2, y: 0.2 } }] })).status).toBe(200);
    sut.clock.set(Date.parse('2026-11-25T22:00:01Z'));
    expect((await org.patch(`/api/events/${room.eventId}`, { status: 'closed' })).status).toBe(200);
    expect((await org.post(`/api/events/${room.eventId}/erase`, { confirmSlug: slug })).status).toBe(200);
    expect(await sut.database.db.select().from(floorPlans).where(eq(floorPlans.eventId, room.eventId))).toHaveLength(0);
    expect((await sut.database.db.select().from(meetingPoints).where(eq(meetingPoints.eventId, room.eventId))).map((p) => p.pinX)).toEqual([null]);
    // An erased event takes no new plan.
    const late = await upload(room.eventId, await aDrawnPlan(), 'image/png');
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('event_erased');
  });
});
