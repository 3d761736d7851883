import type { Request } from 'express';
import cookieParser from 'cookie-parser';
import { eq } from 'drizzle-orm';
import { events } from '@edgewise/db';
import { SubscribeEvent } from '@edgewise/shared';
import type { Io, Realtime } from '../../context';
import type { AppDeps } from '../../deps';
import { attendeeFromToken, canAccessEvent, deviceFromRequest, memberOf, organiserFromRequest } from '../../http/auth';
import { attachDevice } from '../devices/socket';
import { suggestionsChangedFor } from '../me/snapshot';
import { attachScreen } from '../screen/socket';

export const organiserRoom = (eventId: string) => `organisers:${eventId}`;
/** One attendee's own room: their list and their matches' contact details go nowhere else. */
export const attendeeRoom = (attendeeId: string) => `attendee:${attendeeId}`;
/** Every connected kiosk and screen of one event: "online" on the dashboard is membership here. */
export const devicesRoom = (eventId: string) => `devices:${eventId}`;
/**
 * Rooms of one credential: what ends a device, a member or a session reaches its sockets on
 * every node as a broadcast, without asking each node for its sockets (a node that died
 * without saying so would hold such a question up until it is declared gone).
 */
const deviceRoom = (deviceId: string) => `device:${deviceId}`;
const memberRoom = (organiserId: string) => `organiser:${organiserId}`;
const organiserSessionRoom = (sessionId: string) => `organiser-session:${sessionId}`;
const attendeeSessionRoom = (sessionId: string) => `attendee-session:${sessionId}`;

const parseCookies = cookieParser();

/** How long the dashboard waits for every node to say which devices it holds. */
const ONLINE_ANSWER_MS = 1_000;

/**
 * The most sockets one attendee session or one device token holds open on one node: a page
 * in a few tabs, and the sockets a reconnect leaves behind until they time out. Each costs
 * the server memory and a copy of every push to its room; without a bound, one phone's token
 * (or a kiosk's, read off the tablet) could open them by the thousand.
 */
export const SOCKETS_PER_CREDENTIAL = 20;

type HandshakeSocket = Parameters<Parameters<Io['use']>[0]>[0];

/**
 * Counts a credential's open sockets on this node: takes a place for `socket` when one is
 * free, and gives it back when its connection closes (whether or not it ever got connected).
 */
function socketPlaces(max: number) {
  const held = new Map<string, number>();
  return (key: string, socket: HandshakeSocket): boolean => {
    const n = held.get(key) ?? 0;
    // A connection gone while its credential was looked up has no close left to give the place back.
    if (n >= max || socket.conn.readyState === 'closed') return false;
    held.set(key, n + 1);
    socket.conn.once('close', () => {
      const left = (held.get(key) ?? 1) - 1;
      if (left > 0) held.set(key, left);
      else held.delete(key);
    });
    return true;
  };
}

