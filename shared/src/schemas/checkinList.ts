import { z } from 'zod';
import { Id } from './common';
import { CheckinReason, CheckinStatus, CheckinType } from './checkins';
import { EventStatus } from './events';

/**
 * The event's check-in list as an offline kiosk keeps it: enough to decide a scan with the
 * server's own rules and greet the guest by first name, and nothing more (no secrets, no
 * surnames, no emails).
 */
export const CheckinListQuery = z.object({
  /** The `cursor` of the last list this kiosk holds: only what changed since comes back. */
  since: z.iso.datetime({ offset: true }).optional(),
});

export const CheckinListTicket = z.object({
  /** HMAC-SHA256 of the ticket secret, keyed per event (see `ticketDigester`). */
  digest: z.string(),
  attendeeId: Id,
  firstName: z.string(),
  revoked: z.boolean(),
});
export type CheckinListTicket = z.infer<typeof CheckinListTicket>;

/** An attendee's latest accepted scan: who is in now, and since when. */
export const CheckinListPresence = z.object({
  attendeeId: Id,
  type: CheckinType,
  scannedAt: z.string(),
  receivedAt: z.string(),
});
export type CheckinListPresence = z.infer<typeof CheckinListPresence>;

/** A scan of this kiosk the organiser will look at: shown to staff on the kiosk. */
export const CheckinListFlag = z.object({
  nonce: z.string(),
  checkinId: Id,
  status: CheckinStatus,
  reason: CheckinReason,
  firstName: z.string().nullable(),
  scannedAt: z.string(),
});
export type CheckinListFlag = z.infer<typeof CheckinListFlag>;

export const CheckinList = z.object({
  eventId: Id,
  eventStatus: EventStatus,
  /** True when this is the whole list (no `since`, or too old a one); false for changes only. */
  full: z.boolean(),
  /** Send it back as `since` for the next refresh. */
  cursor: z.string(),
  tickets: z.array(CheckinListTicket),
  presence: z.array(CheckinListPresence),
  /** This kiosk's flagged scans, every time (they are few): the kiosk shows staff the ones it has not shown. */
  flags: z.array(CheckinListFlag),
});
export type CheckinList = z.infer<typeof CheckinList>;
