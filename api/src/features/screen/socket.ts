import type { Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '@edgewise/shared';
import type { AppDeps } from '../../deps';
import { AppError } from '../../http/errors';
import { buildScreenSnapshot, screenRoom } from './snapshot';

type ServerSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/**
 * A paired screen's socket: it joins its own event's screen room (its event comes from its
 * pairing, never from the client) and may ask for the current snapshot, as it does on
 * every (re)connect. Any other socket asking gets `forbidden`.
 */
export function attachScreen(socket: ServerSocket, deps: AppDeps) {
  const eventId = socket.data.deviceKind === 'screen' ? socket.data.eventId : undefined;
  if (eventId) void socket.join(screenRoom(eventId));

  socket.on('screen:sync', async (_payload, ack) => {
    if (typeof ack !== 'function') return;
    if (!eventId) return ack({ ok: false, error: { code: 'forbidden', message: 'Paired screens only.' } });
    try {
      ack({ ok: true, data: await buildScreenSnapshot(deps.database.db, eventId, deps.now()) });
    } catch (err) {
      if (err instanceof AppError) return ack({ ok: false, error: { code: err.code, message: err.message } });
      deps.log({ level: 'error', msg: 'screen:sync failed', err: String((err as Error)?.stack ?? err) });
      ack({ ok: false, error: { code: 'internal', message: 'Something went wrong: try again.' } });
    }
  });
}
