import { and, eq, gte } from 'drizzle-orm';
import { attendeePhotos, events, type Db } from '@edgewise/db';
import type { MyPhoto } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import { AppError } from '../../http/errors';
import { requireAttendee } from '../attendees/service';
import { presenceOf } from '../checkins/repo';
import { kioskMayActFor } from '../checkins/kiosk-guest';
import { processPhoto } from './image';
import { deletePhoto, mayViewerSee, mutualPartnersOf, photoById, photoUrlOf, savePhoto } from './repo';

interface Who {
  id: string;
  eventId: string;
}

/**
 * Stores an attendee's photo once they are checked in at an open event: anyone holding only a
 * mailed sign-in link, or whose event is over, cannot upload. The bytes are re-encoded before
 * anything is kept, and the people mutual with them see the new photo at once.
 */
export async function uploadPhoto(ctx: FeatureContext, me: Who, body: Buffer): Promise<MyPhoto> {
  const db = ctx.deps.database.db;
  await requireEventTakesPhotos(ctx, me.eventId);
  const presence = (await presenceOf(db, [me.id])).get(me.id);
  if (presence !== 'present' && presence !== 'away') throw new AppError('not_checked_in', 'Check in at the event first: then you can add a photo.');
  await takePhotoTurn(ctx, me.id);
  const processed = await processPhoto(body);
  const id = await savePhoto(db, { attendeeId: me.id, eventId: me.eventId, ...processed, at: new Date(ctx.deps.now()) });
  await ctx.realtime.attendeeListsChanged(me.eventId, await mutualPartnersOf(db, me.eventId, me.id));
  return { photoUrl: photoUrlOf(id), width: processed.width, height: processed.height };
}

async function requireEventTakesPhotos(ctx: FeatureContext, eventId: string): Promise<void> {
  const [event] = await ctx.deps.database.db.select({ status: events.status, erasedAt: events.erasedAt }).from(events).where(eq(events.id, eventId)).limit(1);
  if (!event || event.erasedAt || event.status === 'closed') throw new AppError('event_closed', 'This event is over: photos can no longer be added.');
}

/** One upload of the attendee's 10 per 15 minutes, whether from their phone or the kiosk. */
async function takePhotoTurn(ctx: FeatureContext, attendeeId: string): Promise<void> {
  const retryAfter = await ctx.limiters.photo.take(attendeeId);
  if (retryAfter > 0) throw new AppError('rate_limited', 'Too many photos in a short time: wait a few minutes and try again.', { retryAfterSeconds: retryAfter });
}

const KIOSK_PHOTO_REFUSED = 'This kiosk can take a photo only right after it checks you in. You can add one on your phone instead.';

/**
 * A photo taken at the kiosk for the guest standing at it. The kiosk holds no session of the
 * guest, so it gets the narrow capability of `kioskMayActFor` (its latest scan, a few minutes
 * ago, is of this guest, still present), and only when that kiosk accepted the guest's own
 * entry or walk-in then (not a guest it only found already in), once per such check-in (never
 * over a photo set since, by the kiosk or the guest's phone).
 */
export async function uploadKioskPhoto(ctx: FeatureContext, deviceId: string, eventId: string, attendeeId: string, body: Buffer): Promise<void> {
  const { deps } = ctx;
  const db = deps.database.db;
  await requireAttendee(db, eventId, attendeeId);
  await requireEventTakesPhotos(ctx, eventId);
  const mayAct = async (tx: Db) => {
    // The guest standing at it now, let in by its own scan in the last few minutes.
    const entry = (await kioskMayActFor(tx, eventId, deviceId, attendeeId, deps.now()))?.acceptedEntry;
    if (!entry) throw new AppError('kiosk_photo_not_allowed', KIOSK_PHOTO_REFUSED);
    return entry;
  };
  // Checked before the work of decoding, and again, under a lock on the guest, before storing.
  await mayAct(db);
  await takePhotoTurn(ctx, attendeeId);
  const processed = await processPhoto(body);
  await db.transaction(async (tx) => {
    await requireAttendee(tx, eventId, attendeeId, true);
    const entry = await mayAct(tx);
    const [newer] = await tx
      .select({ id: attendeePhotos.id })
      .from(attendeePhotos)
      .where(and(eq(attendeePhotos.attendeeId, attendeeId), gte(attendeePhotos.createdAt, entry.receivedAt)))
      .limit(1);
    if (newer) throw new AppError('kiosk_photo_not_allowed', 'A photo was already added since this check-in. You can change it on your phone.');
    await savePhoto(tx, { attendeeId, eventId, ...processed, at: new Date(deps.now()) });
  });
  await ctx.realtime.attendeeListsChanged(eventId, await mutualPartnersOf(db, eventId, attendeeId));
}

export async function removePhoto(ctx: FeatureContext, me: Who): Promise<void> {
  const db = ctx.deps.database.db;
  if (await deletePhoto(db, me.id)) await ctx.realtime.attendeeListsChanged(me.eventId, await mutualPartnersOf(db, me.eventId, me.id));
}

/**
 * The photo's bytes when this session may see them: its own photo, or the photo of someone
 * in a pair with it that both said yes to (or an introduction), in the same event. Checked on
 * every fetch: knowing the address is not enough.
 */
export async function photoForViewer(ctx: FeatureContext, viewer: Who, photoId: string): Promise<Buffer | null> {
  const db = ctx.deps.database.db;
  const photo = await photoById(db, photoId);
  if (!photo || photo.eventId !== viewer.eventId) return null;
  if (photo.attendeeId === viewer.id) return photo.jpeg;
  return (await mayViewerSee(db, viewer.eventId, viewer.id, photo.attendeeId)) ? photo.jpeg : null;
}
