import { z } from 'zod';
import { Id } from './schemas/common';
import { CheckinStatus, CheckinType } from './schemas/checkins';
import type { ErrorCode } from './errors';
import type { IntentBody, Intent } from './schemas/intents';
import type {
  AnswerSuggestion,
  AskToShare,
  ContactCard,
  ContactCardBody,
  MarkMet,
  MeSnapshot,
  SaveNote,
  ScreenSnapshot,
  SetMatchingOptOut,
  SuggestionView,
  SuggestionsChanged,
} from './schemas/matching';
import type { CreateIntroductionBody, Introduction } from './schemas/introductions';
import type { AttendeeChanged, DeviceChanged, DeviceStatusBody, EventChanged, PairChanged } from './schemas/dashboard';
import type { Device } from './schemas/devices';
import type { InvitationsChanged } from './schemas/invitations';
import type { OnMyWay, PickMeetingPoint, SetWhereIAm, WhereIAm } from './schemas/meeting';

/** Broadcast to an event's organisers when the log grows; clients refetch what they show. */
export const CheckinCreated = z.object({
  eventId: Id,
  checkinId: Id,
  attendeeId: Id.nullable(),
  type: CheckinType,
  status: CheckinStatus,
  at: z.string(),
});
export type CheckinCreated = z.infer<typeof CheckinCreated>;

export const GuestListChanged = z.object({ eventId: Id, version: z.number() });
export type GuestListChanged = z.infer<typeof GuestListChanged>;

/** To an event's organisers: a matching batch wrote lists; counts of suggestions may have moved. */
export const MatchingChanged = z.object({ eventId: Id, at: z.string() });
export type MatchingChanged = z.infer<typeof MatchingChanged>;

export const SubscribeEvent = z.object({ eventId: Id });
export type SubscribeEvent = z.infer<typeof SubscribeEvent>;

export type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string } };

export interface ServerToClientEvents {
  'checkin:created': (payload: CheckinCreated) => void;
  'guestlist:changed': (payload: GuestListChanged) => void;
  'matching:changed': (payload: MatchingChanged) => void;
  /** To `organisers:<eventId>`: a kiosk or screen connected, disconnected or reported its queue. */
  'device:changed': (payload: DeviceChanged) => void;
  /** To `organisers:<eventId>`: an attendee's intent, profile or opt-out changed. */
  'attendee:changed': (payload: AttendeeChanged) => void;
  /** To `organisers:<eventId>`: a pair's state changed (answer, meeting, introduction). */
  'pair:changed': (payload: PairChanged) => void;
  /** To `organisers:<eventId>`: the event's settings changed. */
  'event:changed': (payload: EventChanged) => void;
  /** To one device's own sockets: the device as it now is (a kiosk's mode set on the dashboard). */
  'device:updated': (payload: Device) => void;
  /** To `attendee:<id>`: that attendee's list, whole (never anyone else's). */
  'suggestions:changed': (payload: SuggestionsChanged) => void;
  /** To `screens:<eventId>`: the big screen's content, whole. */
  'screen:changed': (payload: ScreenSnapshot) => void;
  /** To `organisers:<eventId>`: ticket mails' counts and the run's progress (no names). */
  'invitations:changed': (payload: InvitationsChanged) => void;
}

type Command<P, R> = (payload: P, ack: (res: Ack<R>) => void) => void;

export interface ClientToServerEvents {
  /** Organisers: join an event's organiser room. */
  'event:subscribe': Command<SubscribeEvent, { eventId: string }>;
  /** Attendees: the whole current snapshot (on connect and after every reconnect). */
  'me:sync': Command<Record<string, never>, MeSnapshot>;
  'suggestion:answer': Command<AnswerSuggestion, SuggestionView>;
  'suggestion:met': Command<MarkMet, SuggestionView>;
  'note:save': Command<SaveNote, { aboutId: string; text: string }>;
  'intent:update': Command<IntentBody, Intent>;
  'contact:update': Command<ContactCardBody, ContactCard>;
  /** Attendees: ask the other person of a mutual pair, who shares nothing yet, to share (once per pair). */
  'contact:ask': Command<AskToShare, SuggestionView>;
  'matching:opt-out': Command<SetMatchingOptOut, { optOut: boolean }>;
  /** Hosts: introduce two people from their own list or from the edges to each other. */
  'introduction:create': Command<CreateIntroductionBody, Introduction>;
  /** Attendees: pick another of the event's meeting points for a pair both said yes to (the other sees it live). */
  'meeting:pick': Command<PickMeetingPoint, SuggestionView>;
  /** Attendees: tell the other person of a pair "I'm on my way". */
  'meeting:on-my-way': Command<OnMyWay, SuggestionView>;
  /** Attendees: write (or clear, with an empty text) the "where I am" line mutual matches see. */
  'where-i-am:update': Command<SetWhereIAm, WhereIAm | null>;
  /** Screens: the current screen snapshot. */
  'screen:sync': Command<Record<string, never>, ScreenSnapshot>;
  /** Kiosks: report the offline queue's length (on connect and whenever it changes). */
  'device:status': Command<DeviceStatusBody, { queueLength: number }>;
}

/** Every client-to-server event by name, at run time: for tools and suites that walk them all. */
export const clientEvents = [
  'event:subscribe',
  'me:sync',
  'suggestion:answer',
  'suggestion:met',
  'note:save',
  'intent:update',
  'contact:update',
  'contact:ask',
  'matching:opt-out',
  'introduction:create',
  'meeting:pick',
  'meeting:on-my-way',
  'where-i-am:update',
  'screen:sync',
  'device:status',
] as const satisfies readonly (keyof ClientToServerEvents)[];

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  organiserId?: string;
  /** The organiser session the socket was opened with: logout, removal or a role change drops the socket. */
  organiserSessionId?: string;
  deviceId?: string;
  deviceKind?: 'kiosk' | 'screen';
  attendeeId?: string;
  /** The attendee session the socket was opened with: ending it drops the socket. */
  attendeeSessionId?: string;
  eventId?: string;
}
