import { z } from 'zod';
import { AttendeeParams, CheckinBody, CheckinLogEntry, CheckinLogQuery, CheckinOutcome, EventIdParams, PresenceBody } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import type { Registrar } from '../../http/route';
import { requestLanguage } from '../../i18n';
import { outcomeIn } from '../../i18n/checkin';
import { getEvent } from '../events/service';
import { noteSign, recordPresence } from './presence';
import { registerCheckinListRoutes } from './list';
import { checkIn, listCheckins } from './service';

const TAG = 'Check-in';

export function registerCheckinRoutes(r: Registrar, ctx: FeatureContext) {
  const { deps } = ctx;
  registerCheckinListRoutes(r, ctx);

  r.add(
    {
      method: 'post',
      path: '/events/:eventId/checkins',
      summary:
        'Record one scan (201 when accepted; 200 for a refusal or a replayed nonce, with the same outcome body). Idempotent by nonce.',
      tag: TAG,
      auth: 'device',
      deviceKinds: ['kiosk'],
      params: EventIdParams,
      body: CheckinBody,
      response: CheckinOutcome,
      status: 201,
    },
    async ({ params, body, auth, req, res }) => {
      const { outcome, created } = await checkIn(ctx, auth.device.id, params.eventId, body);
      // "Already in" changes nothing in the log, but is a sign of life: someone away is back.
      // Written after the answer (it never fails the caller): the guest is not kept waiting for it.
      if (created && outcome.status === 'already_checked_in' && outcome.attendee) void noteSign(ctx, params.eventId, outcome.attendee.id, Date.parse(outcome.scannedAt));
      res.status(created && outcome.status === 'ok' ? 201 : 200).json(outcomeIn(outcome, await requestLanguage(deps, req, res)));
      return undefined;
    },
  );

  r.add(
    {
      method: 'get',
      path: '/events/:eventId/checkins',
      summary: 'The scan log, newest arrival first (flagged=true: only out-of-order scans to look at)',
      tag: TAG,
      auth: 'organiser',
      role: 'door',
      params: EventIdParams,
      query: CheckinLogQuery,
      response: z.array(CheckinLogEntry),
    },
    async ({ params, query }) => {
      await getEvent(deps.database.db, params.eventId);
      return listCheckins(deps.database.db, params.eventId, {
        limit: query.limit,
        ...(query.flagged !== undefined && { flagged: query.flagged === 'true' }),
      });
    },
  );

  r.add(
    {
      method: 'post',
      path: '/events/:eventId/attendees/:attendeeId/presence',
      summary:
        'Check a guest in or out from the guest list, logged with who did it (the outcome a scan would have: 201 when it changed presence, 200 for a refusal)',
      tag: TAG,
      auth: 'organiser',
      role: 'door',
      params: AttendeeParams,
      body: PresenceBody,
      response: CheckinOutcome,
      status: 201,
    },
    async ({ params, body, auth, req, res }) => {
      const outcome = await recordPresence(ctx, {
        eventId: params.eventId,
        attendeeId: params.attendeeId,
        type: body.type,
        method: 'organiser',
        organiserId: auth.organiser.id,
      });
      res.status(outcome.status === 'ok' ? 201 : 200).json(outcomeIn(outcome, await requestLanguage(deps, req, res)));
      return undefined;
    },
  );

  r.add(
    {
      method: 'post',
      path: '/me/exit',
      summary:
        "The attendee's own \"I'm heading out\": checks them out (out of everyone's lists at once); a scan at the door brings them back",
      tag: 'Me',
      auth: 'attendee',
      response: CheckinOutcome,
    },
    async ({ auth, req, res }) =>
      outcomeIn(await recordPresence(ctx, { eventId: auth.attendee.eventId, attendeeId: auth.attendee.id, type: 'exit', method: 'self' }), await requestLanguage(deps, req, res)),
  );
}
