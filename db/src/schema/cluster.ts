import { bigserial, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

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
