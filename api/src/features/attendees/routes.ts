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
  ImportPreviewQuery,
  ImportQuery,
  ImportResult,
} from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import type { Registrar } from '../../http/route';
import { attachmentHeader } from '../exports/csv';
import { addAttendee, brokenRowsCsv, commitImport, deleteAttendee, guestList, previewImport, updateAttendee } from './service';

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
      summary:
        'Check a guest-list CSV row by row without importing anything: encoding (UTF-8, UTF-16, Windows-1252) and separator (comma, semicolon, tab) detected, columns recognised by header or mapped by `mapping`',
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      query: ImportPreviewQuery,
      bodyType: 'csv',
      response: ImportPreview,
    },
    async ({ params, query, body }) => previewImport(db(), params.eventId, body as Buffer, query.mapping),
  );

  r.add(
    {
      method: 'post',
      path: '/events/:eventId/attendees/import/broken-rows.csv',
      summary: "The file's broken rows (errors, repeated emails) as a spreadsheet-safe CSV with a Reason column, to fix and import again",
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      query: ImportPreviewQuery,
      bodyType: 'csv',
      produces: 'text/csv',
    },
    async ({ params, query, body, res }) => {
      const csv = await brokenRowsCsv(db(), params.eventId, body as Buffer, query.mapping);
      res.status(200).type('text/csv; charset=utf-8').setHeader('content-disposition', attachmentHeader('broken-rows.csv'));
      res.send(csv);
      return undefined;
    },
  );

  r.add(
    {
      method: 'post',
      path: '/events/:eventId/attendees/import',
      summary:
        'Import a guest-list CSV: new emails are added, known emails updated; all rows or none (422 with the preview when a row is broken), unless skipInvalid (or skipDuplicates) leaves the broken rows out',
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      query: ImportQuery,
      bodyType: 'csv',
      response: ImportResult,
      status: 201,
    },
    async ({ params, query, body }) =>
      commitImport(ctx, params.eventId, body as Buffer, {
        mapping: query.mapping,
        skipDuplicates: query.skipDuplicates === 'true',
        skipInvalid: query.skipInvalid === 'true',
      }),
  );
}
