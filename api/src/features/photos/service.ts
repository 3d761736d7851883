import { eq } from 'drizzle-orm';
import { events } from '@edgewise/db';
import type { MyPhoto } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import { AppError } from '../../http/errors';
import { presenceOf } from '../checkins/repo';
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
  const [event] = await db.select({ status: events.status, erasedAt: events.erasedAt }).from(events).where(eq(events.id, me.eventId)).limit(1);
  if (!event || event.erasedAt || event.status === 'closed') throw new AppError('event_closed', 'This event is over: photos can no longer be added.');
  const presence = (await presenceOf(db, [me.id])).get(me.id);
  if (presence !== 'present' && presence !== 'away') throw new AppError('not_checked_in', 'Check in at the event first: then you can add a photo.');
  const retryAfter = await ctx.limiters.photo.take(me.id);
  if (retryAfter > 0) throw new AppError('rate_limited', 'Too many photos in a short time: wait a few minutes and try again.', { retryAfterSeconds: retryAfter });
  const processed = await processPhoto(body);
  const id = await savePhoto(db, { attendeeId: me.id, eventId: me.eventId, ...processed, at: new Date(ctx.deps.now()) });
  await ctx.realtime.attendeeListsChanged(me.eventId, await mutualPartnersOf(db, me.eventId, me.id));
  return { photoUrl: photoUrlOf(id), width: processed.width, height: processed.height };
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
