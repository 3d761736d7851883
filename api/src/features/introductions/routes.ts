import { z } from 'zod';
import { CreateIntroductionBody, EdgesList, EventIdParams, HostEdges, Introduction } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import type { Registrar } from '../../http/route';
import { requestLanguage } from '../../i18n';
import { actorOf, recordAudit } from '../audit/record';
import { createIntroduction, hostEdges, listEdges, listIntroductions } from './service';

const TAG = 'Introductions';

export function registerIntroductionRoutes(r: Registrar, ctx: FeatureContext) {
  r.add(
    {
      method: 'get',
      path: '/events/:eventId/edges',
      summary: 'Who is at the edges now (first-timers, and people alone past the edge minutes), since when, their intent and best candidates',
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      response: EdgesList,
    },
    async ({ params, req, res }) => {
      res.setHeader('cache-control', 'no-store');
      return listEdges(ctx, params.eventId, await requestLanguage(ctx.deps, req, res));
    },
  );

  r.add(
    {
      method: 'get',
      path: '/events/:eventId/introductions',
      summary: "The event's introductions, newest first",
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      response: z.array(Introduction),
    },
    async ({ params }) => listIntroductions(ctx, params.eventId),
  );

  r.add(
    {
      method: 'post',
      path: '/events/:eventId/introductions',
      summary: 'Introduce two present attendees: the pair becomes mutual and both phones show who introduced them, with the message',
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      body: CreateIntroductionBody,
      response: Introduction,
      status: 201,
    },
    async ({ params, body, auth }) => {
      const outcome = await createIntroduction(ctx, params.eventId, { role: 'organiser', organiserId: auth.organiser.id, name: auth.organiser.name }, body);
      await ctx.realtime.attendeeListsChanged(params.eventId, outcome.notify);
      const { id, a, b } = outcome.data;
      await recordAudit(ctx.deps.database.db, ctx.deps.now(), actorOf(auth), { action: 'introduction.create', eventId: params.eventId, target: { kind: 'introduction', id, name: `${a.name} & ${b.name}` } });
      return outcome.data;
    },
  );

  r.add(
    {
      method: 'get',
      path: '/me/edges',
      summary: "Hosts: people at the edges now whom you could welcome or introduce, nearest to your intent first (no contact details)",
      tag: TAG,
      auth: 'attendee',
      response: HostEdges,
    },
    async ({ auth, res }) => {
      res.setHeader('cache-control', 'no-store');
      return hostEdges(ctx, { attendeeId: auth.attendee.id, eventId: auth.attendee.eventId });
    },
  );
}
