import { and, asc, desc, eq, gt, inArray, isNull } from 'drizzle-orm';
import { eventAccess, events, organisers, teamInvitations, type Db } from '@edgewise/db';
import type { PendingInvitation, TeamMember } from '@edgewise/shared';
import { AppError } from '../../http/errors';

/** Every member, owners first, with the events each works on. */
export async function teamMembers(db: Db): Promise<TeamMember[]> {
  const rows = await db.select().from(organisers).orderBy(asc(organisers.createdAt), asc(organisers.email));
  const access = await db.select({ organiserId: eventAccess.organiserId, eventId: eventAccess.eventId }).from(eventAccess);
  const byMember = new Map<string, string[]>();
  for (const a of access) byMember.set(a.organiserId, [...(byMember.get(a.organiserId) ?? []), a.eventId]);
  const rank = { owner: 0, organiser: 1, door: 2 } as const;
  return rows
    .map((r) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      role: r.role,
      eventIds: r.role === 'owner' ? [] : (byMember.get(r.id) ?? []),
      createdAt: r.createdAt.toISOString(),
    }))
    .sort((a, b) => rank[a.role] - rank[b.role]);
}

export async function pendingInvitations(db: Db, now: number): Promise<PendingInvitation[]> {
  const rows = await db
    .select({ invitation: teamInvitations, inviter: organisers.name })
    .from(teamInvitations)
    .leftJoin(organisers, eq(organisers.id, teamInvitations.invitedBy))
    .where(and(isNull(teamInvitations.usedAt), isNull(teamInvitations.revokedAt), gt(teamInvitations.expiresAt, new Date(now))))
    .orderBy(desc(teamInvitations.createdAt));
  return rows.map(({ invitation: i, inviter }) => ({
    id: i.id,
    email: i.email,
    role: i.role,
    eventIds: i.eventIds,
    invitedBy: inviter ?? '',
    createdAt: i.createdAt.toISOString(),
    expiresAt: i.expiresAt.toISOString(),
  }));
}

/** The ids among these that are events still. */
export async function existingEvents(db: Db, eventIds: readonly string[]): Promise<string[]> {
  if (eventIds.length === 0) return [];
  const found = await db.select({ id: events.id }).from(events).where(inArray(events.id, [...eventIds]));
  return found.map((e) => e.id);
}

/** Throws a field error naming the ids that are no event of ours. */
export async function checkEventsExist(db: Db, eventIds: readonly string[]): Promise<void> {
  const known = new Set(await existingEvents(db, eventIds));
  const unknown = eventIds.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new AppError('validation_failed', 'Some of these events do not exist (any more): reload and choose again.', [
      { path: 'eventIds', message: `no such event: ${unknown.join(', ')}`, code: 'unknown_event' },
    ]);
  }
}

/** Replaces a member's event list; returns the events they gained and lost. */
export async function setEventAccess(db: Db, organiserId: string, eventIds: readonly string[], now: number) {
  const current = (await db.select({ eventId: eventAccess.eventId }).from(eventAccess).where(eq(eventAccess.organiserId, organiserId))).map((r) => r.eventId);
  const wanted = new Set(eventIds);
  const lost = current.filter((id) => !wanted.has(id));
  const gained = [...wanted].filter((id) => !current.includes(id));
  if (lost.length > 0) await db.delete(eventAccess).where(and(eq(eventAccess.organiserId, organiserId), inArray(eventAccess.eventId, lost)));
  if (gained.length > 0) {
    await db
      .insert(eventAccess)
      .values(gained.map((eventId) => ({ organiserId, eventId, grantedAt: new Date(now) })))
      .onConflictDoNothing();
  }
  return { gained, lost };
}

/** Locks every owner's row: two owners demoting each other at once cannot leave none. */
export async function lockOwners(db: Db): Promise<string[]> {
  const rows = await db.select({ id: organisers.id }).from(organisers).where(eq(organisers.role, 'owner')).for('update');
  return rows.map((r) => r.id);
}
