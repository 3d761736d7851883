import type { Request } from 'express';
import { and, eq, gt } from 'drizzle-orm';
import { attendeeSessions, attendees, devices, eventAccess, organisers, sessions, type OrganiserRole } from '@edgewise/db';
import { isLanguageCode, type LanguageCode } from '@edgewise/shared';
import type { AppDeps } from '../deps';
import { sha256 } from '../deps';
import { AppError } from './errors';
import { lookupsOf } from './lookups';

export const SESSION_COOKIE = 'ew_session';

export interface OrganiserAuth {
  kind: 'organiser';
  organiser: { id: string; email: string; name: string; role: OrganiserRole };
  sessionId: string;
  csrfToken: string;
  /** The dashboard's language this organiser chose. */
  language: LanguageCode;
}
export interface DeviceAuth {
  kind: 'device';
  device: { id: string; eventId: string; kind: 'kiosk' | 'screen'; name: string };
}
export type AuthContext = OrganiserAuth | DeviceAuth;
/** An attendee on their own phone: sees and changes only their own data. */
export interface AttendeeAuth {
  kind: 'attendee';
  attendee: { id: string; eventId: string; name: string };
  sessionId: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The session cookie as the client sent it. cookie-parser turns a value of the form
 * `j:{...}` into an object: that is no session of ours, and must not reach the hashing.
 */
function sessionCookie(req: Request): string | null {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
  return typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : null;
}

export async function organiserFromRequest(deps: AppDeps, req: Request): Promise<OrganiserAuth | null> {
  const cookie = sessionCookie(req);
  if (!cookie) return null;
  const [row] = await deps.database.db
    .select({ session: sessions, organiser: organisers })
    .from(sessions)
    .innerJoin(organisers, eq(organisers.id, sessions.organiserId))
    .where(and(eq(sessions.id, sha256(cookie)), gt(sessions.expiresAt, new Date(deps.now()))))
    .limit(1);
  if (!row) return null;
  return {
    kind: 'organiser',
    organiser: { id: row.organiser.id, email: row.organiser.email, name: row.organiser.name, role: row.organiser.role },
    sessionId: row.session.id,
    csrfToken: row.session.csrfToken,
    language: isLanguageCode(row.organiser.language) ? row.organiser.language : 'en',
  };
}

/** Cookie-authenticated writes must echo the session's CSRF token in a header. */
export function checkCsrf(req: Request, auth: OrganiserAuth) {
  if (SAFE_METHODS.has(req.method)) return;
  if (req.get('x-csrf-token') !== auth.csrfToken) {
    throw new AppError('csrf_failed', 'Missing or wrong CSRF token: reload the page and try again.');
  }
}

const lastSeenWrites = new Map<string, number>();

/**
 * Forgets the device on this node and every other (after unpairing it, or changing it): its
 * token is looked up in the database again on its next request.
 */
export function forgetDevice(deps: AppDeps, deviceId: string): Promise<void> {
  return lookupsOf(deps).forgetDevice(deviceId);
}

export async function deviceFromRequest(deps: AppDeps, req: Request): Promise<DeviceAuth | null> {
  // Read the raw header: sockets hand over a plain IncomingMessage, which has no `get`.
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(header) : null;
  if (!match?.[1]) return null;
  // A kiosk sends every scan with its token: the paired device comes from memory (http/lookups.ts).
  const device = await lookupsOf(deps).deviceByTokenHash(sha256(match[1]));
  if (!device) throw new AppError('device_unpaired', 'This device is not paired (or was unpaired): pair it again.');
  // Last-seen is for the organiser's eye; one write per device per 10 s is plenty.
  const t = deps.now();
  if ((lastSeenWrites.get(device.id) ?? 0) < t - 10_000) {
    lastSeenWrites.set(device.id, t);
    await deps.database.db.update(devices).set({ lastSeenAt: new Date(t) }).where(eq(devices.id, device.id));
  }
  return { kind: 'device', device: { id: device.id, eventId: device.eventId, kind: device.kind, name: device.name } };
}

const tokenPattern = /^[A-Za-z0-9_-]{20,200}$/;

const bearerToken = (req: Request): string | null => {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/.exec(header) : null;
  return match?.[1] && tokenPattern.test(match[1]) ? match[1] : null;
};

/** The attendee whose live session this token opens, or null. */
export async function attendeeFromToken(deps: AppDeps, token: string): Promise<AttendeeAuth | null> {
  if (!tokenPattern.test(token)) return null;
  const [row] = await deps.database.db
    .select({ sessionId: attendeeSessions.id, id: attendees.id, eventId: attendees.eventId, name: attendees.name })
    .from(attendeeSessions)
    .innerJoin(attendees, eq(attendees.id, attendeeSessions.attendeeId))
    .where(and(eq(attendeeSessions.id, sha256(token)), gt(attendeeSessions.expiresAt, new Date(deps.now()))))
    .limit(1);
  if (!row) return null;
  return { kind: 'attendee', attendee: { id: row.id, eventId: row.eventId, name: row.name }, sessionId: row.sessionId };
}

/** Devices send bearer tokens too: only routes whose auth mode is `attendee` read them as sessions. */
export async function attendeeFromRequest(deps: AppDeps, req: Request): Promise<AttendeeAuth | null> {
  const token = bearerToken(req);
  return token ? attendeeFromToken(deps, token) : null;
}

/** How far each role reaches: a route names the least role it needs. */
const roleRank: Record<OrganiserRole, number> = { door: 0, organiser: 1, owner: 2 };

export function hasRole(auth: OrganiserAuth, least: OrganiserRole): boolean {
  return roleRank[auth.organiser.role] >= roleRank[least];
}

export interface Member {
  id: string;
  role: OrganiserRole;
}

/** A member as stored now (sockets re-read it: the role may have changed since the handshake). */
export async function memberOf(deps: AppDeps, organiserId: string): Promise<Member | null> {
  const [row] = await deps.database.db.select({ id: organisers.id, role: organisers.role }).from(organisers).where(eq(organisers.id, organiserId)).limit(1);
  return row ?? null;
}

/** Owners work on every event; organisers and door staff on the events they were given. */
export async function canAccessEvent(deps: AppDeps, member: Member, eventId: string): Promise<boolean> {
  if (member.role === 'owner') return true;
  const [row] = await deps.database.db
    .select({ eventId: eventAccess.eventId })
    .from(eventAccess)
    .where(and(eq(eventAccess.organiserId, member.id), eq(eventAccess.eventId, eventId)))
    .limit(1);
  return row !== undefined;
}

/** Throws unless this member's role reaches `least` and, for an event's route, they work on that event. */
export async function authorise(deps: AppDeps, auth: OrganiserAuth, least: OrganiserRole, eventId?: string): Promise<void> {
  if (!hasRole(auth, least)) {
    throw new AppError('forbidden', least === 'owner' ? 'Only an owner of the organisation can do this.' : 'Door staff cannot do this: ask an organiser.');
  }
  if (eventId !== undefined && !(await canAccessEvent(deps, auth.organiser, eventId))) {
    throw new AppError('forbidden', 'You have not been given access to this event: ask an owner.');
  }
}
