import { and, desc, eq, like, or, sql } from 'drizzle-orm';
import { eventAccess, events, intents, rowsOf, type Db } from '@edgewise/db';
import {
  baseLanguage,
  defaultEventSettings,
  eventTemplate,
  slugOf,
  type CreateEventBody,
  type Event,
  type EventSettings,
  type EventStats,
  type OrganiserRole,
  type KioskEvent,
  type UpdateEventBody,
} from '@edgewise/shared';
import { AppError } from '../../http/errors';
import { eventLanguagesOf } from '../../i18n';
import { translatedVocabulary } from '../../i18n/templates';

export { eventLanguagesOf };
import { awaySql, checkOutEveryone } from '../checkins/presence-repo';

export type EventRow = typeof events.$inferSelect;

export function toEventDto(row: EventRow): Event {
  const settings = { ...defaultEventSettings, ...row.settings };
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    timeZone: row.timeZone,
    status: row.status,
    venue: row.venue,
    // Stored settings may predate a setting added since: the defaults fill the gap. The
    // follow-up once allowed 48 hours; it goes out within a day now, as the scheduler does.
    settings: { ...settings, followUpHours: Math.min(24, settings.followUpHours) },
    ...eventLanguagesOf(row),
    erasedAt: row.erasedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toKioskEvent(row: EventRow): KioskEvent {
  const e = toEventDto(row);
  return {
    id: e.id,
    name: e.name,
    status: e.status,
    timeZone: e.timeZone,
    settings: e.settings,
    startsAt: e.startsAt,
    endsAt: e.endsAt,
    languages: e.languages,
    defaultLanguage: e.defaultLanguage,
  };
}

/** The default must be one of the event's languages; a body may change either or both. */
function checkLanguages(languages: readonly string[], defaultLanguage: string, body: { languages?: unknown; defaultLanguage?: unknown }) {
  if (languages.includes(defaultLanguage)) return;
  const path = body.defaultLanguage !== undefined ? 'defaultLanguage' : 'languages';
  throw new AppError('language_not_offered', `The default language "${defaultLanguage}" must be one of the event's languages.`, [
    { path, message: `"${defaultLanguage}" is not among the event's languages (${languages.join(', ')})`, code: 'language_not_offered' },
  ]);
}

/** The event row, or `not_found`: for any feature that acts on one event. */
export async function getEvent(db: Db, eventId: string): Promise<EventRow> {
  const [row] = await db.select().from(events).where(eq(events.id, eventId)).limit(1);
  if (!row) throw new AppError('not_found', 'No such event.');
  return row;
}

/** The events this member works on: every event for an owner, the ones they were given otherwise. */
export async function listEvents(db: Db, member: { id: string; role: OrganiserRole }): Promise<Event[]> {
  const order = [desc(events.createdAt), desc(events.startsAt)];
  const rows =
    member.role === 'owner'
      ? await db.select().from(events).orderBy(...order)
      : (
          await db
            .select({ event: events })
            .from(events)
            .innerJoin(eventAccess, and(eq(eventAccess.eventId, events.id), eq(eventAccess.organiserId, member.id)))
            .orderBy(...order)
        ).map((r) => r.event);
  return rows.map(toEventDto);
}

type Problem = { path: string; message: string; code: string };

/** The same label twice in one list would split one intent into two (even as "AI" and "ai"). */
function checkUnique(labels: readonly string[], path: (i: number) => string, what: string, problems: Problem[]) {
  const seen = new Map<string, number>();
  labels.forEach((label, i) => {
    const key = label.toLocaleLowerCase();
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else problems.push({ path: path(i), message: `"${label}" repeats ${what} ${first + 1}`, code: 'duplicate_tag' });
  });
}

/** Interest translations follow the interests: a label the event no longer has loses its own. */
function withCurrentInterests(settings: EventSettings): EventSettings {
  const kept = Object.entries(settings.interestTranslations ?? {}).filter(([label]) => settings.interestTags.includes(label));
  return { ...settings, interestTranslations: Object.fromEntries(kept) };
}

function checkSettings(settings: EventSettings) {
  const problems: Problem[] = [];
  const { topics } = settings;
  checkUnique(topics.map((t) => t.id), (i) => `settings.topics.${i}.id`, 'topic', problems);
  checkUnique(topics.map((t) => t.seekLabel), (i) => `settings.topics.${i}.seekLabel`, 'topic', problems);
  // A one-label topic may share its label with itself, not with another topic's offer.
  checkUnique(topics.map((t) => t.offerLabel), (i) => `settings.topics.${i}.offerLabel`, 'topic', problems);
  topics.forEach((t, i) => {
    if (topics.some((o) => o.id !== t.id && o.seekLabel.toLocaleLowerCase() === t.offerLabel.toLocaleLowerCase())) {
      problems.push({ path: `settings.topics.${i}.offerLabel`, message: `"${t.offerLabel}" is another topic's "looking for" label`, code: 'duplicate_tag' });
    }
  });
  checkUnique(settings.interestTags, (i) => `settings.interestTags.${i}`, 'interest', problems);
  if (problems.length) throw new AppError('validation_failed', 'The request is not valid.', problems);
}

/** A template's vocabulary under the defaults, and the body's own settings over both. */
function initialSettings(body: CreateEventBody): EventSettings {
  // The vocabulary comes with its labels in every supported language (the message files' `templates`).
  if (body.template !== undefined && !eventTemplate(body.template)) {
    throw new AppError('validation_failed', 'The request is not valid.', [{ path: 'template', message: `"${body.template}" is not a template`, code: 'invalid_value' }]);
  }
  const vocabulary = translatedVocabulary(body.template ?? 'default');
  const translated = vocabulary ? { topics: vocabulary.topics, interestTags: vocabulary.interests, interestTranslations: vocabulary.interestTranslations } : {};
  return withCurrentInterests({ ...defaultEventSettings, ...translated, ...body.settings });
}

/**
 * A topic the organiser removed leaves everyone's intent, so nobody is suggested for a
 * topic the event no longer has; a topic kept under its id keeps its people.
 */
async function dropRemovedTopics(db: Db, eventId: string, before: EventSettings, after: EventSettings, at: Date) {
  const kept = new Set(after.topics.map((t) => t.id));
  const removed = before.topics.map((t) => t.id).filter((id) => !kept.has(id));
  if (removed.length === 0) return;
  const gone = sql`array[${sql.join(
    removed.map((id) => sql`${id}`),
    sql`, `,
  )}]::text[]`;
  const keep = (col: typeof intents.seeks | typeof intents.offers) =>
    sql`coalesce((select jsonb_agg(x) from jsonb_array_elements_text(${col}) x where not (x = any(${gone}))), '[]'::jsonb)`;
  await db
    .update(intents)
    .set({ seeks: keep(intents.seeks), offers: keep(intents.offers), version: sql`${intents.version} + 1`, updatedAt: at })
    .where(and(eq(intents.eventId, eventId), sql`(${intents.seeks} ?| ${gone} or ${intents.offers} ?| ${gone})`));
}

export function slugify(name: string): string {
  const slug = slugOf(name, 50);
  // Names in scripts without a Latin spelling leave nothing usable behind.
  return slug.length >= 2 ? slug : 'event';
}

async function freeSlug(db: Db, base: string): Promise<string> {
  const taken = new Set(
    (
      await db
        .select({ slug: events.slug })
        .from(events)
        .where(or(eq(events.slug, base), like(events.slug, `${base}-%`)))
    ).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export interface CreateEventOptions {
  createdBy: string | null;
  now: number;
}

export async function createEvent(db: Db, body: CreateEventBody, opts: CreateEventOptions): Promise<EventRow> {
  const settings = initialSettings(body);
  checkSettings(settings);
  const languages = body.languages ?? (body.defaultLanguage ? [body.defaultLanguage] : [baseLanguage]);
  const defaultLanguage = body.defaultLanguage ?? languages[0]!;
  checkLanguages(languages, defaultLanguage, body);
  const values = {
    name: body.name,
    venue: body.venue ?? '',
    startsAt: new Date(body.startsAt),
    endsAt: new Date(body.endsAt),
    timeZone: body.timeZone,
    status: body.status ?? 'draft',
    settings,
    languages,
    defaultLanguage,
    createdBy: opts.createdBy,
    createdAt: new Date(opts.now),
    updatedAt: new Date(opts.now),
  } as const;

  if (body.slug) {
    const [row] = await db
      .insert(events)
      .values({ ...values, slug: body.slug })
      .onConflictDoNothing({ target: events.slug })
      .returning();
    if (!row) throw new AppError('conflict', `The address "${body.slug}" is taken by another event.`, [{ path: 'slug', message: 'is taken', code: 'taken' }]);
    return granted(db, row, opts.createdBy);
  }
  // Another event may take the same slug between the look-up and the insert: try again.
  const base = slugify(body.name);
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = await freeSlug(db, base);
    const [row] = await db
      .insert(events)
      .values({ ...values, slug })
      .onConflictDoNothing({ target: events.slug })
      .returning();
    if (row) return granted(db, row, opts.createdBy);
  }
  throw new AppError('conflict', 'Could not find a free address for this event: give it a slug.');
}

/** Whoever creates an event works on it, whatever their role. */
async function granted(db: Db, row: EventRow, organiserId: string | null): Promise<EventRow> {
  if (organiserId) await db.insert(eventAccess).values({ organiserId, eventId: row.id }).onConflictDoNothing();
  return row;
}

export async function updateEvent(db: Db, eventId: string, body: UpdateEventBody, now: number): Promise<EventRow> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(events).where(eq(events.id, eventId)).for('update');
    if (!current) throw new AppError('not_found', 'No such event.');
    if (current.erasedAt && body.status !== undefined && body.status !== 'closed') {
      throw new AppError('event_erased', "This event's personal data was erased: it stays closed.");
    }
    const startsAt = body.startsAt ? new Date(body.startsAt) : current.startsAt;
    const endsAt = body.endsAt ? new Date(body.endsAt) : current.endsAt;
    if (endsAt.getTime() <= startsAt.getTime()) {
      throw new AppError('validation_failed', 'The request is not valid.', [
        { path: body.endsAt ? 'endsAt' : 'startsAt', message: 'the event must end after it starts', code: 'custom' },
      ]);
    }
    const settings: EventSettings = withCurrentInterests({ ...defaultEventSettings, ...current.settings, ...body.settings });
    checkSettings(settings);
    const languages = body.languages ?? current.languages;
    const defaultLanguage = body.defaultLanguage ?? current.defaultLanguage;
    checkLanguages(languages, defaultLanguage, body);
    await dropRemovedTopics(tx, eventId, { ...defaultEventSettings, ...current.settings }, settings, new Date(now));
    if (body.slug && body.slug !== current.slug) {
      const [clash] = await tx.select({ id: events.id }).from(events).where(eq(events.slug, body.slug)).limit(1);
      if (clash) throw new AppError('conflict', `The address "${body.slug}" is taken by another event.`, [{ path: 'slug', message: 'is taken', code: 'taken' }]);
    }
    const [row] = await tx
      .update(events)
      .set({
        ...(body.name !== undefined && { name: body.name }),
        ...(body.slug !== undefined && { slug: body.slug }),
        ...(body.venue !== undefined && { venue: body.venue }),
        ...(body.timeZone !== undefined && { timeZone: body.timeZone }),
        ...(body.status !== undefined && { status: body.status }),
        ...(body.languages !== undefined && { languages: body.languages }),
        ...(body.defaultLanguage !== undefined && { defaultLanguage: body.defaultLanguage }),
        startsAt,
        endsAt,
        settings,
        updatedAt: new Date(now),
      })
      .where(eq(events.id, eventId))
      .returning();
    if (!row) throw new AppError('not_found', 'No such event.');
    // Closing checks everyone out: nobody stays "present" at an event that is over.
    if (row.status === 'closed' && current.status !== 'closed') await checkOutEveryone(tx, eventId, now);
    return row;
  });
}

