import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Socket.io messages between API nodes too large for a NOTIFY payload (8,000 bytes): the
 * message is stored here and only its id travels in the NOTIFY. Rows are read once per
 * node and deleted after a short while by whichever node sweeps first.
 */
export const socketIoAttachments = pgTable('socket_io_attachments', {
  id: bigserial('id', { mode: 'bigint' }).primaryKey(),
  /** The encoded message (JSON, binary parts in base64). */
  payload: text('payload').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Which API node runs live matching: one row, held by `owner` until `expires_at`. The owner
 * renews it every few seconds; when it lapses (the owner died, froze or lost the database)
 * another node takes it, and `fence` goes up by one. The owner writes suggestion lists only
 * inside a transaction that finds the row still at its own fence, so a former owner that
 * thaws cannot write stale lists over the new owner's.
 */
export const matchingLease = pgTable(
  'matching_lease',
  {
    id: integer('id').primaryKey(),
    owner: text('owner').notNull(),
    fence: bigint('fence', { mode: 'number' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [check('matching_lease_one_row', sql`${t.id} = 1`)],
);
