import { and, desc, eq, gt, isNotNull, or, sql } from 'drizzle-orm';
import { attendees, checkins, events, rowsOf, tickets, type Db } from '@edgewise/db';
import { CheckinList, CheckinListQuery, EventIdParams, firstName, ticketDigester, type CheckinListFlag, type CheckinListPresence } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import type { Registrar } from '../../http/route';
import { AppError } from '../../http/errors';

/**
 * The check-in list an offline kiosk decides with (DESIGN "Offline kiosk"): ticket digests,
 * first names, revocations, who is in, and the kiosk's own flagged scans. A `since` cursor
 * asks for what changed after it. Deleted guests do not show up in a change list: the kiosk
 * takes a full list now and then (see the client's refresh).
 */

/** A row committed just after the cursor was taken may carry an earlier received time: send a little twice. */
const CURSOR_OVERLAP_MS = 30_000;
const MAX_FLAGS = 200;

export function registerCheckinListRoutes(r: Registrar, ctx: FeatureContext) {
  r.add(
    {
      method: 'get',
      path: '/events/:eventId/kiosk/checkin-list',
      summary:
        "The event's check-in list for an offline kiosk: ticket digests (HMAC-SHA256 keyed per event, never secrets), first names, revocations, who is in, this kiosk's flagged scans; since=<cursor> for changes only",
      tag: 'Check-in',
      auth: 'device',
      deviceKinds: ['kiosk'],
      params: EventIdParams,
      query: CheckinListQuery,
      response: CheckinList,
    },
    async ({ params, query, auth }) => checkinList(ctx.deps.database.db, params.eventId, auth.device.id, query.since ? new Date(query.since) : null, ctx.deps.now()),
  );
}

export async function checkinList(db: Db, eventId: string, deviceId: string, since: Date | null, now: number): Promise<CheckinList> {
  const [event] = await db.select({ status: events.status }).from(events).where(eq(events.id, eventId)).limit(1);
  if (!event) throw new AppError('not_found', 'No such event.');
  const sinceIso = since?.toISOString();

  const ticketRows = await db
    .select({ secret: tickets.secret, attendeeId: tickets.attendeeId, name: attendees.name, revokedAt: tickets.revokedAt })
    .from(tickets)
    .innerJoin(attendees, eq(attendees.id, tickets.attendeeId))
    .where(
      and(
        eq(tickets.eventId, eventId),
        sinceIso === undefined
          ? undefined
          : or(
              gt(tickets.createdAt, sql`${sinceIso}::timestamptz`),
              and(isNotNull(tickets.revokedAt), gt(tickets.revokedAt, sql`${sinceIso}::timestamptz`)),
              gt(attendees.updatedAt, sql`${sinceIso}::timestamptz`),
            ),
      ),
    );
  const digest = await ticketDigester(eventId);
  const ticketList = await Promise.all(
    ticketRows.map(async (t) => ({ digest: await digest(t.secret), attendeeId: t.attendeeId, firstName: firstName(t.name), revoked: t.revokedAt !== null })),
  );

  // The latest accepted scan of each attendee whose log changed since the cursor.
  const changed = sinceIso === undefined ? sql`true` : sql`c.attendee_id in (select attendee_id from checkins where event_id = ${eventId} and received_at > ${sinceIso}::timestamptz)`;
  const presenceRows = await db.execute(sql`
    select distinct on (c.attendee_id) c.attendee_id as "attendeeId", c.type, c.scanned_at as "scannedAt", c.received_at as "receivedAt"
    from checkins c
    where c.event_id = ${eventId} and c.effective and c.attendee_id is not null and ${changed}
    order by c.attendee_id, c.scanned_at desc, c.received_at desc, c.id desc`);
  const presence: CheckinListPresence[] = rowsOf<{ attendeeId: string; type: 'entry' | 'exit'; scannedAt: string | Date; receivedAt: string | Date }>(presenceRows).map((p) => ({
    attendeeId: p.attendeeId,
    type: p.type,
    scannedAt: new Date(p.scannedAt).toISOString(),
    receivedAt: new Date(p.receivedAt).toISOString(),
  }));

  const flagRows = await db
    .select({ nonce: checkins.nonce, checkinId: checkins.id, status: checkins.status, reason: checkins.reason, name: attendees.name, scannedAt: checkins.scannedAt })
    .from(checkins)
    .leftJoin(attendees, eq(attendees.id, checkins.attendeeId))
    .where(and(eq(checkins.eventId, eventId), eq(checkins.deviceId, deviceId), eq(checkins.flagged, true)))
    .orderBy(desc(checkins.scannedAt))
    .limit(MAX_FLAGS);
  const flags = flagRows.map((f) => ({
    nonce: f.nonce,
    checkinId: f.checkinId,
    status: f.status as CheckinListFlag['status'],
    reason: f.reason as CheckinListFlag['reason'],
    firstName: f.name === null ? null : firstName(f.name),
    scannedAt: f.scannedAt.toISOString(),
  }));

  return {
    eventId,
    eventStatus: event.status,
    full: since === null,
    cursor: new Date(now - CURSOR_OVERLAP_MS).toISOString(),
    tickets: ticketList,
    presence,
    flags,
  };
}
