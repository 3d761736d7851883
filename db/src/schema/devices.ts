import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { events } from './events';
import { organisers } from './organisers';

export const devices = pgTable(
  'devices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['kiosk', 'screen'] }).notNull(),
    name: text('name').notNull(),
    /** SHA-256 of the device's bearer token. */
    tokenHash: text('token_hash').notNull().unique(),
    pairedAt: timestamp('paired_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    /** Scans waiting in the kiosk's offline queue, as it last reported. */
    queueLength: integer('queue_length').notNull().default(0),
    /**
     * A member of staff stands by this kiosk: name search checks guests in without asking
     * them to confirm something only they know.
     */
    staffed: boolean('staffed').notNull().default(false),
    /** What a kiosk's scans record: entries, exits, or either (a big in/out toggle on the kiosk). */
    mode: text('mode', { enum: ['entry', 'exit', 'both'] }).notNull().default('entry'),
    /** When the kiosk last went offline (its socket dropped), for the dashboard's "offline since". */
    offlineSince: timestamp('offline_since', { withTimezone: true }),
    unpairedAt: timestamp('unpaired_at', { withTimezone: true }),
  },
  (t) => [
    index('devices_event_idx').on(t.eventId),
    check('devices_kind_check', sql`${t.kind} in ('kiosk', 'screen')`),
    check('devices_mode_check', sql`${t.mode} in ('entry', 'exit', 'both')`),
  ],
);

export const pairingCodes = pgTable(
  'pairing_codes',
  {
    code: text('code').primaryKey(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['kiosk', 'screen'] }).notNull(),
    name: text('name').notNull(),
    createdBy: uuid('created_by').references(() => organisers.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [check('pairing_codes_kind_check', sql`${t.kind} in ('kiosk', 'screen')`)],
);
