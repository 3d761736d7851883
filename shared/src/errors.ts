/**
 * The closed list of error codes the API answers with, and the HTTP status each maps to.
 * Clients switch on `code`; the message is for people.
 */
export const errorStatus = {
  validation_failed: 400,
  malformed_json: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  csv_encoding: 400,
  csv_malformed: 400,
  csv_has_errors: 422,
  unauthenticated: 401,
  invalid_credentials: 401,
  csrf_failed: 403,
  forbidden: 403,
  wrong_event: 403,
  device_unpaired: 401,
  not_found: 404,
  setup_done: 409,
  setup_token_invalid: 403,
  conflict: 409,
  duplicate_email: 409,
  pairing_code_invalid: 404,
  walk_ins_disabled: 403,
  not_checked_in: 409,
  event_closed: 409,
  event_not_ended: 409,
  event_erased: 409,
  query_too_short: 400,
  rate_limited: 429,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export const errorCodes = Object.keys(errorStatus) as ErrorCode[];

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}
