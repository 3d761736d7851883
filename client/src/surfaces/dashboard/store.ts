import { onBeforeUnmount, reactive, watch, type Ref } from 'vue';
import type { Event, EventStats, InvitationsChanged } from '@edgewise/shared';
import { recheckSession } from '../../features/auth/session';
import { getEvent, getEventStats } from '../../features/events/api';
import { errorMessage } from '../../lib/fieldErrors';
import { connectSocket, type AppSocket } from '../../lib/socket';

export type LiveState = 'connecting' | 'live' | 'offline';
export type EventTab = 'live' | 'edges' | 'guests' | 'import' | 'invitations' | 'devices' | 'checkins' | 'followup' | 'exports' | 'settings';
export const eventTabs: readonly EventTab[] = ['live', 'edges', 'guests', 'import', 'invitations', 'devices', 'checkins', 'followup', 'exports', 'settings'];
/** Where an event's page opens: the room, live. */
export const defaultEventTab: EventTab = 'live';

/**
 * The dashboard's own small store: the event on screen, its counts, and a `version` that
 * moves whenever the server says something changed. Views holding a snapshot (guest
 * list, scan log) watch `version` and fetch a fresh one: messages carry ids, not deltas.
 */
export const dashboard = reactive({
  event: null as Event | null,
  eventError: '',
  stats: null as EventStats | null,
  live: 'connecting' as LiveState,
  version: 0,
  /** Ticket mails' counts and the run in progress, as the organiser room last said. */
  invitations: null as InvitationsChanged | null,
});

let statsSeq = 0;
export async function refreshStats(): Promise<void> {
  const id = dashboard.event?.id;
  if (!id) return;
  const mine = ++statsSeq;
  try {
    const stats = await getEventStats(id);
    if (mine === statsSeq && dashboard.event?.id === id) dashboard.stats = stats;
  } catch {
    // The counts stay as they were; the next change or reconnect fetches them again.
  }
}

export async function openEvent(eventId: string): Promise<void> {
  if (dashboard.event?.id !== eventId) {
    dashboard.event = null;
    dashboard.stats = null;
  }
  dashboard.eventError = '';
  try {
    dashboard.event = await getEvent(eventId);
    await refreshStats();
  } catch (err) {
    dashboard.eventError = errorMessage(err);
  }
}

export function replaceEvent(event: Event): void {
  dashboard.event = event;
}

/** Everything on screen fetches a fresh snapshot now. */
export function refreshAll(): void {
  dashboard.version++;
  void refreshStats();
}

/**
 * Keeps the open event live: subscribes to its organiser room and, on every message about
 * the event (check-ins, guest list, matching, answers, intents, devices, settings), and on
 * every reconnect, refreshes. A burst folds into one refetch `debounceMs` after its first
 * message, so a steady stream of check-ins still refreshes the page every `debounceMs`.
 */
export function useLiveEvent(eventId: Ref<string | null>, debounceMs = 300) {
  let socket: AppSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = () => {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      refreshAll();
    }, debounceMs);
  };

  function disconnect() {
    clearTimeout(timer);
    timer = undefined;
    socket?.removeAllListeners();
    socket?.disconnect();
    socket = null;
  }

  function connect(id: string) {
    dashboard.live = 'connecting';
    const s = connectSocket();
    socket = s;
    s.on('connect', () => {
      s.emit('event:subscribe', { eventId: id }, (ack) => {
        if (socket !== s) return;
        if (ack.ok) {
          dashboard.live = 'live';
          // Whatever happened while we were away is only in a fresh snapshot.
          refreshAll();
        } else {
          dashboard.live = 'offline';
        }
      });
    });
    s.on('disconnect', () => {
      if (socket === s) dashboard.live = 'offline';
    });
    s.on('connect_error', (err) => {
      if (socket !== s) return;
      dashboard.live = 'offline';
      // A refused handshake (not a network blip) means the session may be gone.
      if (err.message === 'unauthenticated') {
        void recheckSession().then(() => setTimeout(() => socket === s && s.connect(), 5000));
      }
    });
    s.on('checkin:created', (p) => {
      if (p.eventId === id) schedule();
    });
    s.on('guestlist:changed', (p) => {
      if (p.eventId === id) schedule();
    });
    // The live dashboard's news: ids only, the snapshot is fetched again.
    const forThisEvent = (p: { eventId: string }) => {
      if (p.eventId === id) schedule();
    };
    s.on('matching:changed', forThisEvent);
    s.on('pair:changed', forThisEvent);
    s.on('attendee:changed', forThisEvent);
    s.on('device:changed', forThisEvent);
    s.on('event:changed', forThisEvent);
    // A snapshot itself (counts, no names): the Invitations tab's progress bar reads it as it comes.
    s.on('invitations:changed', (p) => {
      if (p.eventId === id) dashboard.invitations = p;
    });
  }

  watch(
    eventId,
    (id) => {
      disconnect();
      if (id) connect(id);
    },
    { immediate: true },
  );
  onBeforeUnmount(disconnect);
}
