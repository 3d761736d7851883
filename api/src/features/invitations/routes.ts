import { AttendeeParams, EventIdParams, InvitationList, InvitationPreview, InvitationsBody, InvitationsQueued } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import type { Registrar } from '../../http/route';
import { attachmentHeader } from '../exports/csv';
import type { InvitationRuntime } from './runtime';
import { listInvitations, mailMergeCsv, previewInvitation, sendInvitations } from './service';

const TAG = 'Invitations';

/** Ticket mails: organisers only (door staff show a guest's QR but send no mail). */
export function registerInvitationRoutes(r: Registrar, ctx: FeatureContext, runtime: InvitationRuntime) {
  r.add(
    {
      method: 'post',
      path: '/events/:eventId/invitations',
      summary:
        'Queue ticket mails (QR inline, ticket link, sign-in link, .ics): to everyone, to a selection (attendeeIds), or only to guests not yet sent their current ticket (onlyUnsent); a mail queued, on its way or sent in the last 10 minutes is not queued twice',
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      body: InvitationsBody,
      response: InvitationsQueued,
      status: 202,
    },
    async ({ params, body, auth }) => sendInvitations(ctx, runtime, auth, params.eventId, body),
  );

  r.add(
    {
      method: 'get',
      path: '/events/:eventId/invitations',
      summary: "Each guest's ticket mail: not sent, queued, sending, sent or failed (with the mail server's reason), its time, and the run in progress",
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      response: InvitationList,
    },
    async ({ params }) => listInvitations(ctx, runtime, params.eventId),
  );

  r.add(
    {
      method: 'get',
      path: '/events/:eventId/invitations/mail-merge.csv',
      summary: "Name, email, ticket link and a fresh sign-in link per guest, as a spreadsheet-safe CSV for the organiser's own mailer (audited)",
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      produces: 'text/csv',
    },
    async ({ params, auth, res }) => {
      const csv = await mailMergeCsv(ctx, auth, params.eventId);
      res.status(200).type('text/csv; charset=utf-8').setHeader('content-disposition', attachmentHeader('ticket-mail-merge.csv'));
      res.setHeader('cache-control', 'no-store');
      res.send(csv);
      return undefined;
    },
  );

  r.add(
    {
      method: 'get',
      path: '/events/:eventId/invitations/:attendeeId/preview',
      summary: "One guest's ticket mail as it would be sent (the sign-in link is made only when it is sent)",
      tag: TAG,
      auth: 'organiser',
      params: AttendeeParams,
      response: InvitationPreview,
    },
    async ({ params }) => previewInvitation(ctx, params.eventId, params.attendeeId),
  );
}