export function registerRealtime(io: Io, deps: AppDeps): Realtime {
  const announceDevice = (eventId: string, deviceId: string) => {
    io.to(organiserRoom(eventId)).emit('device:changed', { eventId, deviceId, at: new Date(deps.now()).toISOString() });
  };

  const takePlace = socketPlaces(SOCKETS_PER_CREDENTIAL);

  // Handshake authentication: an organiser's session cookie, or a device's token.
  io.use((socket, next) => {
    const req = socket.request as unknown as Request;
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const attendeeToken = (socket.handshake.auth as { attendeeToken?: unknown } | undefined)?.attendeeToken;
    if (typeof attendeeToken === 'string') {
      // An attendee's phone names itself explicitly: a cookie the browser also holds
      // (an organiser trying the page) must not turn it into another kind of socket.
      attendeeFromToken(deps, attendeeToken).then(
        (attendee) => {
          if (!attendee) return next(new Error('unauthenticated'));
          if (!takePlace(attendeeSessionRoom(attendee.sessionId), socket)) return next(new Error('too_many_connections'));
          socket.data.attendeeId = attendee.attendee.id;
          socket.data.attendeeSessionId = attendee.sessionId;
          socket.data.eventId = attendee.attendee.eventId;
          next();
        },
        () => next(new Error('unauthenticated')),
      );
      return;
    }
    if (typeof token === 'string') req.headers.authorization = `Bearer ${token}`;
    parseCookies(req, {} as never, async () => {
      try {
        const organiser = await organiserFromRequest(deps, req);
        if (organiser) {
          // A cookie rides along on any site's request: another site's page must not open
          // an organiser socket in this browser (browsers always send Origin cross-site).
          if (!sameOrigin(deps, socket.handshake.headers)) return next(new Error('forbidden_origin'));
          socket.data.organiserId = organiser.organiser.id;
          socket.data.organiserSessionId = organiser.sessionId;
          return next();
        }
        const device = typeof token === 'string' ? await deviceFromRequest(deps, req) : null;
        if (device) {
          if (!takePlace(deviceRoom(device.device.id), socket)) return next(new Error('too_many_connections'));
          socket.data.deviceId = device.device.id;
          socket.data.eventId = device.device.eventId;
          socket.data.deviceKind = device.device.kind;
          return next();
        }
        next(new Error('unauthenticated'));
      } catch {
        next(new Error('unauthenticated'));
      }
    });
  });

  io.on('connection', (socket) => {
    // Joined here, at the server's word: no command takes a room name.
    const own = [
      socket.data.attendeeId && attendeeRoom(socket.data.attendeeId),
      socket.data.attendeeSessionId && attendeeSessionRoom(socket.data.attendeeSessionId),
      socket.data.deviceId && deviceRoom(socket.data.deviceId),
      socket.data.organiserId && memberRoom(socket.data.organiserId),
      socket.data.organiserSessionId && organiserSessionRoom(socket.data.organiserSessionId),
    ].filter((room): room is string => Boolean(room));
    if (own.length > 0) void socket.join(own);
    attachScreen(socket, deps);
    attachDevice(socket, deps, { room: devicesRoom, changed: announceDevice });
    socket.on('event:subscribe', async (payload, ack) => {
      if (typeof ack !== 'function') return;
      const parsed = SubscribeEvent.safeParse(payload);
      if (!parsed.success) return ack({ ok: false, error: { code: 'validation_failed', message: 'eventId must be an id' } });
      if (!socket.data.organiserId) return ack({ ok: false, error: { code: 'forbidden', message: 'Organisers only.' } });
      // Read the member again: a role or an access list may have changed since the handshake.
      const member = await memberOf(deps, socket.data.organiserId);
      if (!member || !(await canAccessEvent(deps, member, parsed.data.eventId))) {
        return ack({ ok: false, error: { code: 'forbidden', message: 'You have not been given access to this event: ask an owner.' } });
      }
      const [event] = await deps.database.db.select({ id: events.id }).from(events).where(eq(events.id, parsed.data.eventId));
      if (!event) return ack({ ok: false, error: { code: 'not_found', message: 'No such event.' } });
      await socket.join(organiserRoom(event.id));
      ack({ ok: true, data: { eventId: event.id } });
    });
  });

  return {
    checkinCreated: (p) => io.to(organiserRoom(p.eventId)).emit('checkin:created', p),
    // Kiosks too: a change to the guest list is when their offline check-in list is refreshed.
    guestListChanged: (p) => io.to([organiserRoom(p.eventId), devicesRoom(p.eventId)]).emit('guestlist:changed', p),
    async deviceUnpaired(deviceId) {
      io.in(deviceRoom(deviceId)).disconnectSockets(true);
    },
    async deviceUpdated(device) {
      io.to(deviceRoom(device.id)).emit('device:updated', device);
    },
    async attendeeSessionEnded(_attendeeId, sessionId) {
      io.in(attendeeSessionRoom(sessionId)).disconnectSockets(true);
    },
    async attendeeListsChanged(eventId, attendeeIds) {
      try {
        for (const id of new Set(attendeeIds)) {
          io.to(attendeeRoom(id)).emit('suggestions:changed', await suggestionsChangedFor(deps.database.db, eventId, id));
        }
      } catch (err) {
        deps.log({ level: 'error', msg: 'suggestions:changed failed', err: String(err) });
      }
    },
    attendeeSessionsEnded(attendeeIds) {
      if (attendeeIds.length > 0) io.in(attendeeIds.map(attendeeRoom)).disconnectSockets(true);
    },
    async organiserSessionsEnded(organiserId, sessionId) {
      io.in(sessionId === undefined ? memberRoom(organiserId) : organiserSessionRoom(sessionId)).disconnectSockets(true);
    },
    async organiserEventsLost(organiserId, eventIds) {
      if (eventIds.length > 0) io.in(memberRoom(organiserId)).socketsLeave(eventIds.map(organiserRoom));
    },
    deviceChanged: announceDevice,
    async onlineDevices(eventId) {
      let sockets;
      try {
        sockets = await io.in(devicesRoom(eventId)).timeout(ONLINE_ANSWER_MS).fetchSockets();
      } catch (err) {
        deps.log({ level: 'warn', msg: 'a node did not say which devices it holds', eventId, err: String(err) });
        return null;
      }
      const online = new Set<string>();
      for (const socket of sockets) if (socket.data.deviceId) online.add(socket.data.deviceId);
      return online;
    },
  };
}

/**
 * Whether a handshake comes from our own pages: no Origin (not a browser, or a same-origin
 * request that carries none), the public URL's origin, or the host the request was sent to.
 */
export function sameOrigin(deps: AppDeps, headers: Record<string, string | string[] | undefined>): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  if (typeof origin !== 'string') return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.origin === new URL(deps.publicUrl).origin) return true;
  const host = headers.host;
  return typeof host === 'string' && parsed.host === host;
}
