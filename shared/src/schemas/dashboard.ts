import { z } from 'zod';
import { Id } from './common';
import { DeviceKind } from './devices';

/** The chart's step: arrivals are counted per five minutes. */
export const ARRIVAL_BUCKET_MINUTES = 5;
/** At most a day of buckets: an earlier start is folded into the first one. */
export const MAX_ARRIVAL_BUCKETS = 288;

const Count = z.number().int().min(0);

/**
 * The room at a glance. Suggestion figures count pairs of people, not rows (each pair is
 * stored once per direction), and each is "at least": a met pair is also mutual and
 * accepted, a mutual pair also accepted.
 */
export const DashboardCounts = z.object({
  registered: Count,
  /** Entered at least once, whether still here or not. */
  checkedIn: Count,
  /** Checked in and showing signs of life. */
  presentNow: Count,
  /** Checked in, but no sign of life for the event's "away after" minutes. */
  awayNow: Count,
  /** Checked in once and checked out now. */
  leftNow: Count,
  firstTimersPresent: Count,
  /** Present and a first-timer, or present past the edge threshold without a yes. */
  atEdges: Count,
  suggestionsMade: Count,
  /** Pairs where at least one of the two said yes. */
  accepted: Count,
  mutual: Count,
  met: Count,
  /** Introductions made by organisers or hosts (each also counts as a mutual pair). */
  introductions: Count,
});
export type DashboardCounts = z.infer<typeof DashboardCounts>;

/** One five-minute step of the arrivals chart: both figures as they stood at its end. */
export const ArrivalBucket = z.object({
  /** Start of the step. */
  from: z.string(),
  /** End of the step (now, for the step in progress). */
  to: z.string(),
  /** People who had entered at least once by `to`. */
  checkedIn: Count,
  /** People inside at `to`. */
  present: Count,
});
export type ArrivalBucket = z.infer<typeof ArrivalBucket>;

/** One topic among the people present: how many look for it, how many offer it. */
export const TopicSupplyDemand = z.object({
  /** The topic's id (or an older tag still in someone's intent). */
  topic: z.string(),
  seekLabel: z.string(),
  offerLabel: z.string(),
  seek: Count,
  offer: Count,
  /** Seekers greatly outnumber offerers: someone should find more people who offer it. */
  gap: z.boolean(),
});
export type TopicSupplyDemand = z.infer<typeof TopicSupplyDemand>;

/** "14 look for investment, 2 say “I invest”" is a gap; "4 look for it, 2 offer it" is not yet. */
export function isSupplyGap(seek: number, offer: number): boolean {
  return seek >= 3 && seek >= 3 * Math.max(offer, 1);
}

export const DeviceState = z.object({
  id: Id,
  name: z.string(),
  kind: DeviceKind,
  /** A socket of this device is connected now (on any node). */
  online: z.boolean(),
  lastSeenAt: z.string().nullable(),
  /** Scans waiting in the kiosk's offline queue, as it last reported. */
  queueLength: Count,
  /** Since when an offline device has been gone (its socket dropped); null while online. */
  offlineSince: z.string().nullable(),
});
export type DeviceState = z.infer<typeof DeviceState>;

export const DashboardSnapshot = z.object({
  eventId: Id,
  /** When the snapshot was taken (server time). */
  at: z.string(),
  timeZone: z.string(),
  edgeMinutes: z.number().int(),
  bucketMinutes: z.number().int(),
  counts: DashboardCounts,
  arrivals: z.array(ArrivalBucket),
  /** The event's topics (and any topic removed since, still in someone's intent), most sought first. */
  supplyDemand: z.array(TopicSupplyDemand),
  devices: z.array(DeviceState),
});
export type DashboardSnapshot = z.infer<typeof DashboardSnapshot>;

/** A kiosk reports its offline queue over its socket (on connect and whenever it changes). */
export const DeviceStatusBody = z.object({ queueLength: z.number().int().min(0).max(1_000_000) });
export type DeviceStatusBody = z.infer<typeof DeviceStatusBody>;

/** To an event's organisers: a device connected, disconnected or reported its queue. */
export const DeviceChanged = z.object({ eventId: Id, deviceId: Id, at: z.string() });
export type DeviceChanged = z.infer<typeof DeviceChanged>;

/** To an event's organisers: an attendee's intent, profile or opt-out changed. */
export const AttendeeChanged = z.object({ eventId: Id, attendeeId: Id, at: z.string() });
export type AttendeeChanged = z.infer<typeof AttendeeChanged>;

/** To an event's organisers: a pair's state changed (an answer, a meeting, an introduction). */
export const PairChanged = z.object({ eventId: Id, attendeeIds: z.tuple([Id, Id]), at: z.string() });
export type PairChanged = z.infer<typeof PairChanged>;

/** To an event's organisers: the event's settings or times changed. */
export const EventChanged = z.object({ eventId: Id, at: z.string() });
export type EventChanged = z.infer<typeof EventChanged>;
