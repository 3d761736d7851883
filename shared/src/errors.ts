/**
 * The closed list of error codes the API answers with, and the HTTP status each maps to.
 * Clients switch on `code`; the message is for people.
 */
export const errorStatus = {
  validation_failed: 400,
  malformed_json: 400,
  /** The request line itself is broken: a bad %-escape in the path, a header we cannot read. */
  malformed_request: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  /** A photo upload over 5 MB (before any decoding). */
  image_too_large: 413,
  /** A photo upload that is not a JPEG or PNG image we can decode. */
  image_unreadable: 422,
  /** A photo whose pixel count would take too much memory to decode (a decompression bomb). */
  image_too_many_pixels: 422,
  /** Pins placed on a floor plan the event does not have (none was uploaded, or it was just removed). */
  no_floor_plan: 409,
  csv_encoding: 400,
  csv_malformed: 400,
  csv_has_errors: 422,
  unauthenticated: 401,
  invalid_credentials: 401,
  csrf_failed: 403,
  forbidden: 403,
  wrong_event: 403,
  /** The ticket QR checks a guest in; it never opens their page (ask for a sign-in link instead). */
  ticket_not_a_login: 403,
  /** The kiosk may only hand a phone link to the guest whose own scan or walk-in it just accepted, once. */
  phone_link_not_allowed: 403,
  /** The kiosk may only add a photo for the guest whose own scan or walk-in it just accepted, once per check-in. */
  kiosk_photo_not_allowed: 403,
  /** A kiosk may only see and change the answers (and suggestions) of the guest it just let in or found already in. */
  kiosk_not_for_this_guest: 403,
  /** Name search at an unattended kiosk: the guest's answer to "something only you know" was wrong. */
  confirmation_failed: 403,
  /** The team invitation is unknown, used, revoked or expired. */
  invitation_invalid: 404,
  /** The organisation must keep at least one owner. */
  last_owner: 409,
  device_unpaired: 401,
  not_found: 404,
  setup_done: 409,
  setup_token_invalid: 403,
  conflict: 409,
  /** No SMTP_URL on the server: ticket mails can be previewed and exported for a mail merge, not sent. */
  mail_not_configured: 409,
  duplicate_email: 409,
  pairing_code_invalid: 404,
  walk_ins_disabled: 403,
  not_checked_in: 409,
  event_closed: 409,
  event_not_ended: 409,
  event_erased: 409,
  query_too_short: 400,
  /** A language the event does not offer: an event's default outside its languages, a guest's choice outside them. */
  language_not_offered: 400,
  rate_limited: 429,
  internal: 500,
  /** The database cannot be reached: try again after `Retry-After` seconds (a kiosk queues the scan meanwhile). */
  database_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export const errorCodes = Object.keys(errorStatus) as ErrorCode[];

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}
