import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@edgewise/shared';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * One socket per surface. Organisers authenticate with their session cookie, devices with
 * their token. Messages are snapshots or ids: on every (re)connect the caller refetches.
 */
export function connectSocket(auth: { token?: string } = {}): AppSocket {
  return io({ path: '/socket.io', transports: ['websocket', 'polling'], auth, withCredentials: true });
}
