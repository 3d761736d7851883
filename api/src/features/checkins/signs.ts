import type { FeatureContext, Io } from '../../context';
import { noteSign } from './presence';

/**
 * An attendee's phone is a sign of life while it talks to us: its socket connecting and
 * every command it sends (an answer, a sync, a note). `noteSign` keeps that to one write a
 * minute. A phone left connected is seen by the away sweep, which asks who is connected.
 */
export function registerSignsOfLife(io: Io, ctx: FeatureContext) {
  io.on('connection', (socket) => {
    const { attendeeId, eventId } = socket.data;
    if (!attendeeId || !eventId) return;
    void noteSign(ctx, eventId, attendeeId);
    socket.use((_packet, next) => {
      void noteSign(ctx, eventId, attendeeId);
      next();
    });
  });
}
