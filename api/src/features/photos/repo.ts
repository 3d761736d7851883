import { and, eq, inArray } from 'drizzle-orm';
import { attendeePhotos, suggestions, type Db } from '@edgewise/db';

/** The address a photo is fetched at; `id` changes with every upload. */
export const photoUrlOf = (photoId: string) => `/api/photos/${photoId}`;

export async function savePhoto(db: Db, row: { attendeeId: string; eventId: string; jpeg: Buffer; width: number; height: number; at: Date }): Promise<string> {
  const id = crypto.randomUUID();
  await db
    .insert(attendeePhotos)
    .values({ ...row, id, createdAt: row.at })
    .onConflictDoUpdate({ target: attendeePhotos.attendeeId, set: { id, jpeg: row.jpeg, width: row.width, height: row.height, createdAt: row.at } });
  return id;
}

export async function deletePhoto(db: Db, attendeeId: string): Promise<boolean> {
  const gone = await db.delete(attendeePhotos).where(eq(attendeePhotos.attendeeId, attendeeId)).returning({ id: attendeePhotos.id });
  return gone.length > 0;
}

export async function photoById(db: Db, photoId: string) {
  const [row] = await db.select().from(attendeePhotos).where(eq(attendeePhotos.id, photoId)).limit(1);
  return row ?? null;
}

/** Photo ids of some attendees, without the bytes. */
export async function photoIdsOf(db: Db, attendeeIds: readonly string[]): Promise<Map<string, string>> {
  if (attendeeIds.length === 0) return new Map();
  const rows = await db
    .select({ attendeeId: attendeePhotos.attendeeId, id: attendeePhotos.id })
    .from(attendeePhotos)
    .where(inArray(attendeePhotos.attendeeId, [...attendeeIds]));
  return new Map(rows.map((r) => [r.attendeeId, r.id]));
}

/** The states in which two people see each other's face, line and meeting: both said yes, or were introduced. */
export const FACE_STATES = ['mutual', 'met'] as const;

/** Whether `viewerId` is in a pair both said yes to (or an introduction) with `ownerId`, in that event. */
export async function mayViewerSee(db: Db, eventId: string, viewerId: string, ownerId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: suggestions.id })
    .from(suggestions)
    .where(
      and(
        eq(suggestions.eventId, eventId),
        eq(suggestions.attendeeId, viewerId),
        eq(suggestions.targetId, ownerId),
        inArray(suggestions.state, [...FACE_STATES]),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Everyone who sees this attendee's face, line and meetings: the other side of their mutual and met pairs. */
export async function mutualPartnersOf(db: Db, eventId: string, attendeeId: string): Promise<string[]> {
  const rows = await db
    .select({ id: suggestions.targetId })
    .from(suggestions)
    .where(and(eq(suggestions.eventId, eventId), eq(suggestions.attendeeId, attendeeId), inArray(suggestions.state, [...FACE_STATES])));
  return rows.map((r) => r.id);
}
