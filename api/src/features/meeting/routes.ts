import { and, eq, inArray, notInArray } from 'drizzle-orm';
import { kioskPins, kioskZones, meetingPoints, pairMeetings } from '@edgewise/db';
import { EventIdParams, MeetingPoints, MeetingPointsBody } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import { actorOf, recordAudit } from '../audit/record';
import { AppError } from '../../http/errors';
import type { Registrar } from '../../http/route';
import { floorPlanOf } from './floor-plan';
import { registerFloorPlanRoutes } from './floor-plan-routes';
import { kiosksOf, pointsOf } from './repo';

const TAG = 'Meeting points';

export function registerMeetingRoutes(r: Registrar, ctx: FeatureContext) {
  const db = ctx.deps.database.db;
  const whole = async (eventId: string) => ({ points: await pointsOf(db, eventId), kiosks: await kiosksOf(db, eventId), floorPlan: await floorPlanOf(db, eventId) });
  registerFloorPlanRoutes(r, ctx);

  r.add(
    {
      method: 'get',
      path: '/events/:eventId/meeting-points',
      summary:
        "The event's meeting points, in order, with their zones and pins: the spots pairs who both said yes are sent to; the event's kiosks with the zone each stands in and their pins; and the floor plan the pins are on, if any",
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      response: MeetingPoints,
    },
    async ({ params }) => whole(params.eventId),
  );

  r.add(
    {
      method: 'put',
      path: '/events/:eventId/meeting-points',
      summary:
        "Replace the event's meeting points, whole and in order: a point sent with its id keeps it (and its pairs) under the new name, one left out is removed (its pairs get another spot), one without an id is added. At most 40. Each may name its zone of the venue; `kiosks` sets the zone each kiosk stands in, so new pairs are sent to a spot in the zone where they (or their newcomer) were checked in, unless it is much busier. With a floor plan uploaded, points and kiosks may carry a `pin` (x and y from 0 to 1 across the plan; null takes it off, left out keeps it; without a plan: no_floor_plan): then the spots nearest the kiosk are preferred",
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      body: MeetingPointsBody,
      response: MeetingPoints,
    },
    async ({ params, body, auth }) => {
      const eventId = params.eventId;
      const now = new Date(ctx.deps.now());
      const kept = body.points.flatMap((p) => (p.id ? [p.id] : []));
      if (new Set(kept).size !== kept.length) throw new AppError('validation_failed', 'A meeting point is listed twice.');
      const kiosks = body.kiosks ?? [];
      if (new Set(kiosks.map((k) => k.id)).size !== kiosks.length) throw new AppError('validation_failed', 'A kiosk is listed twice.');
      const pinned = body.points.some((p) => p.pin) || kiosks.some((k) => k.pin);
      const affected = await db.transaction(async (tx) => {
        if (pinned && !(await floorPlanOf(tx, eventId))) throw new AppError('no_floor_plan', 'This event has no floor plan (any more): upload one before placing pins on it.');
        const existing = new Set((await pointsOf(tx, eventId)).map((p) => p.id));
        const unknown = kept.find((id) => !existing.has(id));
        if (unknown) throw new AppError('not_found', 'A meeting point sent with an id is not one of this event\'s.');
        const ours = new Set((await kiosksOf(tx, eventId)).map((k) => k.id));
        if (kiosks.some((k) => !ours.has(k.id))) throw new AppError('not_found', 'A kiosk sent is not one of this event\'s paired kiosks.');
        for (const k of kiosks) {
          if (k.zone === null) await tx.delete(kioskZones).where(eq(kioskZones.deviceId, k.id));
          else await tx.insert(kioskZones).values({ deviceId: k.id, eventId, zone: k.zone }).onConflictDoUpdate({ target: kioskZones.deviceId, set: { zone: k.zone } });
          if (k.pin === null) await tx.delete(kioskPins).where(eq(kioskPins.deviceId, k.id));
          else if (k.pin) await tx.insert(kioskPins).values({ deviceId: k.id, eventId, ...k.pin }).onConflictDoUpdate({ target: kioskPins.deviceId, set: k.pin });
        }
        const removed = [...existing].filter((id) => !kept.includes(id));
        // Whoever was sent to a removed spot is told at once (and gets another one).
        const moved = removed.length
          ? await tx.select({ a: pairMeetings.aId, b: pairMeetings.bId }).from(pairMeetings).where(inArray(pairMeetings.meetingPointId, removed))
          : [];
        if (removed.length) {
          // A spot someone picked themselves and that is now gone falls back to a proposal.
          await tx.update(pairMeetings).set({ pickedBy: null, updatedAt: now }).where(inArray(pairMeetings.meetingPointId, removed));
          await tx.delete(meetingPoints).where(and(eq(meetingPoints.eventId, eventId), kept.length ? notInArray(meetingPoints.id, kept) : undefined));
        }
        for (const [position, p] of body.points.entries()) {
          const zone = p.zone ?? null;
          const pin = p.pin === undefined ? {} : { pinX: p.pin?.x ?? null, pinY: p.pin?.y ?? null };
          if (p.id) await tx.update(meetingPoints).set({ name: p.name, zone, position, ...pin }).where(and(eq(meetingPoints.id, p.id), eq(meetingPoints.eventId, eventId)));
          else await tx.insert(meetingPoints).values({ eventId, name: p.name, zone, position, ...pin, createdAt: now });
        }
        await recordAudit(tx, now.getTime(), actorOf(auth), {
          action: 'meeting_points.update',
          eventId,
          details: {
            points: body.points.map((p) => (p.zone ? `${p.name} (${p.zone})` : p.name)),
            removed: removed.length,
            kioskZones: kiosks.length,
            pins: body.points.filter((p) => p.pin).length + kiosks.filter((k) => k.pin).length,
          },
        });
        // Renamed spots show their new name on the cards of pairs heading there.
        const renamed = kept.length
          ? await tx.select({ a: pairMeetings.aId, b: pairMeetings.bId }).from(pairMeetings).where(inArray(pairMeetings.meetingPointId, kept))
          : [];
        return [...moved, ...renamed].flatMap((m) => [m.a, m.b]);
      });
      await ctx.realtime.attendeeListsChanged(eventId, affected);
      return whole(eventId);
    },
  );
}
