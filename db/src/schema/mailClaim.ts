import { integer, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The columns that make a row its mail's claim (follow-ups, ticket mails): the outbox in
 * `api/src/features/mail/outbox.ts` claims, sends and records through exactly these, so
 * each table takes them from here. `waiting` is the status a new row starts in.
 */
export const mailClaimColumns = (waiting: string) => ({
  status: text('status').notNull().default(waiting),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  messageId: text('message_id'),
});
