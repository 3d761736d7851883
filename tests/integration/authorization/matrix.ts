import type { ClientToServerEvents } from '@edgewise/shared';

/**
 * Who may call what: every operation of /api/openapi.json and every socket command, with
 * the identities that get in. The suite beside this file fails when the API has an
 * operation this table does not name (or names one the API lost), so a new route or socket
 * event cannot ship without deciding who may use it.
 */

/** The identities every operation is tried as. */
export const identities = [
  'owner',
  'organiser',
  'organiserWithoutAccess',
  'door',
  'kiosk',
  'screen',
  'otherKiosk',
  'otherScreen',
  'attendee',
  'otherAttendee',
  'anonymous',
  'staleSession',
  'garbageTokens',
  'cookieWithoutCsrf',
] as const;
export type Identity = (typeof identities)[number];

/**
 * The policies, by who gets in. Event routes are called on the event that `organiser`,
 * `door`, `kiosk`, `screen` and `attendee` belong to; the `other*` identities belong to
 * another event, and `organiserWithoutAccess` works on another event only.
 */
export const policies = {
  /** No credentials needed (login, pairing, starting a session from a one-time code...). */
  anyone: identities,
  /** Any member of the team, on no particular event. */
  member: ['owner', 'organiser', 'organiserWithoutAccess', 'door', 'cookieWithoutCsrf'],
  /** Owners and organisers, on no particular event (creating one). */
  organiserRole: ['owner', 'organiser', 'organiserWithoutAccess', 'cookieWithoutCsrf'],
  /** Owners only: the team, the audit log. */
  owner: ['owner', 'cookieWithoutCsrf'],
  /** Owners and the event's organisers: its guests' data, exports, follow-ups, introductions. */
  eventOrganiser: ['owner', 'organiser', 'cookieWithoutCsrf'],
  /** The event's door staff too: guests, check-in, devices, the live counts. */
  eventDoor: ['owner', 'organiser', 'door', 'cookieWithoutCsrf'],
  /** The event's door staff or its own kiosk. */
  eventDoorOrKiosk: ['owner', 'organiser', 'door', 'cookieWithoutCsrf', 'kiosk'],
  /** The event's organisers or its own kiosk. */
  eventOrganiserOrKiosk: ['owner', 'organiser', 'cookieWithoutCsrf', 'kiosk'],
  /** The event's own kiosk. */
  kiosk: ['kiosk'],
  /** Anyone of the event: its organisers and door staff, its own kiosk, and its attendees' sessions (not its screen). */
  eventMember: ['owner', 'organiser', 'door', 'cookieWithoutCsrf', 'kiosk', 'attendee'],
  /** Any paired device, about itself. */
  anyDevice: ['kiosk', 'screen', 'otherKiosk', 'otherScreen'],
  /** Any paired kiosk, acting for its own event (socket commands carry no event). */
  anyKiosk: ['kiosk', 'otherKiosk'],
  /** Any paired screen, showing its own event. */
  anyScreen: ['screen', 'otherScreen'],
  /** An attendee on their own phone, whatever their event: it acts on their own data only. */
  attendee: ['attendee', 'otherAttendee'],
} as const satisfies Record<string, readonly Identity[]>;
export type Policy = keyof typeof policies;

