import { DeleteMeBody, EraseEventBody, EraseEventResult, EventIdParams, MyData } from '@edgewise/shared';
import type { FeatureContext, Io } from '../../context';
import type { Registrar } from '../../http/route';
import { actorOf, recordAudit } from '../audit/record';
import { deleteMe, eraseEvent, myData } from './service';

const TAG = 'Data rights';

export function registerDataRightsRoutes(r: Registrar, ctx: FeatureContext, io: Io) {
  const { deps } = ctx;

  r.add(
    {
      method: 'get',
      path: '/me/data',
      summary: 'Everything stored about you, as a JSON file to keep (others appear by name only)',
      tag: TAG,
      auth: 'attendee',
      response: MyData,
    },
    async ({ auth, res }) => {
      res.setHeader('cache-control', 'no-store');
      res.setHeader('content-disposition', 'attachment; filename="edgewise-my-data.json"');
      return myData(deps.database.db, auth.attendee.eventId, auth.attendee.id, deps.now());
    },
  );

  r.add(
    {
      method: 'delete',
      path: '/me',
      summary: 'Delete yourself and everything stored about you; you leave everyone\'s lists at once and this page signs out',
      tag: TAG,
      auth: 'attendee',
      body: DeleteMeBody,
      status: 204,
    },
    async ({ auth, body }) => {
      await deleteMe(ctx, io, auth.attendee.eventId, auth.attendee.id, body);
      return undefined;
    },
  );

  r.add(
    {
      method: 'post',
      path: '/events/:eventId/erase',
      summary: "Erase an ended or closed event's personal data (every attendee and all that hangs off them); confirm with the event's slug",
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      body: EraseEventBody,
      response: EraseEventResult,
    },
    async ({ params, body, auth }) => {
      const erased = await eraseEvent(ctx, io, params.eventId, body);
      await recordAudit(deps.database.db, deps.now(), actorOf(auth), { action: 'event.erase', eventId: params.eventId, details: { attendeesErased: erased.attendeesErased } });
      return erased;
    },
  );
}
