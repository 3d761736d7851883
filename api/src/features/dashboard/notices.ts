import type { Io } from '../../context';
import { organiserRoom } from '../realtime/socket';
import type { MatchingHooks } from '../suggestions/hooks';

/**
 * Live matching hears of every change that can move someone's list; the same changes move
 * the organisers' dashboard (an intent changes supply and demand, an answer the counts).
 * This passes each one on to the matching runtime unchanged and tells the event's
 * organisers what moved: ids only, they refetch the snapshot.
 */
export function withOrganiserNotices(hooks: MatchingHooks, io: Io, now: () => number): MatchingHooks {
  const at = () => new Date(now()).toISOString();
  const room = (eventId: string) => io.to(organiserRoom(eventId));
  return {
    ...hooks,
    attendeeChanged(eventId, attendeeId) {
      hooks.attendeeChanged(eventId, attendeeId);
      room(eventId).emit('attendee:changed', { eventId, attendeeId, at: at() });
    },
    pairChanged(eventId, a, b) {
      hooks.pairChanged(eventId, a, b);
      room(eventId).emit('pair:changed', { eventId, attendeeIds: [a, b], at: at() });
    },
    eventChanged(eventId) {
      hooks.eventChanged(eventId);
      room(eventId).emit('event:changed', { eventId, at: at() });
    },
  };
}
