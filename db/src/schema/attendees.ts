import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { events } from './events';

export const attendees = pgTable(
  'attendees',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Stored lower-cased, so uniqueness per event is case-insensitive. */
    email: text('email'),
    company: text('company').notNull().default(''),
    role: text('role').notNull().default(''),
    firstTime: boolean('first_time').notNull().default(false),
    host: boolean('host').notNull().default(false),
    /** Out of matching: gets no suggestions and appears in nobody's list. */
    matchingOptOut: boolean('matching_opt_out').notNull().default(false),
    /** The language they chose (kiosk, /me): their pages and mails; null reads the event's default. */
    language: text('language'),
    /**
     * The last sign of life besides a scan (their phone's socket, an answer, a tap on /me):
     * with the event's "away after N minutes", presence tells present from away.
     */
    lastSignAt: timestamp('last_sign_at', { withTimezone: true }),
    source: text('source', { enum: ['guest_list', 'manual', 'walk_in', 'demo'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('attendees_event_email_unique').on(t.eventId, t.email),
    index('attendees_event_idx').on(t.eventId),
    check('attendees_source_check', sql`${t.source} in ('guest_list', 'manual', 'walk_in', 'demo')`),
  ],
);

export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    attendeeId: uuid('attendee_id')
      .notNull()
      .references(() => attendees.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    secret: text('secret').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    index('tickets_attendee_idx').on(t.attendeeId),
    // At most one live ticket per attendee: reissuing revokes the old one first.
    uniqueIndex('tickets_one_live_idx').on(t.attendeeId).where(sql`${t.revokedAt} is null`),
  ],
);
