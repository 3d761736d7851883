import { AttendeeParams, EventIdParams, FollowupContactParams, FollowupOverview, FollowupPreview, SendFollowupsBody, SendFollowupsResult } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import type { Registrar } from '../../http/route';
import { attachmentHeader, safeFilename } from '../exports/csv';
import type { FollowupRuntime } from './runtime';
import { buildPreview, contactVcardFor, followupOverview } from './service';

const TAG = 'Follow-up';

export function registerFollowupRoutes(r: Registrar, ctx: FeatureContext, followups: FollowupRuntime) {
  const { deps } = ctx;

  r.add(
    {
      method: 'get',
      path: '/events/:eventId/followups',
      summary: "Where each checked-in attendee's follow-up is (pending, sent, failed with its error, skipped and why), and whether mail is sent at all",
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      response: FollowupOverview,
    },
    async ({ params, res }) => {
      res.setHeader('cache-control', 'no-store');
      return followupOverview(deps, followups.mailer, params.eventId);
    },
  );

  r.add(
    {
      method: 'get',
      path: '/events/:eventId/attendees/:attendeeId/followup/preview',
      summary: "One attendee's follow-up exactly as it is sent: text, HTML, vCards and the reminder",
      tag: TAG,
      auth: 'organiser',
      params: AttendeeParams,
      response: FollowupPreview,
    },
    async ({ params, res }) => {
      res.setHeader('cache-control', 'no-store');
      return (await buildPreview(deps, params.eventId, params.attendeeId)).preview;
    },
  );

  r.add(
    {
      method: 'get',
      path: '/events/:eventId/attendees/:attendeeId/followup/preview.html',
      summary: "The HTML part of one attendee's follow-up as a page of its own, for the dashboard's preview frame",
      tag: TAG,
      auth: 'organiser',
      params: AttendeeParams,
      produces: 'text/html',
    },
    async ({ params, res }) => {
      const { html } = (await buildPreview(deps, params.eventId, params.attendeeId)).preview;
      res.setHeader('cache-control', 'no-store');
      // A mail's HTML keeps its styles inline, as mail clients need; it gets a policy of its
      // own (no script, nothing fetched, framed only by our dashboard), so the app's pages
      // keep theirs free of inline styles.
      res.setHeader(
        'content-security-policy',
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox",
      );
      res.setHeader('x-frame-options', 'SAMEORIGIN');
      res.type('html').send(html);
      return undefined;
    },
  );

  r.add(
    {
      method: 'post',
      path: '/events/:eventId/followups/send',
      summary: 'Send the follow-ups now (failed ones again too), or one attendee\'s; each goes once, whoever asks',
      tag: TAG,
      auth: 'organiser',
      params: EventIdParams,
      body: SendFollowupsBody,
      response: SendFollowupsResult,
      status: 202,
    },
    async ({ params, body }) => ({ queued: await followups.sendNow(params.eventId, body.attendeeId) }),
  );

  r.add(
    {
      method: 'get',
      path: '/me/followup',
      summary: 'Your follow-up digest: the people you connected with, your notes, what they shared',
      tag: TAG,
      auth: 'attendee',
      response: FollowupPreview,
    },
    async ({ auth, res }) => {
      res.setHeader('cache-control', 'no-store');
      return (await buildPreview(deps, auth.attendee.eventId, auth.attendee.id)).preview;
    },
  );

  r.add(
    {
      method: 'get',
      path: '/me/followup/contacts/:contactId/vcard',
      summary: 'The contact card (vCard) of someone you both said yes to, or met',
      tag: TAG,
      auth: 'attendee',
      params: FollowupContactParams,
      produces: 'text/vcard',
    },
    async ({ auth, params, res }) => {
      const { name, vcard } = await contactVcardFor(deps, auth.attendee.eventId, auth.attendee.id, params.contactId);
      res.setHeader('cache-control', 'no-store');
      res.setHeader('content-type', 'text/vcard; charset=utf-8');
      const stem = safeFilename(name);
      res.setHeader('content-disposition', attachmentHeader(`${stem === 'export' ? 'contact' : stem}.vcf`));
      res.status(200).send(vcard);
      return undefined;
    },
  );
}
