/**
 * The event's floor plan: one image per event, re-encoded on the way in (upright, at most
 * 2000 px, no metadata), kept in the database like photos so it goes with the event and every
 * node serves it. Spots and kiosks are pinned on it by fractions of its width and height.
 */
import { and, eq, isNotNull } from 'drizzle-orm';
import sharp from 'sharp';
import { floorPlans, kioskPins, meetingPoints, pairMeetings, type Db } from '@edgewise/db';
import type { FloorPlan } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import type { AuthContext } from '../../http/auth';
import { AppError } from '../../http/errors';
import { requireEvent } from '../attendees/service';
import { actorOf, recordAudit } from '../audit/record';
import { checkedHeader, oneAtATime, PHOTO_MAX_INPUT_PIXELS, type ImageWords } from '../photos/image';

/** The longest side of a stored plan: sharp enough to read table numbers on a laptop, light enough for a phone. */
export const FLOOR_PLAN_MAX_SIDE = 2000;

const PLAN_WORDS: ImageWords = {
  empty: 'The floor plan file is empty.',
  tooLarge: 'The floor plan is larger than 5 MB.',
  unreadable: 'This is not a floor plan we can read: send a JPEG or PNG image.',
  tooManyPixels: 'The floor plan has too many pixels: export it smaller.',
};

export interface ProcessedPlan {
  image: Buffer;
  contentType: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
}

/**
 * Re-encodes an uploaded plan: turned upright by its EXIF orientation, fitted in 2000 x 2000,
 * transparency on white, without any metadata (sharp writes none unless asked). A PNG stays a
 * PNG (drawings keep their sharp lines), a JPEG stays a JPEG (photographed plans stay small).
 */
export async function processFloorPlan(input: Buffer): Promise<ProcessedPlan> {
  const { format } = await checkedHeader(input, PLAN_WORDS);
  try {
    const fitted = sharp(input, { limitInputPixels: PHOTO_MAX_INPUT_PIXELS, failOn: 'error', pages: 1 })
      .rotate()
      .resize(FLOOR_PLAN_MAX_SIDE, FLOOR_PLAN_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' });
    const { data, info } = await oneAtATime(() => (format === 'png' ? fitted.png({ compressionLevel: 9 }) : fitted.jpeg({ quality: 85 })).toBuffer({ resolveWithObject: true }));
    return { image: data, contentType: format === 'png' ? 'image/png' : 'image/jpeg', width: info.width, height: info.height };
  } catch {
    throw new AppError('image_unreadable', 'This floor plan could not be read to its end: export it again.');
  }
}

/** The address the plan is fetched at: its version rides along, so a new plan is a new address. */
export const floorPlanUrlOf = (eventId: string, version: string) => `/api/events/${eventId}/floor-plan?v=${version}`;

/** The event's plan without its bytes, or null. */
export async function floorPlanOf(db: Db, eventId: string): Promise<FloorPlan | null> {
  const [row] = await db
    .select({ id: floorPlans.id, width: floorPlans.width, height: floorPlans.height, at: floorPlans.createdAt })
    .from(floorPlans)
    .where(eq(floorPlans.eventId, eventId))
    .limit(1);
  return row ? { url: floorPlanUrlOf(eventId, row.id), width: row.width, height: row.height, uploadedAt: row.at.toISOString() } : null;
}

export async function floorPlanImage(db: Db, eventId: string) {
  const [row] = await db
    .select({ id: floorPlans.id, image: floorPlans.image, contentType: floorPlans.contentType })
    .from(floorPlans)
    .where(eq(floorPlans.eventId, eventId))
    .limit(1);
  return row ?? null;
}

/** Stores (or replaces) the plan under a new version. Pins stay: a better drawing of the same venue keeps them. */
export async function saveFloorPlan(db: Db, eventId: string, plan: ProcessedPlan, at: Date): Promise<void> {
  const id = crypto.randomUUID();
  await db
    .insert(floorPlans)
    .values({ eventId, id, ...plan, createdAt: at })
    .onConflictDoUpdate({ target: floorPlans.eventId, set: { id, ...plan, createdAt: at } });
}

/** Removes the plan and every pin on it (they meant places on that image); true when there was one. */
export async function deleteFloorPlan(db: Db, eventId: string): Promise<{ removed: boolean; pins: number }> {
  const gone = await db.delete(floorPlans).where(eq(floorPlans.eventId, eventId)).returning({ id: floorPlans.id });
  const unpinned = await db
    .update(meetingPoints)
    .set({ pinX: null, pinY: null })
    .where(and(eq(meetingPoints.eventId, eventId), isNotNull(meetingPoints.pinX)))
    .returning({ id: meetingPoints.id });
  await db.delete(kioskPins).where(eq(kioskPins.eventId, eventId));
  return { removed: gone.length > 0, pins: unpinned.length };
}

/** The people of pairs heading to a pinned spot: their cards show the plan, so they hear of a change to it. */
export async function peopleAtPinnedSpots(db: Db, eventId: string): Promise<string[]> {
  const rows = await db
    .select({ a: pairMeetings.aId, b: pairMeetings.bId })
    .from(pairMeetings)
    .innerJoin(meetingPoints, eq(meetingPoints.id, pairMeetings.meetingPointId))
    .where(and(eq(pairMeetings.eventId, eventId), isNotNull(meetingPoints.pinX)));
  return [...new Set(rows.flatMap((r) => [r.a, r.b]))];
}

/**
 * Stores an uploaded plan under a new address (audited) and tells the pairs whose cards show it.
 * An erased event takes none.
 */
export async function uploadFloorPlan(ctx: FeatureContext, auth: AuthContext, eventId: string, body: Buffer): Promise<FloorPlan> {
  const db = ctx.deps.database.db;
  const event = await requireEvent(db, eventId);
  if (event.erasedAt) throw new AppError('event_erased', "This event's personal data was erased: it takes no floor plan.");
  const plan = await processFloorPlan(body);
  const now = ctx.deps.now();
  await db.transaction(async (tx) => {
    await saveFloorPlan(tx, eventId, plan, new Date(now));
    await recordAudit(tx, now, actorOf(auth), {
      action: 'floor_plan.upload',
      eventId,
      details: { width: plan.width, height: plan.height, bytes: plan.image.length, type: plan.contentType },
    });
  });
  await ctx.realtime.attendeeListsChanged(eventId, await peopleAtPinnedSpots(db, eventId));
  return (await floorPlanOf(db, eventId))!;
}

/** Removes the plan and its pins (audited when there was one) and tells the pairs whose cards showed it. */
export async function removeFloorPlan(ctx: FeatureContext, auth: AuthContext, eventId: string): Promise<void> {
  const db = ctx.deps.database.db;
  const told = await peopleAtPinnedSpots(db, eventId);
  const now = ctx.deps.now();
  await db.transaction(async (tx) => {
    const { removed, pins } = await deleteFloorPlan(tx, eventId);
    if (removed) await recordAudit(tx, now, actorOf(auth), { action: 'floor_plan.remove', eventId, details: { pinsRemoved: pins } });
  });
  await ctx.realtime.attendeeListsChanged(eventId, told);
}