/**
 * Counts from the scan log. Presence is the latest effective scan per attendee by the
 * time it was scanned (offline uploads arrive late but count in the order they happened);
 * someone checked in with no sign of life for the event's "away after" minutes is away.
 */
export async function eventStats(db: Db, eventId: string, now: number): Promise<EventStats> {
  const result = await db.execute<StatsRow>(sql`
    with latest as (
      select distinct on (attendee_id) attendee_id, type, scanned_at
      from checkins
      where event_id = ${eventId} and effective and attendee_id is not null
      order by attendee_id, scanned_at desc, received_at desc, id desc
    ),
    presence as (
      select l.type, ${awaySql(sql`e.settings`, sql`l.scanned_at`, sql`a.last_sign_at`, now)} as away
      from latest l join attendees a on a.id = l.attendee_id join events e on e.id = a.event_id
    )
    select
      (select count(*)::int from attendees where event_id = ${eventId}) as registered,
      (select count(distinct attendee_id)::int from checkins
        where event_id = ${eventId} and effective and type = 'entry' and attendee_id is not null) as checked_in,
      (select count(*)::int from presence where type = 'entry' and not away) as present,
      (select count(*)::int from presence where type = 'entry' and away) as away,
      (select count(*)::int from presence where type = 'exit') as left_now,
      (select count(*)::int from checkins where event_id = ${eventId} and flagged) as flagged
  `);
  const row = rowsOf<StatsRow>(result)[0];
  return {
    registered: Number(row?.registered ?? 0),
    checkedIn: Number(row?.checked_in ?? 0),
    present: Number(row?.present ?? 0),
    away: Number(row?.away ?? 0),
    left: Number(row?.left_now ?? 0),
    flagged: Number(row?.flagged ?? 0),
  };
}

type StatsRow = { registered: number; checked_in: number; present: number; away: number; left_now: number; flagged: number };
