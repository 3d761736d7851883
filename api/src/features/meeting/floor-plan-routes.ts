import { z } from 'zod';
import { EventIdParams, FloorPlan } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import { AppError } from '../../http/errors';
import type { Registrar } from '../../http/route';
import { floorPlanImage, removeFloorPlan, uploadFloorPlan } from './floor-plan';

const TAG = 'Meeting points';

/** The version in the plan's address: it only makes a new plan a new address, the session decides who gets it. */
const FloorPlanQuery = z.object({ v: z.string().max(64).optional() });

export function registerFloorPlanRoutes(r: Registrar, ctx: FeatureContext) {
  const db = ctx.deps.database.db;

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
    ({ params, body, auth }) => uploadFloorPlan(ctx, auth, params.eventId, body as unknown as Buffer),
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
      await removeFloorPlan(ctx, auth, params.eventId);
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
      produces: ['image/jpeg', 'image/png'],
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
