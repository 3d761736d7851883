import type { Socket } from 'socket.io';
import { DeviceStatusBody, type ClientToServerEvents, type InterServerEvents, type ServerToClientEvents, type SocketData } from '@edgewise/shared';
import type { AppDeps } from '../../deps';
import { AppError } from '../../http/errors';
import { markConnected, reportQueue, touchDevice } from './service';

type ServerSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface DeviceSocketOptions {
  /** The room of an event's connected devices: the dashboard counts a device online while it is in it. */
  room: (eventId: string) => string;
  /** Tells the event's organisers the device's state moved (they refetch the snapshot). */
  changed: (eventId: string, deviceId: string) => void;
}

/**
 * A paired kiosk's or screen's socket: it joins its event's devices room (its event comes
 * from its pairing, never from the client), so the dashboard sees it online while it is
 * connected and "last seen" when it goes. Kiosks report their offline queue with
 * `device:status`; any other socket asking gets `forbidden`.
 */
export function attachDevice(socket: ServerSocket, deps: AppDeps, opts: DeviceSocketOptions) {
  const { deviceId, eventId, deviceKind } = socket.data;

  socket.on('device:status', async (payload, ack) => {
    if (typeof ack !== 'function') return;
    if (!deviceId || !eventId || deviceKind !== 'kiosk') return ack({ ok: false, error: { code: 'forbidden', message: 'Paired kiosks only.' } });
    const parsed = DeviceStatusBody.safeParse(payload);
    if (!parsed.success) {
      return ack({ ok: false, error: { code: 'validation_failed', message: 'queueLength must be a whole number from 0' } });
    }
    try {
      await reportQueue(deps, deviceId, parsed.data.queueLength);
    } catch (err) {
      if (err instanceof AppError) return ack({ ok: false, error: { code: err.code, message: err.message } });
      deps.log({ level: 'error', msg: 'device:status failed', err: String((err as Error)?.stack ?? err) });
      return ack({ ok: false, error: { code: 'internal', message: 'Something went wrong: try again.' } });
    }
    opts.changed(eventId, deviceId);
    ack({ ok: true, data: { queueLength: parsed.data.queueLength } });
  });

  if (!deviceId || !eventId) return;
  void Promise.resolve(socket.join(opts.room(eventId)))
    .then(() => markConnected(deps, deviceId))
    .then(
      () => opts.changed(eventId, deviceId),
      (err: unknown) => deps.log({ level: 'error', msg: 'could not record a device coming back', err: String(err) }),
    );
  socket.on('disconnect', () => {
    // Gone from the room already: "last seen" becomes the moment it left.
    touchDevice(deps, deviceId).then(
      () => opts.changed(eventId, deviceId),
      (err: unknown) => deps.log({ level: 'error', msg: 'could not record a device leaving', err: String(err) }),
    );
  });
}
