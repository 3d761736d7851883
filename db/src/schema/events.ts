import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { EventSettings } from '@edgewise/shared';
import { organisers } from './organisers';

export const events = pgTable(
  'events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    venue: text('venue').notNull().default(''),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    timeZone: text('time_zone').notNull(),
    status: text('status', { enum: ['draft', 'open', 'closed'] }).notNull().default('draft'),
    settings: jsonb('settings').$type<EventSettings>().notNull(),
    /** The languages the event speaks (codes such as 'ja'), the default first among equals. */
    languages: text('languages').array().notNull().default(sql`'{en}'::text[]`),
    /** What the big screen shows and what anyone who chose no language reads. */
    defaultLanguage: text('default_language').notNull().default('en'),
    /** When the organiser erased the event's personal data (attendees and all that hangs off them). */
    erasedAt: timestamp('erased_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => organisers.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('events_status_check', sql`${t.status} in ('draft', 'open', 'closed')`),
    check('events_times_check', sql`${t.endsAt} > ${t.startsAt}`),
    check('events_languages_check', sql`cardinality(${t.languages}) >= 1 and ${t.defaultLanguage} = any(${t.languages})`),
  ],
);

/**
 * Which events an organiser or door-staff member works on (owners see every event without
 * rows here).
 */
export const eventAccess = pgTable(
  'event_access',
  {
    organiserId: uuid('organiser_id')
      .notNull()
      .references(() => organisers.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.organiserId, t.eventId] }), index('event_access_event_idx').on(t.eventId)],
);

