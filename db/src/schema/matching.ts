import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, primaryKey, real, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { attendees } from './attendees';
import { checkins } from './checkins';
import { devices } from './devices';
import { events } from './events';

/** A reason as the engine made it: structured, with its rendered text. */
export interface StoredReason {
  kind: string;
  text: string;
  [key: string]: unknown;
}

/**
 * A proposal that `attendee` meets `target`, one row per direction, kept as history.
 * `answer` is the viewer's own yes/no; the pair's state (mutual, met, declined) is the same
 * on both rows of a pair. A suggestion that leaves a list is `expired`, not deleted.
 */
export const suggestions = pgTable(
  'suggestions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    attendeeId: uuid('attendee_id')
      .notNull()
      .references(() => attendees.id, { onDelete: 'cascade' }),
    targetId: uuid('target_id')
      .notNull()
      .references(() => attendees.id, { onDelete: 'cascade' }),
    score: real('score').notNull(),
    reasons: jsonb('reasons').$type<StoredReason[]>().notNull(),
    /** proposed | accepted_by_one | mutual | declined | met | expired */
    state: text('state').notNull().default('proposed'),
    /** This viewer's answer: null until they answer. */
    answer: text('answer'),
    /** Still in the viewer's current list (expired rows and answered history stay). */
    listed: boolean('listed').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    mutualAt: timestamp('mutual_at', { withTimezone: true }),
    metAt: timestamp('met_at', { withTimezone: true }),
    expiredAt: timestamp('expired_at', { withTimezone: true }),
    /** When this viewer, mutual with someone who shared nothing, asked them to share (once). */
    shareAskedAt: timestamp('share_asked_at', { withTimezone: true }),
  },
  (t) => [
    unique('suggestions_pair_direction_unique').on(t.attendeeId, t.targetId),
    index('suggestions_event_idx').on(t.eventId, t.state),
    index('suggestions_target_idx').on(t.targetId),
    check('suggestions_not_self', sql`${t.attendeeId} <> ${t.targetId}`),
    check(
      'suggestions_state_check',
      sql`${t.state} in ('proposed', 'accepted_by_one', 'mutual', 'declined', 'met', 'expired')`,
    ),
    check('suggestions_answer_check', sql`${t.answer} is null or ${t.answer} in ('yes', 'no')`),
  ],
);

/** An attendee's private note about another person: only its author ever sees it. */
export const notes = pgTable(
  'notes',
  {
    attendeeId: uuid('attendee_id')
      .notNull()
      .references(() => attendees.id, { onDelete: 'cascade' }),
    aboutId: uuid('about_id')
      .notNull()
      .references(() => attendees.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.attendeeId, t.aboutId] })],
);

/**
 * What an attendee agrees to hand over when a match is mutual. Nothing is shared by
 * default; the email is the registered one, shared only if `shareEmail`.
 */
export const contactCards = pgTable('contact_cards', {
  attendeeId: uuid('attendee_id')
    .primaryKey()
    .references(() => attendees.id, { onDelete: 'cascade' }),
  shareEmail: boolean('share_email').notNull().default(false),
  phone: text('phone').notNull().default(''),
  link: text('link').notNull().default(''),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Who knows whom already (from the guest list or stated later): introductions come from here. */
export const acquaintances = pgTable(
  'acquaintances',
  {
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    attendeeId: uuid('attendee_id')
      .notNull()
      .references(() => attendees.id, { onDelete: 'cascade' }),
    knowsId: uuid('knows_id')
      .notNull()
      .references(() => attendees.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.attendeeId, t.knowsId] }), index('acquaintances_event_idx').on(t.eventId)],
);

/**
 * An attendee's own session on their phone (bearer token, stored hashed). Started only from
 * a one-time link: the kiosk's phone link or a sign-in link mailed to the guest.
 */
export const attendeeSessions = pgTable(
  'attendee_sessions',
  {
    id: text('id').primaryKey(),
    attendeeId: uuid('attendee_id')
      .notNull()
      .references(() => attendees.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('attendee_sessions_attendee_idx').on(t.attendeeId)],
);

/**
 * One-time links that start an attendee session: `kiosk`, the "continue on your phone" QR a
 * kiosk shows the guest whose scan it just accepted (at most one per accepted check-in);
 * `mail`, a personal sign-in link sent to the guest's registered address.
 */
export const phoneLinks = pgTable(
  'phone_links',
  {
    /** SHA-256 of the one-time code. */
    id: text('id').primaryKey(),
    attendeeId: uuid('attendee_id')
      .notNull()
      .references(() => attendees.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['kiosk', 'mail'] }).notNull().default('kiosk'),
    deviceId: uuid('device_id').references(() => devices.id, { onDelete: 'set null' }),
    /** The accepted scan or walk-in this kiosk link was issued for: one link per check-in. */
    checkinId: uuid('checkin_id')
      .unique('phone_links_checkin_unique')
      .references(() => checkins.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('phone_links_attendee_idx').on(t.attendeeId), check('phone_links_kind_check', sql`${t.kind} in ('kiosk', 'mail')`)],
);
