import { sql } from 'drizzle-orm';
import { check, customType, index, integer, pgTable, real, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { attendees } from './attendees';
import { devices } from './devices';
import { events } from './events';

/** Raw bytes: PGlite hands back a Uint8Array, postgres.js a Buffer; both become a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

/**
 * An attendee's own photo, as the server re-encoded it (a small JPEG without metadata). It
 * lives in the database, so it goes with the attendee and with the event's erasure, and
 * every node serves it. `id` is new at each upload: an old address stops working.
 */
export const attendeePhotos = pgTable(
  'attendee_photos',
  {
    attendeeId: uuid('attendee_id')
      .primaryKey()
      .references(() => attendees.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    jpeg: bytea('jpeg').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('attendee_photos_id_unique').on(t.id), index('attendee_photos_event_idx').on(t.eventId)],
);

/** "Where I am": a short line an attendee writes for the people they are mutual with. */
export const whereIAm = pgTable(
  'where_i_am',
  {
    attendeeId: uuid('attendee_id')
      .primaryKey()
      .references(() => attendees.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    writtenAt: timestamp('written_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('where_i_am_text_length', sql`char_length(${t.text}) between 1 and 120`)],
);

/** A spot in the venue the organiser named, where pairs are sent to meet. */
export const meetingPoints = pgTable(
  'meeting_points',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    /** The part of the venue it is in ("Ground floor", "Hall B"): pairs are sent to a spot near where they are. */
    zone: text('zone'),
    /** Where it is on the event's floor plan, as fractions of the plan's width and height (both or neither). */
    pinX: real('pin_x'),
    pinY: real('pin_y'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('meeting_points_event_idx').on(t.eventId, t.position),
    check('meeting_points_name_length', sql`char_length(${t.name}) between 1 and 80`),
    check('meeting_points_zone_length', sql`${t.zone} is null or char_length(${t.zone}) between 1 and 40`),
    check(
      'meeting_points_pin',
      sql`(${t.pinX} is null and ${t.pinY} is null) or (${t.pinX} between 0 and 1 and ${t.pinY} between 0 and 1)`,
    ),
  ],
);

/**
 * The event's floor plan, as the server re-encoded it (at most 2000 px, no metadata). One per
 * event; `id` is new at each upload, so the address phones fetch it at changes with it.
 */
export const floorPlans = pgTable(
  'floor_plans',
  {
    eventId: uuid('event_id')
      .primaryKey()
      .references(() => events.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    image: bytea('image').notNull(),
    contentType: text('content_type').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('floor_plans_content_type', sql`${t.contentType} in ('image/jpeg', 'image/png')`)],
);

/** Where a kiosk stands on the event's floor plan: pairs it checked in are sent to the spots nearest it. */
export const kioskPins = pgTable(
  'kiosk_pins',
  {
    deviceId: uuid('device_id')
      .primaryKey()
      .references(() => devices.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    x: real('x').notNull(),
    y: real('y').notNull(),
  },
  (t) => [index('kiosk_pins_event_idx').on(t.eventId), check('kiosk_pins_range', sql`${t.x} between 0 and 1 and ${t.y} between 0 and 1`)],
);

/** The zone a kiosk stands in: someone it checked in was last seen there. */
export const kioskZones = pgTable(
  'kiosk_zones',
  {
    deviceId: uuid('device_id')
      .primaryKey()
      .references(() => devices.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    zone: text('zone').notNull(),
  },
  (t) => [index('kiosk_zones_event_idx').on(t.eventId), check('kiosk_zones_zone_length', sql`char_length(${t.zone}) between 1 and 40`)],
);

/**
 * Where and when the two people of a mutual pair (or an introduction) meet: one row per
 * pair, `a_id < b_id`. The spot is proposed by the server (the least busy one) and either
 * person may pick another; each says "I'm on my way" once.
 */
export const pairMeetings = pgTable(
  'pair_meetings',
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
    /** Null when the event has no meeting points (or the spot was removed). */
    meetingPointId: uuid('meeting_point_id').references(() => meetingPoints.id, { onDelete: 'set null' }),
    meetAt: timestamp('meet_at', { withTimezone: true }).notNull(),
    /** Who picked the spot; null while it is the server's proposal. */
    pickedBy: uuid('picked_by').references(() => attendees.id, { onDelete: 'set null' }),
    aOnWayAt: timestamp('a_on_way_at', { withTimezone: true }),
    bOnWayAt: timestamp('b_on_way_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('pair_meetings_pair_unique').on(t.aId, t.bId),
    index('pair_meetings_event_idx').on(t.eventId, t.meetAt),
    check('pair_meetings_ordered', sql`${t.aId} < ${t.bId}`),
  ],
);
