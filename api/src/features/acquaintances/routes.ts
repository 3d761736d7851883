import { z } from 'zod';
import { Acquaintance, AcquaintanceBody, AcquaintanceParams, EventIdParams } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import type { Registrar } from '../../http/route';
import { addAcquaintance, listAcquaintances, removeAcquaintance } from './service';

const TAG = 'Acquaintances';

export function registerAcquaintanceRoutes(r: Registrar, ctx: FeatureContext) {
  r.add(
    {
      method: 'get',
      path: '/events/:eventId/acquaintances',
      summary: 'Who knows whom at this event (people who know each other can introduce others)',
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      response: z.array(Acquaintance),
    },
    async ({ params }) => listAcquaintances(ctx.deps.database.db, params.eventId),
  );

  r.add(
    {
      method: 'post',
      path: '/events/:eventId/acquaintances',
      summary: 'Record that one attendee knows another; saying it again changes nothing',
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      body: AcquaintanceBody,
      response: Acquaintance,
      status: 201,
    },
    async ({ params, body }) => addAcquaintance(ctx, params.eventId, body),
  );

  r.add(
    {
      method: 'delete',
      path: '/events/:eventId/acquaintances/:attendeeId/:knowsId',
      summary: 'Forget that one attendee knows another',
      tag: TAG,
      auth: 'organiser',
      params: AcquaintanceParams,
      status: 204,
    },
    async ({ params }) => {
      await removeAcquaintance(ctx, params.eventId, params.attendeeId, params.knowsId);
      return undefined;
    },
  );
}
