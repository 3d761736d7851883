import { and, eq, inArray, notInArray } from 'drizzle-orm';
import { kioskZones, meetingPoints, pairMeetings } from '@edgewise/db';
import { EventIdParams, MeetingPoints, MeetingPointsBody } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import { actorOf, recordAudit } from '../audit/record';
import { AppError } from '../../http/errors';
import type { Registrar } from '../../http/route';
import { kiosksOf, pointsOf } from './repo';

const TAG = 'Meeting points';

export function registerMeetingRoutes(r: Registrar, ctx: FeatureContext) {
  const db = ctx.deps.database.db;

  r.add(
    {
      method: 'get',
      path: '/events/:eventId/meeting-points',
      summary: "The event's meeting points, in order, with their zones: the spots pairs who both said yes are sent to; and the event's kiosks with the zone each stands in",
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      response: MeetingPoints,
    },
    async ({ params }) => ({ points: await pointsOf(db, params.eventId), kiosks: await kiosksOf(db, params.eventId) }),
  );

  r.add(
    {
      method: 'put',
      path: '/events/:eventId/meeting-points',
      summary:
        "Replace the event's meeting points, whole and in order: a point sent with its id keeps it (and its pairs) under the new name, one left out is removed (its pairs get another spot), one without an id is added. At most 40. Each may name its zone of the venue; `kiosks` sets the zone each kiosk stands in, so new pairs are sent to a spot in the zone where they (or their newcomer) were checked in, unless it is much busier",
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
      const affected = await db.transaction(async (tx) => {
        const existing = new Set((await pointsOf(tx, eventId)).map((p) => p.id));
        const unknown = kept.find((id) => !existing.has(id));
        if (unknown) throw new AppError('not_found', 'A meeting point sent with an id is not one of this event\'s.');
        const ours = new Set((await kiosksOf(tx, eventId)).map((k) => k.id));
        if (kiosks.some((k) => !ours.has(k.id))) throw new AppError('not_found', 'A kiosk sent is not one of this event\'s paired kiosks.');
        for (const k of kiosks) {
          if (k.zone === null) await tx.delete(kioskZones).where(eq(kioskZones.deviceId, k.id));
          else await tx.insert(kioskZones).values({ deviceId: k.id, eventId, zone: k.zone }).onConflictDoUpdate({ target: kioskZones.deviceId, set: { zone: k.zone } });
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
          if (p.id) await tx.update(meetingPoints).set({ name: p.name, zone, position }).where(and(eq(meetingPoints.id, p.id), eq(meetingPoints.eventId, eventId)));
          else await tx.insert(meetingPoints).values({ eventId, name: p.name, zone, position, createdAt: now });
        }
        await recordAudit(tx, now.getTime(), actorOf(auth), {
          action: 'meeting_points.update',
          eventId,
          details: { points: body.points.map((p) => (p.zone ? `${p.name} (${p.zone})` : p.name)), removed: removed.length, kioskZones: kiosks.length },
        });
        // Renamed spots show their new name on the cards of pairs heading there.
        const renamed = kept.length
          ? await tx.select({ a: pairMeetings.aId, b: pairMeetings.bId }).from(pairMeetings).where(inArray(pairMeetings.meetingPointId, kept))
          : [];
        return [...moved, ...renamed].flatMap((m) => [m.a, m.b]);
      });
      await ctx.realtime.attendeeListsChanged(eventId, affected);
      return { points: await pointsOf(db, eventId), kiosks: await kiosksOf(db, eventId) };
    },
  );
}
