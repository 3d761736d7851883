import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { attendees } from './attendees';
import { devices } from './devices';
import { events } from './events';
import { organisers } from './organisers';

/**
 * The append-only scan log. Presence is derived from it; refused scans are logged too.
 * `nonce` is the kiosk's idempotency key: one row per nonce, whatever the retries.
 */
export const checkins = pgTable(
  'checkins',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    attendeeId: uuid('attendee_id').references(() => attendees.id, { onDelete: 'cascade' }),
    deviceId: uuid('device_id').references(() => devices.id, { onDelete: 'set null' }),
    /** The organiser who checked the guest in or out from the guest list (method `organiser`). */
    organiserId: uuid('organiser_id').references(() => organisers.id, { onDelete: 'set null' }),
    nonce: text('nonce').notNull().unique(),
    type: text('type', { enum: ['entry', 'exit'] }).notNull(),
    method: text('method').notNull(),
    status: text('status').notNull(),
    reason: text('reason').notNull(),
    /** When the kiosk saw the ticket (its own clock; may be long before an offline upload). */
    scannedAt: timestamp('scanned_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** Out-of-order upload that disagrees with the log: for the organiser to look at. */
    flagged: boolean('flagged').notNull().default(false),
    /** Whether the scan changed presence (accepted entry or exit). */
    effective: boolean('effective').notNull().default(false),
  },
  (t) => [
    index('checkins_event_idx').on(t.eventId, t.receivedAt),
    index('checkins_attendee_idx').on(t.attendeeId, t.scannedAt),
    check('checkins_type_check', sql`${t.type} in ('entry', 'exit')`),
  ],
);
