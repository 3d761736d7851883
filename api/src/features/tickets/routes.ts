import { AttendeeParams, BadgesQuery, EventIdParams, QrFormatQuery, TicketInfo } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import type { Registrar } from '../../http/route';
import { qrPng, qrSvg } from './qr';
import { badgesPage, getTicket, reissueTicket, revokeTicket } from './service';

const TAG = 'Tickets';

export function registerTicketRoutes(r: Registrar, ctx: FeatureContext) {
  r.add(
    {
      method: 'get',
      path: '/events/:eventId/attendees/:attendeeId/ticket',
      summary: "An attendee's live ticket: its secret and the link its QR carries",
      tag: TAG,
      auth: 'organiser',
      role: 'door',
      params: AttendeeParams,
      response: TicketInfo,
    },
    async ({ params }) => getTicket(ctx, params.eventId, params.attendeeId),
  );

  r.add(
    {
      method: 'get',
      path: '/events/:eventId/attendees/:attendeeId/ticket/qr',
      summary: "The live ticket's QR code as PNG or SVG",
      tag: TAG,
      auth: 'organiser',
      role: 'door',
      params: AttendeeParams,
      query: QrFormatQuery,
      produces: ['image/svg+xml', 'image/png'],
    },
    async ({ params, query, res }) => {
      const ticket = await getTicket(ctx, params.eventId, params.attendeeId);
      // A QR is a key to the event: no cache (shared or private) keeps a copy.
      res.setHeader('cache-control', 'no-store');
      if (query.format === 'png') {
        res.type('image/png').send(await qrPng(ticket.url));
      } else {
        res.type('image/svg+xml').send(await qrSvg(ticket.url));
      }
      return undefined;
    },
  );

  r.add(
    {
      method: 'post',
      path: '/events/:eventId/attendees/:attendeeId/ticket/reissue',
      summary: "Revoke the live ticket and issue a new one; every session of the guest's ends",
      tag: TAG,
      auth: 'organiser',
      params: AttendeeParams,
      response: TicketInfo,
      status: 201,
    },
    async ({ params, auth }) => reissueTicket(ctx, auth, params.eventId, params.attendeeId),
  );

  r.add(
    {
      method: 'post',
      path: '/events/:eventId/attendees/:attendeeId/ticket/revoke',
      summary: "Revoke the live ticket: its QR then scans as revoked, and every session of the guest's ends",
      tag: TAG,
      auth: 'organiser',
      params: AttendeeParams,
      status: 204,
    },
    async ({ params, auth }) => {
      await revokeTicket(ctx, auth, params.eventId, params.attendeeId);
      return undefined;
    },
  );

  r.add(
    {
      method: 'get',
      path: '/events/:eventId/badges',
      summary: 'Print-ready badges (A4, four per page) for everyone with a live ticket, or one attendee',
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      query: BadgesQuery,
      produces: 'text/html',
    },
    async ({ params, query, res }) => {
      const html = await badgesPage(ctx, params.eventId, query.attendeeId);
      res.setHeader('cache-control', 'no-store');
      // The page needs nothing but its own inline styles: anything else is refused.
      res.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'");
      res.type('text/html').send(html);
      return undefined;
    },
  );
}
