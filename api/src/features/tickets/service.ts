import { and, eq, isNull, type SQL } from 'drizzle-orm';
import { attendees, tickets, type Db } from '@edgewise/db';
import { ticketUrl, type TicketInfo } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import type { OrganiserAuth } from '../../http/auth';
import { AppError } from '../../http/errors';
import { actorOf, recordAudit } from '../audit/record';
import { dropSockets, endAllSessionsIn } from '../me/credentials';
import { compareNames, guestListChanged, requireAttendee, requireEvent, TICKET_SECRET_BYTES } from '../attendees/service';
import { renderBadgesPage, type Badge } from './badges';
import { qrSvg } from './qr';

export type TicketRow = typeof tickets.$inferSelect;

export function toTicketInfo(publicUrl: string, row: Pick<TicketRow, 'attendeeId' | 'secret' | 'createdAt'>): TicketInfo {
  return { attendeeId: row.attendeeId, secret: row.secret, url: ticketUrl(publicUrl, row.secret), issuedAt: row.createdAt.toISOString() };
}

/** The attendee's one live ticket; `not_found` for an unknown attendee or a revoked ticket. */
export async function liveTicket(db: Db, eventId: string, attendeeId: string): Promise<TicketRow> {
  await requireAttendee(db, eventId, attendeeId);
  const [row] = await db
    .select()
    .from(tickets)
    .where(and(eq(tickets.attendeeId, attendeeId), isNull(tickets.revokedAt)))
    .limit(1);
  if (!row) throw new AppError('not_found', 'no live ticket: reissue one');
  return row;
}

export async function getTicket(ctx: FeatureContext, eventId: string, attendeeId: string): Promise<TicketInfo> {
  return toTicketInfo(ctx.deps.publicUrl, await liveTicket(ctx.deps.database.db, eventId, attendeeId));
}

/**
 * Revokes the live ticket (if any) and issues a new one, atomically: a lost or forwarded
 * QR stops working the moment the new one exists, and every session of the guest ends with
 * it (whoever held the old ticket may have reached their page). Locking the attendee row
 * makes two concurrent reissues queue instead of racing for the one-live-ticket index.
 */
export async function reissueTicket(ctx: FeatureContext, auth: OrganiserAuth, eventId: string, attendeeId: string): Promise<TicketInfo> {
  const { deps } = ctx;
  const row = await deps.database.db.transaction(async (tx) => {
    const attendee = await requireAttendee(tx, eventId, attendeeId, true);
    const at = new Date(deps.now());
    await endAllSessionsIn(tx, [attendeeId]);
    await recordAudit(tx, at.getTime(), actorOf(auth), { action: 'ticket.reissue', eventId, target: { kind: 'attendee', id: attendeeId, name: attendee.name } });
    await tx
      .update(tickets)
      .set({ revokedAt: at })
      .where(and(eq(tickets.attendeeId, attendeeId), isNull(tickets.revokedAt)));
    const [issued] = await tx
      .insert(tickets)
      .values({ attendeeId, eventId, secret: deps.randomToken(TICKET_SECRET_BYTES), createdAt: at })
      .returning();
    if (!issued) throw new Error('ticket insert returned nothing');
    return issued;
  });
  dropSockets(ctx, [attendeeId]);
  guestListChanged(ctx, eventId);
  return toTicketInfo(deps.publicUrl, row);
}

/**
 * Revokes the live ticket and ends every session of the guest. Revoking twice is harmless:
 * the second call finds nothing live, changes nothing and logs nothing.
 */
export async function revokeTicket(ctx: FeatureContext, auth: OrganiserAuth, eventId: string, attendeeId: string): Promise<void> {
  const { deps } = ctx;
  const revoked = await deps.database.db.transaction(async (tx) => {
    const attendee = await requireAttendee(tx, eventId, attendeeId, true);
    const now = deps.now();
    const rows = await tx
      .update(tickets)
      .set({ revokedAt: new Date(now) })
      .where(and(eq(tickets.attendeeId, attendeeId), isNull(tickets.revokedAt)))
      .returning({ id: tickets.id });
    if (rows.length > 0) {
      await endAllSessionsIn(tx, [attendeeId]);
      await recordAudit(tx, now, actorOf(auth), { action: 'ticket.revoke', eventId, target: { kind: 'attendee', id: attendeeId, name: attendee.name } });
    }
    return rows;
  });
  if (revoked.length === 0) return;
  dropSockets(ctx, [attendeeId]);
  guestListChanged(ctx, eventId);
}

/**
 * The print-ready badge sheet for everyone with a live ticket (or one attendee). A
 * revoked ticket prints no badge: its QR would only be refused at the door.
 */
export async function badgesPage(ctx: FeatureContext, eventId: string, attendeeId?: string): Promise<string> {
  const { deps } = ctx;
  const db = deps.database.db;
  const event = await requireEvent(db, eventId);
  const filters: SQL[] = [eq(attendees.eventId, eventId)];
  if (attendeeId) {
    await liveTicket(db, eventId, attendeeId);
    filters.push(eq(attendees.id, attendeeId));
  }
  const rows = await db
    .select({ attendee: attendees, secret: tickets.secret })
    .from(attendees)
    .innerJoin(tickets, and(eq(tickets.attendeeId, attendees.id), isNull(tickets.revokedAt)))
    .where(and(...filters));
  rows.sort((a, b) => compareNames(a.attendee, b.attendee));
  const badges: Badge[] = [];
  for (const { attendee, secret } of rows) {
    badges.push({
      name: attendee.name,
      company: attendee.company,
      role: attendee.role,
      firstTime: attendee.firstTime,
      qrSvg: await qrSvg(ticketUrl(deps.publicUrl, secret)),
    });
  }
  return renderBadgesPage({ name: event.name, startsAt: event.startsAt, timeZone: event.timeZone, venue: event.venue }, badges);
}
