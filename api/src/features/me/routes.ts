import { z } from 'zod';
import { AttendeeParams, KioskSuggestion, MeSession, MeSessionBody, MeSnapshot, MeVisibility, PhoneLink } from '@edgewise/shared';
import type { FeatureContext } from '../../app';
import { AppError } from '../../http/errors';
import type { Registrar } from '../../http/route';
import { createPhoneLink, endSession, kioskSuggestions, startSession } from './service';
import { buildMeSnapshot, buildVisibility } from './snapshot';

const TAG = 'Me';

export function registerMeRoutes(r: Registrar, ctx: FeatureContext) {
  const db = ctx.deps.database.db;

  r.add(
    {
      method: 'post',
      path: '/me/session',
      summary: "Start an attendee's own session on their phone, from a one-time kiosk link code or their ticket link",
      tag: TAG,
      auth: 'none',
      body: MeSessionBody,
      response: MeSession,
      status: 201,
    },
    async ({ body, req, res }) => {
      const retryAfter = await ctx.limiters.session.take(req.ip ?? req.socket.remoteAddress ?? 'unknown');
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
      method: 'get',
      path: '/me',
      summary: "The attendee's own page: profile, event, intent, contact card, suggestions and connections",
      tag: TAG,
      auth: 'attendee',
      response: MeSnapshot,
    },
    async ({ auth, res }) => {
      res.setHeader('cache-control', 'no-store');
      return buildMeSnapshot(db, auth.attendee.eventId, auth.attendee.id);
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
      summary: 'A one-time "continue on your phone" link (15 minutes) for a guest checked in at this kiosk',
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
      summary: "A checked-in guest's current suggestions, best first, as the kiosk shows them (no contact details, no notes)",
      tag: TAG,
      auth: 'device',
      deviceKinds: ['kiosk'],
      params: AttendeeParams,
      response: z.array(KioskSuggestion),
    },
    async ({ params, res }) => {
      res.setHeader('cache-control', 'no-store');
      return kioskSuggestions(ctx, params.eventId, params.attendeeId);
    },
  );
}
