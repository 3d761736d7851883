import { eq, sql } from 'drizzle-orm';
import { attendees, intents, type Db } from '@edgewise/db';

export type IntentRow = typeof intents.$inferSelect;

export async function intentOf(db: Db, attendeeId: string): Promise<IntentRow | undefined> {
  const [row] = await db.select().from(intents).where(eq(intents.attendeeId, attendeeId)).limit(1);
  return row;
}

export interface IntentValues {
  seeks: string[];
  offers: string[];
  interests: string[];
  askMeAbout: string;
  hostOptIn: boolean;
  showOnScreen: boolean;
}

/** Creates the intent at version 1 or replaces it, one version up, in one statement. */
export async function upsertIntent(db: Db, eventId: string, attendeeId: string, values: IntentValues, at: Date): Promise<IntentRow> {
  const [row] = await db
    .insert(intents)
    .values({ attendeeId, eventId, ...values, version: 1, updatedAt: at })
    .onConflictDoUpdate({
      target: intents.attendeeId,
      set: { ...values, version: sql`${intents.version} + 1`, updatedAt: at },
    })
    .returning();
  if (!row) throw new Error('intent upsert returned nothing');
  return row;
}

export async function setFirstTime(db: Db, attendeeId: string, firstTime: boolean, at: Date) {
  await db.update(attendees).set({ firstTime, updatedAt: at }).where(eq(attendees.id, attendeeId));
}
