/**
 * What every feature is handed: the app's dependencies, its limits, the rate limiters and
 * the realtime fan-out. It sits below the features and imports none of them (only the
 * shape of the matching hooks), so no feature reaches the app factory through its types.
 */
import type { Server } from 'socket.io';
import type { CheckinCreated, ClientToServerEvents, Device, GuestListChanged, InterServerEvents, ServerToClientEvents, SocketData } from '@edgewise/shared';
import type { AppDeps, defaultLimits } from './deps';
import type { RateLimiter } from './http/rate-limit';
import type { MatchingHooks } from './features/suggestions/hooks';

export type Io = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** What every feature gets: the app's dependencies, its limits and the realtime fan-out. */
export interface FeatureContext {
  deps: AppDeps;
  limits: typeof defaultLimits;
  /** Shared by every node through the database; `loginAddress` and `loginAccount` are separate buckets. */
  limiters: { loginAddress: RateLimiter; loginAccount: RateLimiter; pair: RateLimiter; search: RateLimiter; session: RateLimiter; photo: RateLimiter };
  realtime: Realtime;
  /** Live matching: told of every change that can move someone's suggestions. */
  matching: MatchingHooks;
}

/** The fan-out the services call; rooms keep one event's news among its organisers. */
export interface Realtime {
  checkinCreated(payload: CheckinCreated): void;
  guestListChanged(payload: GuestListChanged): void;
  /** Drops an unpaired device's sockets at once: its token no longer opens anything. */
  deviceUnpaired(deviceId: string): Promise<void>;
  /** Tells a device's own sockets what it now is (a kiosk's mode changed on the dashboard). */
  deviceUpdated(device: Device): Promise<void>;
  /** Drops the sockets opened with an attendee session that was ended (a lost phone). */
  attendeeSessionEnded(attendeeId: string, sessionId: string): Promise<void>;
  /** Drops every socket of these attendees, on every node: all their sessions just ended. */
  attendeeSessionsEnded(attendeeIds: string[]): void;
  /**
   * Sends fresh lists to these attendees' phones (what a pair, a share or an introduction
   * changed). A failure is logged, not thrown: the change is committed, and the next sync shows it.
   */
  attendeeListsChanged(eventId: string, attendeeIds: readonly string[]): Promise<void>;
  /** Drops a member's sockets, of one session (logout) or all of them (removal, role change), on every node. */
  organiserSessionsEnded(organiserId: string, sessionId?: string): Promise<void>;
  /** Takes a member's sockets out of the rooms of events they no longer work on. */
  organiserEventsLost(organiserId: string, eventIds: string[]): Promise<void>;
  /** Tells the event's organisers a device was paired, unpaired, came or went, or reported its queue. */
  deviceChanged(eventId: string, deviceId: string): void;
  /**
   * Ids of the event's devices with a socket connected now, on any node; null when a node did
   * not answer in time (one that died without saying goodbye is counted until it is declared
   * gone): the caller then goes by what the devices' connections last wrote.
   */
  onlineDevices(eventId: string): Promise<Set<string> | null>;
}

