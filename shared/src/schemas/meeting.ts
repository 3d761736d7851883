import { z } from 'zod';
import { Id, text } from './common';

/**
 * A place on the event's floor plan: `x` from its left edge and `y` from its top, as
 * fractions of the plan's width and height (0 to 1), so a pin stays put however large the
 * plan is drawn.
 */
export const Pin = z.object({ x: z.number().min(0).max(1), y: z.number().min(0).max(1) });
export type Pin = z.infer<typeof Pin>;

/**
 * A spot in the venue the organiser named ("Spot A: by the window", "Table 4"), and the zone
 * of the venue it is in ("Ground floor", "Hall B"), if the organiser named zones.
 */
export const MeetingPoint = z.object({ id: Id, name: z.string(), zone: z.string().nullable(), pin: Pin.nullable() });
export type MeetingPoint = z.infer<typeof MeetingPoint>;

export const MeetingPointName = text(80).pipe(z.string().min(1, 'is required'));
/** A zone of the venue; empty (or left out) means none. */
export const ZoneName = text(40).transform((z) => (z === '' ? null : z));

/** A kiosk and the zone it stands in: the people it checks in were last seen there. */
export const KioskZone = z.object({ id: Id, name: z.string(), zone: z.string().nullable(), pin: Pin.nullable() });
export type KioskZone = z.infer<typeof KioskZone>;

/**
 * The event's meeting points, whole, in order. A point sent with its `id` keeps it (pairs sent
 * there stay there, under the new name); one left out is removed; one without an `id` is new.
 * `kiosks`, when sent, sets the zone each of the event's kiosks stands in (one left out keeps its zone).
 * A `pin` places a point or kiosk on the floor plan (only while the event has one); null
 * takes it off; left out, a point or kiosk keeps the pin it has.
 */
export const MeetingPointsBody = z.object({
  points: z.array(z.object({ id: Id.optional(), name: MeetingPointName, zone: ZoneName.nullable().optional(), pin: Pin.nullable().optional() })).max(40),
  kiosks: z.array(z.object({ id: Id, zone: ZoneName.nullable(), pin: Pin.nullable().optional() })).max(100).optional(),
});
export type MeetingPointsBody = z.input<typeof MeetingPointsBody>;

/** The event's floor plan as the server keeps it: `url` changes with every upload. */
export const FloorPlan = z.object({ url: z.string(), width: z.number().int(), height: z.number().int(), uploadedAt: z.string() });
export type FloorPlan = z.infer<typeof FloorPlan>;

/** The meeting points and, for the organiser, the event's kiosks with their zones and the floor plan, if any. */
export const MeetingPoints = z.object({ points: z.array(MeetingPoint), kiosks: z.array(KioskZone), floorPlan: FloorPlan.nullable() });
export type MeetingPoints = z.infer<typeof MeetingPoints>;

/** "Where I am": a short line for the people someone is mutual with, and when it was written. */
export const WhereIAm = z.object({ text: z.string(), at: z.string() });
export type WhereIAm = z.infer<typeof WhereIAm>;

/** Write (or, with an empty text, clear) one's own "where I am" line. */
export const SetWhereIAm = z.object({ text: text(120) });
export type SetWhereIAm = z.infer<typeof SetWhereIAm>;

/**
 * Where and when two people who both said yes (or were introduced) meet, as one of them sees
 * it. `spot` is null when the organiser named no spots. `pickedBy` says whether the spot is
 * Edgewise's proposal or one of the two chose it.
 */
export const MeetingView = z.object({
  spot: MeetingPoint.nullable(),
  at: z.string(),
  pickedBy: z.enum(['proposal', 'me', 'them']),
  /** When the viewer said "I'm on my way", if they did. */
  myOnMyWayAt: z.string().nullable(),
  /** When the other person said "I'm on my way", if they did. */
  theirOnMyWayAt: z.string().nullable(),
  /**
   * The edges first: with a newcomer in the pair, the other person goes to them.
   * `go_to_them`: the viewer should go and find the other person; `they_come_to_you`: the
   * other person was asked to come; null: both walk to the spot.
   */
  nudge: z.enum(['go_to_them', 'they_come_to_you']).nullable(),
  /** The event's floor plan, when the spot has a pin on it (fetched with the session, like a photo). */
  floorPlanUrl: z.string().nullable(),
});
export type MeetingView = z.infer<typeof MeetingView>;

/** Pick another spot for a pair's meeting (either person may). */
export const PickMeetingPoint = z.object({ suggestionId: Id, meetingPointId: Id });
export type PickMeetingPoint = z.infer<typeof PickMeetingPoint>;

/** Say "I'm on my way" to the other person of a pair. */
export const OnMyWay = z.object({ suggestionId: Id });
export type OnMyWay = z.infer<typeof OnMyWay>;

/** The answer to a photo upload: the address the owner's own page shows it at. */
export const MyPhoto = z.object({ photoUrl: z.string(), width: z.number().int(), height: z.number().int() });
export type MyPhoto = z.infer<typeof MyPhoto>;

export const PhotoParams = z.object({ photoId: Id });
