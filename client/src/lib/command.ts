import type { Ack, ClientToServerEvents } from '@edgewise/shared';
import { ApiError } from './api';
import { translate } from './i18n';
import type { AppSocket } from './socket';

export type CommandName = keyof ClientToServerEvents;
export type CommandPayload<K extends CommandName> = Parameters<ClientToServerEvents[K]>[0];
export type CommandResult<K extends CommandName> = Parameters<ClientToServerEvents[K]>[1] extends (res: Ack<infer R>) => void ? R : never;

/** The typed emit seen through a timeout: socket.io's own types cannot follow a generic event name. */
interface TimedEmitter {
  emit(event: string, payload: unknown, ack: (err: Error | null, res: unknown) => void): void;
}

const isAck = (res: unknown): res is Ack<unknown> => typeof res === 'object' && res !== null && typeof (res as { ok?: unknown }).ok === 'boolean';

/**
 * Sends one acknowledged command and resolves with its data, or rejects with an ApiError
 * named by the server's code. A command is refused at once while offline rather than
 * buffered: a tap replayed minutes later, after the person moved on, would surprise them.
 */
export function sendCommand<K extends CommandName>(socket: AppSocket, event: K, payload: CommandPayload<K>, timeoutMs = 8000): Promise<CommandResult<K>> {
  return new Promise((resolve, reject) => {
    if (!socket.connected) {
      reject(new ApiError(0, 'network', translate('common.offline')));
      return;
    }
    (socket.timeout(timeoutMs) as unknown as TimedEmitter).emit(event, payload, (err, res) => {
      if (err) return reject(new ApiError(0, 'network', translate('common.noAnswer')));
      if (!isAck(res)) return reject(new ApiError(500, 'internal', translate('common.badAnswer')));
      if (res.ok) resolve(res.data as CommandResult<K>);
      else reject(new ApiError(0, res.error.code, res.error.message));
    });
  });
}
