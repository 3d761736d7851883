/**
 * socket.io hands an acknowledgement to a handler as its last argument: a client that emits
 * a command with an ack and no payload would put the ack where the payload goes, and the
 * handler, finding no ack, could not answer at all. Every command is (payload, ack).
 */
import type { Event } from 'socket.io';

export function payloadBeforeAck(packet: Event, next: (err?: Error) => void): void {
  if (packet.length === 2 && typeof packet[1] === 'function') packet.splice(1, 0, undefined);
  next();
}
