import { z } from 'zod';
import { EventIdParams, NameSearchQuery, NameSearchResult, WalkInBody, WalkInResult } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import { AppError } from '../../http/errors';
import type { Registrar } from '../../http/route';
import { requestLanguage } from '../../i18n';
import { outcomeIn } from '../../i18n/checkin';
import { searchNames, walkIn } from './service';

const TAG = 'Kiosk';

/** Documents `q`; the rules (and their own error code) are applied by the handler. */
const SearchQueryParam = z.object({ q: z.string().describe('At least 3 letters of any word of the name') });

export function registerKioskRoutes(r: Registrar, ctx: FeatureContext) {
  const { deps } = ctx;

  r.add(
    {
      method: 'get',
      path: '/events/:eventId/kiosk/search',
      summary: 'Find a guest by name at the kiosk: at most 5 results; none (x-too-many: true) when more than 20 match',
      tag: TAG,
      auth: 'device',
      deviceKinds: ['kiosk'],
      params: EventIdParams,
      query: SearchQueryParam,
      response: z.array(NameSearchResult),
    },
    async ({ params, query, auth, res }) => {
      // Name search is a way to probe the guest list: throttled per kiosk.
      const retryAfter = await ctx.limiters.search.take(`search:${auth.device.id}`);
      if (retryAfter > 0) {
        res.setHeader('retry-after', String(retryAfter));
        throw new AppError('rate_limited', 'Too many searches: wait a moment, or ask at the desk.', { retryAfterSeconds: retryAfter });
      }
      const parsed = NameSearchQuery.safeParse(query);
      if (!parsed.success) {
        if (parsed.error.issues.some((i) => i.code === 'too_small')) throw new AppError('query_too_short', 'Type at least 3 letters of the name.');
        throw parsed.error;
      }
      const { results, tooMany } = await searchNames(deps.database.db, params.eventId, parsed.data.q);
      res.setHeader('cache-control', 'no-store');
      if (tooMany) res.setHeader('x-too-many', 'true');
      return results;
    },
  );

  r.add(
    {
      method: 'post',
      path: '/events/:eventId/walkins',
      summary: 'Register a walk-in and check them in (201; 200 when the nonce replays an earlier walk-in)',
      tag: TAG,
      auth: 'device',
      deviceKinds: ['kiosk'],
      params: EventIdParams,
      body: WalkInBody,
      response: WalkInResult,
      status: 201,
    },
    async ({ params, body, auth, req, res }) => {
      const { result, created } = await walkIn(ctx, auth.device.id, params.eventId, body);
      res.status(created ? 201 : 200).json({ ...result, outcome: outcomeIn(result.outcome, await requestLanguage(ctx.deps, req, res)) });
      return undefined;
    },
  );
}