/** `METHOD /api/path` as the OpenAPI document spells it. */
export const httpMatrix: Record<string, Policy> = {
  'GET /api/health/live': 'anyone',
  'GET /api/health/ready': 'anyone',
  'GET /api/auth/setup': 'anyone',
  'POST /api/auth/setup': 'anyone',
  'POST /api/auth/login': 'anyone',
  'POST /api/auth/logout': 'member',
  'GET /api/auth/session': 'member',
  'PUT /api/auth/language': 'member',
  'GET /api/languages': 'anyone',
  'POST /api/auth/organisers': 'owner',
  'POST /api/auth/invitation': 'anyone',
  'POST /api/auth/accept-invitation': 'anyone',

  'GET /api/team': 'owner',
  'POST /api/team/invitations': 'owner',
  'DELETE /api/team/invitations/{invitationId}': 'owner',
  'PATCH /api/team/members/{organiserId}': 'owner',
  'DELETE /api/team/members/{organiserId}': 'owner',
  'GET /api/audit': 'owner',
  'GET /api/audit.csv': 'owner',

  'GET /api/events': 'member',
  'POST /api/events': 'organiserRole',
  'GET /api/event-templates': 'organiserRole',
  'GET /api/events/{eventId}': 'eventDoor',
  'PATCH /api/events/{eventId}': 'eventOrganiser',
  'GET /api/events/{eventId}/stats': 'eventDoor',
  'GET /api/events/{eventId}/dashboard': 'eventDoor',

  'GET /api/events/{eventId}/attendees': 'eventDoor',
  'POST /api/events/{eventId}/attendees': 'eventDoor',
  'PATCH /api/events/{eventId}/attendees/{attendeeId}': 'eventOrganiser',
  'DELETE /api/events/{eventId}/attendees/{attendeeId}': 'eventOrganiser',
  'POST /api/events/{eventId}/attendees/import/preview': 'eventOrganiser',
  'POST /api/events/{eventId}/attendees/import': 'eventOrganiser',
  'POST /api/events/{eventId}/attendees/import/broken-rows.csv': 'eventOrganiser',
  'POST /api/events/{eventId}/invitations': 'eventOrganiser',
  'GET /api/events/{eventId}/invitations': 'eventOrganiser',
  'GET /api/events/{eventId}/invitations/mail-merge.csv': 'eventOrganiser',
  'GET /api/events/{eventId}/invitations/{attendeeId}/preview': 'eventOrganiser',
  'POST /api/events/{eventId}/attendees/{attendeeId}/sign-out': 'eventOrganiser',

  'GET /api/events/{eventId}/acquaintances': 'eventOrganiser',
  'POST /api/events/{eventId}/acquaintances': 'eventOrganiser',
  'DELETE /api/events/{eventId}/acquaintances/{attendeeId}/{knowsId}': 'eventOrganiser',

  'GET /api/events/{eventId}/attendees/{attendeeId}/ticket': 'eventDoor',
  'GET /api/events/{eventId}/attendees/{attendeeId}/ticket/qr': 'eventDoor',
  'POST /api/events/{eventId}/attendees/{attendeeId}/ticket/reissue': 'eventOrganiser',
  'POST /api/events/{eventId}/attendees/{attendeeId}/ticket/revoke': 'eventOrganiser',
  'GET /api/events/{eventId}/badges': 'eventOrganiser',

  'POST /api/events/{eventId}/pairing-codes': 'eventDoor',
  'POST /api/devices/pair': 'anyone',
  'GET /api/device': 'anyDevice',
  'GET /api/events/{eventId}/devices': 'eventDoor',
  'PATCH /api/events/{eventId}/devices/{deviceId}': 'eventDoor',
  'DELETE /api/events/{eventId}/devices/{deviceId}': 'eventDoor',

  'POST /api/events/{eventId}/checkins': 'kiosk',
  'GET /api/events/{eventId}/checkins': 'eventDoor',
  'POST /api/events/{eventId}/attendees/{attendeeId}/presence': 'eventDoor',
  'GET /api/events/{eventId}/kiosk/search': 'kiosk',
  'GET /api/events/{eventId}/kiosk/checkin-list': 'kiosk',
  'POST /api/events/{eventId}/walkins': 'kiosk',

  'GET /api/events/{eventId}/attendees/{attendeeId}/intent': 'eventOrganiserOrKiosk',
  'PUT /api/events/{eventId}/attendees/{attendeeId}/intent': 'eventOrganiserOrKiosk',

  'POST /api/me/session': 'anyone',
  'GET /api/me/sign-in': 'anyone',
  'POST /api/me/sign-in-link': 'anyone',
  'DELETE /api/me/session': 'attendee',
  'DELETE /api/me/sessions': 'attendee',
  'POST /api/me/exit': 'attendee',
  'GET /api/me': 'attendee',
  'GET /api/me/visibility': 'attendee',
  'PUT /api/me/language': 'attendee',
  'GET /api/me/edges': 'attendee',
  'GET /api/me/followup': 'attendee',
  'GET /api/me/followup/contacts/{contactId}/vcard': 'attendee',
  'GET /api/me/data': 'attendee',
  'DELETE /api/me': 'attendee',
  'PUT /api/me/photo': 'attendee',
  'DELETE /api/me/photo': 'attendee',
  // Let in means only that the session is checked: whose photo it gets is meeting.test.ts's matter.
  'GET /api/photos/{photoId}': 'attendee',
  'GET /api/events/{eventId}/meeting-points': 'eventOrganiser',
  'PUT /api/events/{eventId}/meeting-points': 'eventOrganiser',
  'PUT /api/events/{eventId}/floor-plan': 'eventOrganiser',
  'DELETE /api/events/{eventId}/floor-plan': 'eventOrganiser',
  'GET /api/events/{eventId}/floor-plan': 'eventMember',
  'POST /api/events/{eventId}/attendees/{attendeeId}/phone-link': 'kiosk',
  // Let in means only that the kiosk is this event's: whose photo it may add is meeting.test.ts's matter.
  'PUT /api/events/{eventId}/attendees/{attendeeId}/photo': 'kiosk',
  'GET /api/events/{eventId}/attendees/{attendeeId}/suggestions': 'kiosk',

  'GET /api/events/{eventId}/edges': 'eventOrganiser',
  'GET /api/events/{eventId}/introductions': 'eventOrganiser',
  'POST /api/events/{eventId}/introductions': 'eventOrganiser',

  'GET /api/events/{eventId}/followups': 'eventOrganiser',
  'GET /api/events/{eventId}/attendees/{attendeeId}/followup/preview': 'eventOrganiser',
  'GET /api/events/{eventId}/attendees/{attendeeId}/followup/preview.html': 'eventOrganiser',
  'POST /api/events/{eventId}/followups/send': 'eventOrganiser',
  'GET /api/events/{eventId}/exports/attendees.csv': 'eventOrganiser',
  'GET /api/events/{eventId}/exports/suggestions.csv': 'eventOrganiser',
  'POST /api/events/{eventId}/erase': 'eventOrganiser',
};

/**
 * Operations that end the caller's own credentials when they are let in: the suite makes
 * every identity afresh after trying one.
 */
export const endsOwnSession = new Set(['POST /api/auth/logout', 'DELETE /api/me/session', 'DELETE /api/me/sessions', 'DELETE /api/me']);

/** Socket commands: a new event in the contract fails the typecheck until it is named here. */
export const socketMatrix = {
  'event:subscribe': 'eventDoor',
  'me:sync': 'attendee',
  'suggestion:answer': 'attendee',
  'suggestion:met': 'attendee',
  'note:save': 'attendee',
  'intent:update': 'attendee',
  'contact:update': 'attendee',
  'contact:ask': 'attendee',
  'matching:opt-out': 'attendee',
  'introduction:create': 'attendee',
  'meeting:pick': 'attendee',
  'meeting:on-my-way': 'attendee',
  'where-i-am:update': 'attendee',
  'screen:sync': 'anyScreen',
  'device:status': 'anyKiosk',
} as const satisfies Record<keyof ClientToServerEvents, Policy>;
