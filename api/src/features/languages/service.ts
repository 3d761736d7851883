import { and, eq } from 'drizzle-orm';
import { attendees, events, type Db } from '@edgewise/db';
import type { LanguageCode } from '@edgewise/shared';
import { AppError } from '../../http/errors';
import { eventLanguagesOf } from '../events/service';

/** `language_not_offered` unless the event offers `language`. */
export function requireOffered(event: { languages: string[]; defaultLanguage: string }, language: LanguageCode, path = 'language') {
  const { languages } = eventLanguagesOf(event);
  if (languages.includes(language)) return;
  throw new AppError('language_not_offered', `This event is not offered in "${language}".`, [
    { path, message: `is not one of the event's languages (${languages.join(', ')})`, code: 'language_not_offered' },
  ]);
}

/** Stores a guest's language, already checked against the event's (inside the caller's transaction). */
export async function storeAttendeeLanguage(db: Db, attendeeId: string, language: LanguageCode): Promise<void> {
  await db.update(attendees).set({ language }).where(eq(attendees.id, attendeeId));
}

/**
 * A guest's own language (chosen at the kiosk or on /me): their pages, suggestions and mails
 * follow it. It must be one of the event's languages.
 */
export async function setAttendeeLanguage(db: Db, eventId: string, attendeeId: string, language: LanguageCode): Promise<void> {
  const [event] = await db.select({ languages: events.languages, defaultLanguage: events.defaultLanguage }).from(events).where(eq(events.id, eventId)).limit(1);
  if (!event) throw new AppError('not_found', 'No such event.');
  requireOffered(event, language);
  const [row] = await db
    .update(attendees)
    .set({ language })
    .where(and(eq(attendees.id, attendeeId), eq(attendees.eventId, eventId)))
    .returning({ id: attendees.id });
  if (!row) throw new AppError('not_found', 'No such attendee.');
}
