import { and, desc, eq, gt, sql } from 'drizzle-orm';
import { checkins, phoneLinks, type Db } from '@edgewise/db';
import { presenceOf } from './repo';

/**
 * The guest standing at a kiosk, and what the kiosk may do for them. A kiosk holds no session
 * of anyone: it acts for a guest (reads and changes their answers and contact card, shows
 * their suggestions, takes their photo, hands them their phone link) only while that guest is
 * the one its own latest scan was about, a few minutes ago at most, and still present. Any
 * other guest of the event, the one before, or one long ago is refused: a kiosk token (or
 * someone at the kiosk with the browser's tools) reaches nobody else.
 */

/** How long after its scan the kiosk may still act for the guest it let in (or found already in). */
export const ACCEPTED_SCAN_MINUTES = 5;

/** This kiosk's scans of this event since `since`, by the kiosk's own clock and by ours. */
const scannedHereSince = (eventId: string, deviceId: string, since: Date) => [
  eq(checkins.eventId, eventId),
  eq(checkins.deviceId, deviceId),
  gt(checkins.receivedAt, since),
  gt(checkins.scannedAt, since),
];

/** An entry it accepted: a first entry, a re-entry or a walk-in it registered. */
const accepted = [eq(checkins.type, 'entry'), eq(checkins.status, 'ok'), eq(checkins.effective, true)];

/**
 * The latest scan this kiosk accepted as this guest's entry since `since`, when it arrived,
 * and whether a phone link was issued for it already.
 */
async function latestAcceptedEntry(db: Db, eventId: string, deviceId: string, attendeeId: string, since: Date) {
  const [row] = await db
    .select({ id: checkins.id, receivedAt: checkins.receivedAt, linked: sql<boolean>`${phoneLinks.id} is not null`.mapWith(Boolean) })
    .from(checkins)
    .leftJoin(phoneLinks, eq(phoneLinks.checkinId, checkins.id))
    .where(and(...scannedHereSince(eventId, deviceId, since), ...accepted, eq(checkins.attendeeId, attendeeId)))
    .orderBy(desc(checkins.receivedAt), desc(checkins.scannedAt))
    .limit(1);
  return row;
}

/**
 * This kiosk's latest scan since `since`, whatever it was: the one the kiosk's screen is
 * about now (each scan starts the screen over). Ordered by the kiosk's own clock, so a scan
 * it uploads late from its offline queue takes its place in the order it was made.
 */
async function latestScanHere(db: Db, eventId: string, deviceId: string, since: Date) {
  const [row] = await db
    .select({ attendeeId: checkins.attendeeId, type: checkins.type, status: checkins.status, effective: checkins.effective })
    .from(checkins)
    .where(and(...scannedHereSince(eventId, deviceId, since)))
    .orderBy(desc(checkins.scannedAt), desc(checkins.receivedAt), desc(checkins.id))
    .limit(1);
  return row;
}

export interface KioskGuest {
  /**
   * The entry (or walk-in) of this guest this kiosk accepted in the window, if any: a guest
   * it only found already in has none. A photo and a phone link go once per such entry.
   */
  acceptedEntry?: { id: string; receivedAt: Date; linked: boolean };
}

/**
 * Whether this kiosk may act now for this guest: its latest scan, made in the last
 * `ACCEPTED_SCAN_MINUTES`, is this guest's entry that it let in (a first entry, a re-entry, a
 * walk-in) or answered "already checked in" (a returning guest scanning again to change their
 * answers), and the guest is still present. Null when it may not.
 */
export async function kioskMayActFor(db: Db, eventId: string, deviceId: string, attendeeId: string, now: number): Promise<KioskGuest | null> {
  const since = new Date(now - ACCEPTED_SCAN_MINUTES * 60_000);
  const last = await latestScanHere(db, eventId, deviceId, since);
  const letIn = last?.type === 'entry' && ((last.status === 'ok' && last.effective) || last.status === 'already_checked_in');
  if (!last || !letIn || last.attendeeId !== attendeeId) return null;
  if ((await presenceOf(db, [attendeeId])).get(attendeeId) !== 'present') return null;
  const entry = await latestAcceptedEntry(db, eventId, deviceId, attendeeId, since);
  return entry ? { acceptedEntry: entry } : {};
}
