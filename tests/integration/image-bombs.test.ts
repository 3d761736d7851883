import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntentBody } from '@edgewise/shared';
import { anOrganiser, type Organiser } from '../fixtures/builders';
import { aProgressiveJpeg, anInterlacedPng } from '../fixtures/images';
import { aKioskRoom, aSignedInPhone, sync } from '../fixtures/room';
import { dbKinds, request, startServer, type ClientSocket, type TestServer } from '../fixtures/server';

const engineer: Partial<IntentBody> = { seeks: ['Hiring'], offers: ['Engineering'] };

/**
 * Images whose pixel count is allowed but whose decoding is not: a progressive JPEG or an
 * interlaced PNG is held whole in memory before the first line comes out. A file of a few
 * hundred kilobytes to a couple of megabytes then costs hundreds of megabytes and seconds of
 * a thread, and an attendee may send ten at once.
 */
describe.each(dbKinds)('uploads that are cheap to send and dear to decode (%s)', (kind) => {
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

  const putPhoto = (token: string, body: Buffer, type: string) =>
    request(sut.url).put('/api/me/photo').set('authorization', `Bearer ${token}`).set('content-type', type).send(body);

  it('refuses a photo that would be held whole in memory to decode, and keeps the one it has; a large baseline or a phone-sized progressive photo still passes', async () => {
    const room = await aKioskRoom(sut, org, sockets);
    const guest = await room.arriveAtKiosk('Ana Costa', engineer);
    const { token, socket } = await aSignedInPhone(sut, sockets, guest);

    // 20 MP, under the 50 MP limit, in a JPEG of under 1 MB: 120 MB of coefficients to decode.
    const progressive = await aProgressiveJpeg(5000, 4000);
    // 16 MP of 16-bit RGBA, interlaced, in about 1 MB: 128 MB of pixels to decode.
    const interlaced = await anInterlacedPng(4000, 4000);
    expect(progressive.length).toBeLessThan(1024 * 1024);
    expect(interlaced.length).toBeLessThan(2 * 1024 * 1024);

    // What a phone sends: a gallery photo saved as progressive, and a camera's baseline JPEG of as many pixels as the bombs.
    const kept = await putPhoto(token, await aProgressiveJpeg(4000, 3000), 'image/jpeg');
    expect(kept.status).toBe(200);
    const photoUrl = (kept.body as { photoUrl: string }).photoUrl;
    const baseline = await putPhoto(token, await aProgressiveJpeg(5000, 4000, false), 'image/jpeg');
    expect(baseline.status).toBe(200);
    const current = (baseline.body as { photoUrl: string }).photoUrl;
    expect(current).not.toBe(photoUrl);

    for (const [body, type] of [
      [progressive, 'image/jpeg'],
      [interlaced, 'image/png'],
    ] as const) {
      const res = await putPhoto(token, body, type);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('image_too_many_pixels');
    }
    expect((await sync(socket)).me.photoUrl).toBe(current);
  });

  it('refuses a floor plan that would be held whole in memory to decode, and keeps the event without one', async () => {
    const room = await aKioskRoom(sut, org, sockets);
    const res = await org.agent
      .put(`/api/events/${room.eventId}/floor-plan`)
      .set('x-csrf-token', org.csrf)
      .set('content-type', 'image/png')
      .send(await anInterlacedPng(4000, 4000));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('image_too_many_pixels');
    expect((await org.agent.get(`/api/events/${room.eventId}/floor-plan`)).status).toBe(404);
  });
});
