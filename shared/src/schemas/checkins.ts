import { z } from 'zod';
import { Id } from './common';

export const CheckinType = z.enum(['entry', 'exit']);
export type CheckinType = z.infer<typeof CheckinType>;

export const CheckinMethod = z.enum(['qr_camera', 'qr_keyboard', 'name_search', 'walk_in']);
export type CheckinMethod = z.infer<typeof CheckinMethod>;

/**
 * How a log row came about beyond a kiosk's scans: an organiser's check-in or -out from the
 * guest list, the guest's own "I'm heading out", the event's close checking everyone out.
 */
export const PresenceMethod = z.enum(['organiser', 'self', 'event_close']);
export type PresenceMethod = z.infer<typeof PresenceMethod>;

const Nonce = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'must be 8 to 100 URL-safe characters');

/**
 * One scan from a kiosk. `token` is the scanned QR text (the secret or a link carrying it);
 * `attendeeId` replaces it for check-in by name search.
 */
export const CheckinBody = z
  .object({
    token: z.string().min(1).max(512).optional(),
    attendeeId: Id.optional(),
    nonce: Nonce,
    type: CheckinType.default('entry'),
    scannedAt: z.iso.datetime({ offset: true }),
    method: CheckinMethod.optional(),
    /**
     * Name search at an unattended kiosk: what the guest typed to show it is them (the first
     * three letters of their email's domain). Ignored for ticket scans and at staffed kiosks.
     */
    confirmation: z.string().max(64).optional(),
    /**
     * A scan uploaded after an outage: what the kiosk told the guest while offline, decided
     * from its check-in list. The server decides again; a different answer is flagged.
     */
    offlineStatus: z.lazy(() => CheckinStatus).optional(),
  })
  .refine((b) => (b.token === undefined) !== (b.attendeeId === undefined), {
    message: 'send exactly one of token or attendeeId',
    path: ['token'],
  });
export type CheckinBody = z.input<typeof CheckinBody>;

/** Every outcome a scan can have. The first three are accepted scans; the rest are refusals. */
export const CheckinStatus = z.enum([
  'ok',
  'already_checked_in',
  'not_checked_in',
  'unknown_token',
  'revoked',
  'wrong_event',
  'event_closed',
  'event_not_open',
  /** Name search at an unattended kiosk: ask the guest to confirm, then send the scan again. */
  'confirmation_required',
  /** The confirmation was wrong, cannot be given (no email on file) or was tried too often. */
  'confirmation_failed',
]);
export type CheckinStatus = z.infer<typeof CheckinStatus>;

/** The finer reason: why it was ok (first entry, re-entry, exit) or why refused. */
export const CheckinReason = z.enum([
  'first_entry',
  're_entry',
  'exit',
  'already_present',
  'not_present',
  'unknown_token',
  'revoked',
  'wrong_event',
  'event_closed',
  'event_not_open',
  'confirmation_required',
  'confirmation_failed',
  /** The guest has no email on file, so the kiosk cannot ask: they go to the desk. */
  'confirmation_unavailable',
  /** Too many wrong answers for this guest at this kiosk: they go to the desk. */
  'confirmation_locked',
]);
export type CheckinReason = z.infer<typeof CheckinReason>;

export const CheckinOutcome = z.object({
  status: CheckinStatus,
  reason: CheckinReason,
  message: z.string(),
  checkinId: Id,
  nonce: z.string(),
  type: CheckinType,
  scannedAt: z.string(),
  receivedAt: z.string(),
  /** True when this answer repeats the outcome of an earlier request with the same nonce. */
  replayed: z.boolean(),
  /** Set when the scan arrived out of order (an offline upload) and disagrees with the log. */
  flagged: z.boolean(),
  attendee: z
    .object({
      id: Id,
      name: z.string(),
      firstTime: z.boolean(),
      hasIntent: z.boolean(),
    })
    .nullable(),
});
export type CheckinOutcome = z.infer<typeof CheckinOutcome>;

export const CheckinLogEntry = z.object({
  id: Id,
  attendeeId: Id.nullable(),
  attendeeName: z.string().nullable(),
  deviceName: z.string().nullable(),
  /** The organiser who checked the guest in or out from the guest list (method 'organiser'). */
  organiserName: z.string().nullable(),
  type: CheckinType,
  method: z.string(),
  status: CheckinStatus,
  reason: CheckinReason,
  scannedAt: z.string(),
  receivedAt: z.string(),
  flagged: z.boolean(),
});
export type CheckinLogEntry = z.infer<typeof CheckinLogEntry>;

/** The organiser's view of the scan log: newest arrivals first, optionally only flagged ones. */
export const CheckinLogQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  flagged: z.enum(['true', 'false']).optional(),
});
