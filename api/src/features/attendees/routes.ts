import { z } from 'zod';
import {
  Attendee,
  AttendeeInput,
  AttendeeParams,
  AttendeePatch,
  EventIdParams,
  GuestListEntry,
  GuestListQuery,
  ImportPreview,
  ImportQuery,
  ImportResult,
} from '@edgewise/shared';
import type { FeatureContext } from '../../app';
import type { Registrar } from '../../http/route';
import { addAttendee, commitImport, deleteAttendee, guestList, previewImport, updateAttendee } from './service';

const TAG = 'Attendees';

export function registerAttendeeRoutes(r: Registrar, ctx: FeatureContext) {
  const db = () => ctx.deps.database.db;

  r.add(
    {
      method: 'get',
      path: '/events/:eventId/attendees',
      summary: 'The guest list with presence and ticket state, sorted by name; q filters by name, email or company',
      tag: TAG,
      auth: 'organiser',
      role: 'door',
      params: EventIdParams,
      query: GuestListQuery,
      response: z.array(GuestListEntry),
    },
    async ({ params, query }) => guestList(db(), params.eventId, ctx.deps.now(), query.q),
  );

  r.add(
    {
      method: 'post',
      path: '/events/:eventId/attendees',
      summary: 'Add one attendee (and issue their ticket)',
      tag: TAG,
      auth: 'organiser',
      role: 'door',
      params: EventIdParams,
      body: AttendeeInput,
      response: Attendee,
      status: 201,
    },
    async ({ params, body }) => addAttendee(ctx, params.eventId, body),
  );

  r.add(
    {
      method: 'patch',
      path: '/events/:eventId/attendees/:attendeeId',
      summary: 'Change an attendee',
      tag: TAG,
      auth: 'organiser',
      params: AttendeeParams,
      body: AttendeePatch,
      response: Attendee,
    },
    async ({ params, body }) => updateAttendee(ctx, params.eventId, params.attendeeId, body),
  );

  r.add(
    {
      method: 'delete',
      path: '/events/:eventId/attendees/:attendeeId',
      summary: 'Remove an attendee with their tickets, check-ins and intent',
      tag: TAG,
      auth: 'organiser',
      params: AttendeeParams,
      status: 204,
    },
    async ({ params }) => {
      await deleteAttendee(ctx, params.eventId, params.attendeeId);
      return undefined;
    },
  );

  r.add(
    {
      method: 'post',
      path: '/events/:eventId/attendees/import/preview',
      summary: 'Check a guest-list CSV (UTF-8, header row) row by row without importing anything',
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      bodyType: 'csv',
      response: ImportPreview,
    },
    async ({ params, body }) => previewImport(db(), params.eventId, body as Buffer),
  );

  r.add(
    {
      method: 'post',
      path: '/events/:eventId/attendees/import',
      summary: 'Import a guest-list CSV: all rows or none (422 with the preview when a row has an error or an unskipped duplicate)',
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      query: ImportQuery,
      bodyType: 'csv',
      response: ImportResult,
      status: 201,
    },
    async ({ params, query, body }) => commitImport(ctx, params.eventId, body as Buffer, query.skipDuplicates === 'true'),
  );
}
