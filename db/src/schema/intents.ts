import { boolean, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { attendees } from './attendees';
import { events } from './events';

export const intents = pgTable('intents', {
  attendeeId: uuid('attendee_id')
    .primaryKey()
    .references(() => attendees.id, { onDelete: 'cascade' }),
  eventId: uuid('event_id')
    .notNull()
    .references(() => events.id, { onDelete: 'cascade' }),
  seeks: jsonb('seeks').$type<string[]>().notNull(),
  offers: jsonb('offers').$type<string[]>().notNull(),
  interests: jsonb('interests').$type<string[]>().notNull(),
  askMeAbout: text('ask_me_about').notNull().default(''),
  hostOptIn: boolean('host_opt_in').notNull().default(false),
  showOnScreen: boolean('show_on_screen').notNull().default(false),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
