import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { events } from '@edgewise/db';
import { EventIdParams, FloorPlan } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import { actorOf, recordAudit } from '../audit/record';
import { AppError } from '../../http/errors';
import type { Registrar } from '../../http/route';
import { deleteFloorPlan, floorPlanImage, floorPlanOf, peopleAtPinnedSpots, processFloorPlan, saveFloorPlan } from './floor-plan';

const TAG = 'Meeting points';

/** The version in the plan's address: it only makes a new plan a new address, the session decides who gets it. */
const FloorPlanQuery = z.object({ v: z.string().max(64).optional() });

export function registerFloorPlanRoutes(r: Registrar, ctx: FeatureContext) {
  const db = ctx.deps.database.db;

  const requireLiveEvent = async (eventId: string) => {
    const [event] = await db.select({ erasedAt: events.erasedAt }).from(events).where(eq(events.id, eventId)).limit(1);
    if (!event) throw new AppError('not_found', 'No such event.');
    if (event.erasedAt) throw new AppError('event_erased', "This event's personal data was erased: it takes no floor plan.");
  };

  r.add(
    {
      method: 'put',
      path: '/events/:eventId/floor-plan',
      summary:
        "Upload or replace the event's floor plan (image/jpeg or image/png, at most 5 MB): turned upright, fitted in 2000 px, re-encoded without any metadata. Pins on the old plan stay where they were (check them); the plan's address changes, so phones fetch the new one",
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      bodyType: 'image',
      response: FloorPlan,
      status: 200,
    },
    async ({ params, body, auth }) => {
      await requireLiveEvent(params.eventId);
      const plan = await processFloorPlan(body as unknown as Buffer);
      const now = ctx.deps.now();
      await db.transaction(async (tx) => {
        await saveFloorPlan(tx, params.eventId, plan, new Date(now));
        await recordAudit(tx, now, actorOf(auth), {
          action: 'floor_plan.upload',
          eventId: params.eventId,
          details: { width: plan.width, height: plan.height, bytes: plan.image.length, type: plan.contentType },
        });
      });
      await ctx.realtime.attendeeListsChanged(params.eventId, await peopleAtPinnedSpots(db, params.eventId));
      return (await floorPlanOf(db, params.eventId))!;
    },
  );

  r.add(
    {
      method: 'delete',
      path: '/events/:eventId/floor-plan',
      summary: "Remove the event's floor plan, and with it every pin on it (spots and kiosks keep their names and zones); phones stop showing it at once",
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      status: 204,
    },
    async ({ params, auth }) => {
      const told = await peopleAtPinnedSpots(db, params.eventId);
      const now = ctx.deps.now();
      await db.transaction(async (tx) => {
        const { removed, pins } = await deleteFloorPlan(tx, params.eventId);
        if (removed) await recordAudit(tx, now, actorOf(auth), { action: 'floor_plan.remove', eventId: params.eventId, details: { pinsRemoved: pins } });
      });
      await ctx.realtime.attendeeListsChanged(params.eventId, told);
      return undefined;
    },
  );

  r.add(
    {
      method: 'get',
      path: '/events/:eventId/floor-plan',
      summary:
        "The event's floor plan image, for the event's organisers and door staff, its kiosks and its attendees' sessions (checked on every fetch; anyone else is refused). Cached privately only, revalidated by its ETag; its address carries its version (`?v=`)",
      tag: TAG,
      auth: 'event_member',
      role: 'door',
      deviceKinds: ['kiosk'],
      params: EventIdParams,
      query: FloorPlanQuery,
      produces: 'image/png',
    },
    async ({ params, req, res }) => {
      const plan = await floorPlanImage(db, params.eventId);
      if (!plan) throw new AppError('not_found', 'This event has no floor plan.');
      const etag = `"${plan.id}"`;
      // Private: a shared cache must never hand one event's plan to someone else; no-cache: every use asks again, so a
      // session that ended gets nothing more, while an unchanged plan costs a 304.
      res.setHeader('cache-control', 'private, no-cache');
      res.setHeader('etag', etag);
      res.setHeader('vary', 'authorization, cookie');
      if (req.get('if-none-match') === etag) {
        res.status(304).end();
        return undefined;
      }
      res.setHeader('content-type', plan.contentType);
      res.setHeader('content-disposition', 'inline');
      res.status(200).end(plan.image);
      return undefined;
    },
  );
}
