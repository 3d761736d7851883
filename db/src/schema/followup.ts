import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { attendees } from './attendees';
import { events } from './events';
import { mailClaimColumns } from './mailClaim';
import { organisers } from './organisers';

/**
 * An introduction made by an organiser (from the edges list) or by a host (from their
 * phone) between two attendees. It also makes the pair mutual in `suggestions`, so it
 * counts like a mutual suggestion everywhere (lists, contacts, follow-up); this row keeps
 * who made it and the short message both people see.
 */
export const introductions = pgTable(
  'introductions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    aId: uuid('a_id')
      .notNull()
      .references(() => attendees.id, { onDelete: 'cascade' }),
    bId: uuid('b_id')
      .notNull()
      .references(() => attendees.id, { onDelete: 'cascade' }),
    /** Exactly one of the two: the organiser or the host attendee who made it. */
    byOrganiserId: uuid('by_organiser_id').references(() => organisers.id, { onDelete: 'set null' }),
    byAttendeeId: uuid('by_attendee_id').references(() => attendees.id, { onDelete: 'set null' }),
    byName: text('by_name').notNull(),
    message: text('message').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('introductions_event_idx').on(t.eventId, t.createdAt),
    index('introductions_a_idx').on(t.aId),
    index('introductions_b_idx').on(t.bId),
    check('introductions_not_self', sql`${t.aId} <> ${t.bId}`),
  ],
);

/**
 * One follow-up mail per attendee per event. The row is the claim: whoever inserts or
 * locks it sends, so a restart or a second node never sends twice. A failed send stays
 * `failed` with its error and a time for the next attempt.
 */
export const followups = pgTable(
  'followups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    attendeeId: uuid('attendee_id')
      .notNull()
      .references(() => attendees.id, { onDelete: 'cascade' }),
    /** Status: pending | sending | sent | failed | skipped */
    ...mailClaimColumns('pending'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('followups_attendee_unique').on(t.attendeeId),
    index('followups_event_idx').on(t.eventId, t.status),
    check('followups_status_check', sql`${t.status} in ('pending', 'sending', 'sent', 'failed', 'skipped')`),
  ],
);
