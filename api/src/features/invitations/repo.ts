import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { attendees, events, invitations, rowsOf, tickets, type Db } from '@edgewise/db';

/** Statuses a ticket mail waits to be sent in (see ../mail/outbox). */
export const invitationWaiting = ['queued', 'failed'] as const;

/** Each guest of the event with their live ticket (if any) and their ticket mail's row (if any). */
export async function invitationRows(db: Db, eventId: string, attendeeId?: string) {
  return db
    .select({
      attendeeId: attendees.id,
      name: attendees.name,
      email: attendees.email,
      language: attendees.language,
      ticketId: tickets.id,
      secret: tickets.secret,
      invitation: invitations,
    })
    .from(attendees)
    .leftJoin(tickets, and(eq(tickets.attendeeId, attendees.id), isNull(tickets.revokedAt)))
    .leftJoin(invitations, eq(invitations.attendeeId, attendees.id))
    .where(and(eq(attendees.eventId, eventId), ...(attendeeId ? [eq(attendees.id, attendeeId)] : [])))
    .orderBy(asc(attendees.id));
}
export type InvitationGuestRow = Awaited<ReturnType<typeof invitationRows>>[number];

/** What a claimed ticket mail needs at send time: the guest, their live ticket and the event. */
export async function mailContext(db: Db, attendeeId: string) {
  const [row] = await db
    .select({
      name: attendees.name,
      email: attendees.email,
      language: attendees.language,
      ticketId: tickets.id,
      secret: tickets.secret,
      event: {
        id: events.id,
        name: events.name,
        startsAt: events.startsAt,
        endsAt: events.endsAt,
        timeZone: events.timeZone,
        venue: events.venue,
        erasedAt: events.erasedAt,
        languages: events.languages,
        defaultLanguage: events.defaultLanguage,
      },
    })
    .from(attendees)
    .innerJoin(events, eq(events.id, attendees.eventId))
    .leftJoin(tickets, and(eq(tickets.attendeeId, attendees.id), isNull(tickets.revokedAt)))
    .where(eq(attendees.id, attendeeId))
    .limit(1);
  return row;
}

export interface QueueOptions {
  eventId: string;
  /** Unset: every guest of the event. */
  attendeeIds?: readonly string[];
  /** Leave out guests whose current ticket was already sent. */
  onlyUnsent: boolean;
  at: Date;
  /** A mail of the same ticket sent after this is not sent again (a double click, two organisers at once). */
  recentAfter: Date;
  organiserId: string | null;
}

/**
 * Queues a ticket mail for each chosen guest who has an email and a live ticket, in one
 * statement. A row already queued or on its way is left as it is (so a second click
 * queues nothing twice), and so is a mail of the same ticket sent moments ago; a failed
 * one is queued afresh. Answers the ids queued now.
 */
export async function queueInvitations(db: Db, o: QueueOptions): Promise<string[]> {
  const at = sql`${o.at.toISOString()}::timestamptz`;
  const ids = o.attendeeIds
    ? sql`and a.id in (${sql.join(
        o.attendeeIds.map((id) => sql`${id}`),
        sql`, `,
      )})`
    : sql``;
  const result = await db.execute(sql`
    insert into ${invitations} as i (event_id, attendee_id, status, attempts, next_attempt_at, ticket_id, queued_at, queued_by, created_at, updated_at)
    select a.event_id, a.id, 'queued', 0, ${at}, t.id, ${at}, ${o.organiserId}, ${at}, ${at}
    from ${attendees} a
    join ${tickets} t on t.attendee_id = a.id and t.revoked_at is null
    where a.event_id = ${o.eventId} and a.email is not null ${ids}
    on conflict (attendee_id) do update
      set status = 'queued', attempts = 0, last_error = null, next_attempt_at = excluded.next_attempt_at,
          ticket_id = excluded.ticket_id, queued_at = excluded.queued_at, queued_by = excluded.queued_by, updated_at = excluded.updated_at
      where i.status not in ('queued', 'sending')
        and not (i.status = 'sent' and i.ticket_id = excluded.ticket_id and i.sent_at > ${o.recentAfter.toISOString()}::timestamptz)
        ${o.onlyUnsent ? sql`and not (i.status = 'sent' and i.ticket_id = excluded.ticket_id)` : sql``}
    returning i.attendee_id
  `);
  return rowsOf<{ attendee_id: string }>(result).map((r) => r.attendee_id);
}

/**
 * The event's ticket-mail counts, and the run in progress: the mails queued since the
 * oldest one still waiting (queued or on its way), and how many of those have ended.
 */
export async function invitationProgress(db: Db, eventId: string) {
  const result = await db.execute(sql`
    with run as (
      select min(queued_at) as since from ${invitations} where event_id = ${eventId} and status in ('queued', 'sending')
    )
    select
      count(*) filter (where i.status = 'queued')::int as queued,
      count(*) filter (where i.status = 'sending')::int as sending,
      count(*) filter (where i.status = 'sent')::int as sent,
      count(*) filter (where i.status = 'failed')::int as failed,
      (select since from run) is not null as running,
      count(*) filter (where i.queued_at >= (select since from run))::int as run_total,
      count(*) filter (where i.queued_at >= (select since from run) and i.status in ('sent', 'failed'))::int as run_done
    from ${invitations} i
    where i.event_id = ${eventId}
  `);
  const [row] = rowsOf<{ queued: number; sending: number; sent: number; failed: number; running: boolean; run_total: number; run_done: number }>(result);
  const n = (v: unknown) => Number(v ?? 0);
  return {
    counts: { queued: n(row?.queued), sending: n(row?.sending), sent: n(row?.sent), failed: n(row?.failed) },
    run: row?.running ? { total: n(row.run_total), done: n(row.run_done) } : null,
  };
}
