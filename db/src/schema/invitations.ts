import { sql } from 'drizzle-orm';
import { check, index, pgTable, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { attendees, tickets } from './attendees';
import { events } from './events';
import { mailClaimColumns } from './mailClaim';
import { organisers } from './organisers';

/**
 * One ticket mail per attendee (the latest asked for). The row is the claim, as with
 * `followups`: whoever turns it `sending` sends it, so restarts, several nodes and a double
 * click send it once. `ticket_id` is the ticket the mail carried (or will carry), so the
 * dashboard can tell when a reissued ticket has not been sent yet.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    attendeeId: uuid('attendee_id')
      .notNull()
      .references(() => attendees.id, { onDelete: 'cascade' }),
    /** Status: queued | sending | sent | failed */
    ...mailClaimColumns('queued'),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    queuedAt: timestamp('queued_at', { withTimezone: true }).notNull().defaultNow(),
    queuedBy: uuid('queued_by').references(() => organisers.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('invitations_attendee_unique').on(t.attendeeId),
    index('invitations_event_idx').on(t.eventId, t.status),
    index('invitations_due_idx').on(t.status, t.nextAttemptAt),
    check('invitations_status_check', sql`${t.status} in ('queued', 'sending', 'sent', 'failed')`),
  ],
);
