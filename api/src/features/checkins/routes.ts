import { z } from 'zod';
import { CheckinBody, CheckinLogEntry, CheckinLogQuery, CheckinOutcome, EventIdParams } from '@edgewise/shared';
import type { FeatureContext } from '../../app';
import type { Registrar } from '../../http/route';
import { getEvent } from '../events/service';
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
    async ({ params, body, auth, res }) => {
      const { outcome, created } = await checkIn(ctx, auth.device.id, params.eventId, body);
      res.status(created && outcome.status === 'ok' ? 201 : 200).json(outcome);
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
}
