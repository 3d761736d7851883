import { z } from 'zod';
import { CreateEventBody, Event, EventIdParams, EventStats, EventTemplate, UpdateEventBody } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import { lookupsOf } from '../../http/lookups';
import type { Registrar } from '../../http/route';
import { requestLanguage } from '../../i18n';
import { translatedTemplates } from '../../i18n/templates';
import { createEvent, eventStats, getEvent, listEvents, toEventDto, updateEvent } from './service';

const TAG = 'Events';

export function registerEventRoutes(r: Registrar, ctx: FeatureContext) {
  const { deps } = ctx;
  const db = () => deps.database.db;

  r.add(
    { method: 'get', path: '/events', summary: 'The events this member works on, newest first', tag: TAG, auth: 'organiser', role: 'door', response: z.array(Event) },
    async ({ auth }) => listEvents(db(), auth.organiser),
  );

  r.add(
    {
      method: 'get',
      path: '/event-templates',
      summary: 'Vocabularies to start an event from (topics with both sides, interests), by kind of event',
      tag: TAG,
      auth: 'organiser',
      response: z.array(EventTemplate),
    },
    async ({ req, res }) => translatedTemplates(await requestLanguage(deps, req, res)),
  );

  r.add(
    { method: 'post', path: '/events', summary: 'Create an event', tag: TAG, auth: 'organiser', body: CreateEventBody, response: Event, status: 201 },
    async ({ body, auth }) => toEventDto(await createEvent(db(), body, { createdBy: auth.organiser.id, now: deps.now() })),
  );

  r.add(
    { method: 'get', path: '/events/:eventId', summary: 'One event', tag: TAG, auth: 'organiser', role: 'door', params: EventIdParams, response: Event },
    async ({ params }) => toEventDto(await getEvent(db(), params.eventId)),
  );

  r.add(
    {
      method: 'patch',
      path: '/events/:eventId',
      summary: 'Change an event (settings are merged)',
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      body: UpdateEventBody,
      response: Event,
    },
    async ({ params, body }) => {
      const row = await updateEvent(db(), params.eventId, body, deps.now());
      // Its status and settings count from the very next request, on every node.
      await lookupsOf(deps).forgetEvent(row.id);
      ctx.matching.eventChanged(row.id);
      return toEventDto(row);
    },
  );

  r.add(
    {
      method: 'get',
      path: '/events/:eventId/stats',
      summary: 'Registered, checked in, present and flagged counts',
      tag: TAG,
      auth: 'organiser',
      role: 'door',
      params: EventIdParams,
      response: EventStats,
    },
    async ({ params }) => {
      await getEvent(db(), params.eventId);
      return eventStats(db(), params.eventId, deps.now());
    },
  );
}
