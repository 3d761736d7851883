import type { Request } from 'express';
import cookieParser from 'cookie-parser';
import { eq } from 'drizzle-orm';
import { events } from '@edgewise/db';
import { SubscribeEvent, type CheckinCreated, type GuestListChanged } from '@edgewise/shared';
import type { Io } from '../../app';
import type { AppDeps } from '../../deps';
import { deviceFromRequest, organiserFromRequest } from '../../http/auth';

export const organiserRoom = (eventId: string) => `organisers:${eventId}`;

/** The fan-out the services call; rooms keep one event's news among its organisers. */
export interface Realtime {
  checkinCreated(payload: CheckinCreated): void;
  guestListChanged(payload: GuestListChanged): void;
  /** Drops an unpaired device's sockets at once: its token no longer opens anything. */
  deviceUnpaired(deviceId: string): Promise<void>;
}

const parseCookies = cookieParser();

export function registerRealtime(io: Io, deps: AppDeps): Realtime {
  // Handshake authentication: an organiser's session cookie, or a device's token.
  io.use((socket, next) => {
    const req = socket.request as unknown as Request;
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token === 'string') req.headers.authorization = `Bearer ${token}`;
    parseCookies(req, {} as never, async () => {
      try {
        const organiser = await organiserFromRequest(deps, req);
        if (organiser) {
          socket.data.organiserId = organiser.organiser.id;
          return next();
        }
        const device = typeof token === 'string' ? await deviceFromRequest(deps, req) : null;
        if (device) {
          socket.data.deviceId = device.device.id;
          socket.data.eventId = device.device.eventId;
          return next();
        }
        next(new Error('unauthenticated'));
      } catch {
        next(new Error('unauthenticated'));
      }
    });
  });

  io.on('connection', (socket) => {
    socket.on('event:subscribe', async (payload, ack) => {
      if (typeof ack !== 'function') return;
      const parsed = SubscribeEvent.safeParse(payload);
      if (!parsed.success) return ack({ ok: false, error: { code: 'validation_failed', message: 'eventId must be an id' } });
      if (!socket.data.organiserId) return ack({ ok: false, error: { code: 'forbidden', message: 'Organisers only.' } });
      const [event] = await deps.database.db.select({ id: events.id }).from(events).where(eq(events.id, parsed.data.eventId));
      if (!event) return ack({ ok: false, error: { code: 'not_found', message: 'No such event.' } });
      await socket.join(organiserRoom(event.id));
      ack({ ok: true, data: { eventId: event.id } });
    });
  });

  return {
    checkinCreated: (p) => io.to(organiserRoom(p.eventId)).emit('checkin:created', p),
    guestListChanged: (p) => io.to(organiserRoom(p.eventId)).emit('guestlist:changed', p),
    async deviceUnpaired(deviceId) {
      // fetchSockets reaches every node through the adapter; unpairing is rare enough for a scan.
      for (const socket of await io.fetchSockets()) if (socket.data.deviceId === deviceId) socket.disconnect(true);
    },
  };
}
