import { z } from 'zod';
import { AttendeeLanguageBody, AttendeeParams, KioskSuggestion, MeSession, MeSessionBody, MeSnapshot, MeVisibility, PhoneLink, SignInLinkBody, SignInOptions } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import { AppError } from '../../http/errors';
import type { Registrar } from '../../http/route';
import { createPhoneLink, endSession, mailSignInLinks, signInOptions, signOutGuest, signOutMyself, startSession } from './credentials';
import { kioskSuggestions } from './service';
import { buildMeSnapshot, buildVisibility } from './snapshot';
import { clientIp } from '../../http/rate-limit';
import { setAttendeeLanguage } from '../languages/service';
import { askedLanguage } from '../../i18n';

const TAG = 'Me';

export function registerMeRoutes(r: Registrar, ctx: FeatureContext) {
  const db = ctx.deps.database.db;

  r.add(
    {
      method: 'post',
      path: '/me/session',
      summary:
        "Start an attendee's own session on their phone from a one-time code: the kiosk's phone link or a mailed sign-in link (a ticket is refused: ticket_not_a_login)",
      tag: TAG,
      auth: 'none',
      body: MeSessionBody,
      response: MeSession,
      status: 201,
    },
    async ({ body, req, res }) => {
      const retryAfter = await ctx.limiters.session.take(clientIp(req));
      if (retryAfter > 0) {
        res.setHeader('retry-after', String(retryAfter));
        throw new AppError('rate_limited', 'Too many attempts: wait a few minutes and try again.', { retryAfterSeconds: retryAfter });
      }
      res.setHeader('cache-control', 'no-store');
      return startSession(ctx, body);
    },
  );

  r.add(
    { method: 'delete', path: '/me/session', summary: 'End this session (log this phone out)', tag: TAG, auth: 'attendee', status: 204 },
    async ({ auth }) => {
      await endSession(ctx, auth);
      return undefined;
    },
  );

  r.add(
    {
      method: 'delete',
      path: '/me/sessions',
      summary: 'Sign out everywhere: end every session of yours, on every phone, at once',
      tag: TAG,
      auth: 'attendee',
      status: 204,
    },
    async ({ auth }) => {
      await signOutMyself(ctx, auth);
      return undefined;
    },
  );

  r.add(
    { method: 'get', path: '/me/sign-in', summary: 'How a phone without a session can get one: whether this server can mail sign-in links', tag: TAG, auth: 'none', response: SignInOptions },
    async () => signInOptions(ctx),
  );

  r.add(
    {
      method: 'post',
      path: '/me/sign-in-link',
      summary: 'Email me my link: mails each registration of the address a single-use sign-in link (30 minutes). Always 202: it never says whether the address is on a list',
      tag: TAG,
      auth: 'none',
      body: SignInLinkBody,
      status: 202,
    },
    async ({ body, req, res }) => {
      // Per address and per mailbox: nobody floods an inbox, and no address sprays the list.
      const byAddress = await ctx.limiters.pair.take(`sign-in-link:${clientIp(req)}`);
      const byEmail = byAddress > 0 ? 0 : await ctx.limiters.loginAccount.take(`sign-in-link:${body.email}`);
      const retryAfter = Math.max(byAddress, byEmail);
      if (retryAfter > 0) {
        res.setHeader('retry-after', String(retryAfter));
        throw new AppError('rate_limited', 'Too many links asked for: wait a few minutes and try again.', { retryAfterSeconds: retryAfter });
      }
      // Answered before anything is looked up: the timing says nothing about the list either.
      void mailSignInLinks(ctx, body).catch((err: unknown) => ctx.deps.log({ level: 'error', msg: 'sign-in link mail failed', err: String(err) }));
      res.setHeader('cache-control', 'no-store');
      res.status(202).json({});
      return undefined;
    },
  );

  r.add(
    {
      method: 'post',
      path: '/events/:eventId/attendees/:attendeeId/sign-out',
      summary: 'Sign this guest out everywhere: every session of theirs ends at once, sockets included',
      tag: TAG,
      auth: 'organiser',
      params: AttendeeParams,
      status: 204,
    },
    async ({ params, auth }) => {
      await signOutGuest(ctx, auth, params.eventId, params.attendeeId);
      return undefined;
    },
  );

  r.add(
    {
      method: 'get',
      path: '/me',
      summary: "The attendee's own page: profile, event, intent, contact card, suggestions and connections",
      tag: TAG,
      auth: 'attendee',
      response: MeSnapshot,
    },
    async ({ auth, req, res }) => {
      res.setHeader('cache-control', 'no-store');
      return buildMeSnapshot(db, auth.attendee.eventId, auth.attendee.id, await askedLanguage(ctx.deps, req, res));
    },
  );

  r.add(
    {
      method: 'put',
      path: '/me/language',
      summary: "The attendee's own language, one of the event's: their page, suggestions and mails follow it",
      tag: TAG,
      auth: 'attendee',
      body: AttendeeLanguageBody,
      response: AttendeeLanguageBody,
    },
    async ({ auth, body }) => {
      await setAttendeeLanguage(db, auth.attendee.eventId, auth.attendee.id, body.language);
      return { language: body.language };
    },
  );

  r.add(
    {
      method: 'get',
      path: '/me/visibility',
      summary: 'What others can see of you: your profile as matches see it, the big screen, your shared contact details',
      tag: TAG,
      auth: 'attendee',
      response: MeVisibility,
    },
    async ({ auth, res }) => {
      res.setHeader('cache-control', 'no-store');
      return buildVisibility(db, auth.attendee.eventId, auth.attendee.id);
    },
  );

  r.add(
    {
      method: 'post',
      path: '/events/:eventId/attendees/:attendeeId/phone-link',
      summary:
        'A one-time "continue on your phone" link (15 minutes), only for the guest whose entry or walk-in this kiosk accepted in the last 5 minutes, while they are the last guest it scanned and still present, once per check-in (else phone_link_not_allowed)',
      tag: TAG,
      auth: 'device',
      deviceKinds: ['kiosk'],
      params: AttendeeParams,
      response: PhoneLink,
      status: 201,
    },
    async ({ params, auth, res }) => {
      res.setHeader('cache-control', 'no-store');
      return createPhoneLink(ctx, auth.device.id, params.eventId, params.attendeeId);
    },
  );

  r.add(
    {
      method: 'get',
      path: '/events/:eventId/attendees/:attendeeId/suggestions',
      summary:
        "The current suggestions of the guest standing at the kiosk, best first, as the kiosk shows them (no contact details, no notes): only for the guest this kiosk's latest scan let in or found already in, in the last 5 minutes, still present (else kiosk_not_for_this_guest)",
      tag: TAG,
      auth: 'device',
      deviceKinds: ['kiosk'],
      params: AttendeeParams,
      response: z.array(KioskSuggestion),
    },
    async ({ params, auth, req, res }) => {
      res.setHeader('cache-control', 'no-store');
      return kioskSuggestions(ctx, auth.device.id, params.eventId, params.attendeeId, await askedLanguage(ctx.deps, req, res));
    },
  );
}
