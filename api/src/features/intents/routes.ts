import { AttendeeParams, Intent, IntentBody } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import type { Registrar } from '../../http/route';
import { getIntent, putIntent } from './service';

const TAG = 'Intents';

export function registerIntentRoutes(r: Registrar, ctx: FeatureContext) {
  r.add(
    {
      method: 'put',
      path: '/events/:eventId/attendees/:attendeeId/intent',
      summary:
        "Set an attendee's intent (tags from the event's lists). A kiosk may do it only for the guest standing at it: the one its latest scan let in or found already in, in the last 5 minutes, still present (else kiosk_not_for_this_guest)",
      tag: TAG,
      auth: 'organiser_or_device',
      deviceKinds: ['kiosk'],
      params: AttendeeParams,
      body: IntentBody,
      response: Intent,
    },
    async ({ params, body, auth }) => putIntent(ctx, auth, params.eventId, params.attendeeId, body),
  );

  r.add(
    {
      method: 'get',
      path: '/events/:eventId/attendees/:attendeeId/intent',
      summary:
        "An attendee's intent (404 until one is set; a kiosk sees only that of the guest standing at it, as for setting it, else kiosk_not_for_this_guest)",
      tag: TAG,
      auth: 'organiser_or_device',
      deviceKinds: ['kiosk'],
      params: AttendeeParams,
      response: Intent,
    },
    async ({ params, auth }) => getIntent(ctx, auth, params.eventId, params.attendeeId),
  );
}
