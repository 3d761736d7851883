import { and, eq, isNotNull, ne, sql } from 'drizzle-orm';
import { attendees, events, intents, tickets, type Db } from '@edgewise/db';
import { defaultEventSettings, importFieldLabels, type Attendee, type AttendeeInput, type AttendeePatch, type GuestListEntry, type ImportField, type ImportPreview, type ImportResult } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import type { AppDeps } from '../../deps';
import { AppError } from '../../http/errors';
import { BOM, csvRow } from '../exports/csv';
import { previewGuestCsv, problemText, readGuestCsv, rowsToAdd, type ExistingGuest, type ManualMapping, type Vocabulary } from './csv';
import { guestListRows } from './repo';

export type AttendeeRow = typeof attendees.$inferSelect;
export type AttendeeSource = AttendeeRow['source'];
export type EventRow = typeof events.$inferSelect;

const nameCollator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Name order as people expect it (accents and case aside), the same on every database. */
export const compareNames = (a: { name: string; id: string }, b: { name: string; id: string }) =>
  nameCollator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** 18 random bytes: 144 bits, 24 base64url characters in the QR. */
export const TICKET_SECRET_BYTES = 18;

export function toAttendeeDto(row: AttendeeRow): Attendee {
  return {
    id: row.id,
    eventId: row.eventId,
    name: row.name,
    email: row.email,
    company: row.company,
    role: row.role,
    firstTime: row.firstTime,
    host: row.host,
    source: row.source,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The event, or `not_found`. `lock` serialises guest-list writers of one event. */
export async function requireEvent(db: Db, eventId: string, lock = false): Promise<EventRow> {
  const query = db.select().from(events).where(eq(events.id, eventId)).limit(1);
  // `no key update` still lets check-ins insert rows referencing the event meanwhile.
  const [row] = lock ? await query.for('no key update') : await query;
  if (!row) throw new AppError('not_found', 'No such event.');
  return row;
}

/**
 * An event that can take new guests: an event whose personal data was erased is an archive,
 * and new personal data there would outlive the erasure the organiser asked for.
 */
export async function requireGuestListOpen(db: Db, eventId: string, lock = false): Promise<EventRow> {
  const event = await requireEvent(db, eventId, lock);
  if (event.erasedAt) throw new AppError('event_erased', "This event's personal data was erased: it takes no new guests.");
  return event;
}

/** The attendee of this event, or `not_found`: an id from another event never leaks. */
export async function requireAttendee(db: Db, eventId: string, attendeeId: string, lock = false): Promise<AttendeeRow> {
  const query = db
    .select()
    .from(attendees)
    .where(and(eq(attendees.id, attendeeId), eq(attendees.eventId, eventId)))
    .limit(1);
  const [row] = lock ? await query.for('no key update') : await query;
  if (!row) throw new AppError('not_found', 'No such attendee in this event.');
  return row;
}

function duplicateEmail(existing: { id: string; name: string }): AppError {
  return new AppError('duplicate_email', `${existing.name} already uses this email in this event.`, { attendeeId: existing.id });
}

async function findByEmail(db: Db, eventId: string, email: string) {
  const [row] = await db
    .select({ id: attendees.id, name: attendees.name })
    .from(attendees)
    .where(and(eq(attendees.eventId, eventId), eq(attendees.email, email)))
    .limit(1);
  return row;
}

const normaliseEmail = (email: string | null | undefined) => (email ? email.trim().toLowerCase() : null);

function attendeeValues(deps: AppDeps, eventId: string, input: AttendeeInput, source: AttendeeSource) {
  const at = new Date(deps.now());
  return {
    eventId,
    name: input.name,
    email: normaliseEmail(input.email),
    company: input.company ?? '',
    role: input.role ?? '',
    firstTime: input.firstTime ?? false,
    host: input.host ?? false,
    source,
    createdAt: at,
    updatedAt: at,
  };
}

function ticketValues(deps: AppDeps, eventId: string, attendeeId: string) {
  return { attendeeId, eventId, secret: deps.randomToken(TICKET_SECRET_BYTES), createdAt: new Date(deps.now()) };
}

/**
 * Inserts one attendee and its first ticket in the caller's transaction (walk-ins, demo
 * data and the guest list all come through here). A taken email is `duplicate_email`
 * with the existing attendee's id; the insert never aborts the caller's transaction.
 */
export async function createAttendee(
  tx: Db,
  deps: AppDeps,
  eventId: string,
  input: AttendeeInput,
  source: AttendeeSource,
): Promise<{ attendee: AttendeeRow; secret: string }> {
  const values = attendeeValues(deps, eventId, input, source);
  const [attendee] = await tx.insert(attendees).values(values).onConflictDoNothing({ target: [attendees.eventId, attendees.email] }).returning();
  if (!attendee) {
    const existing = values.email ? await findByEmail(tx, eventId, values.email) : undefined;
    throw existing ? duplicateEmail(existing) : new AppError('conflict', 'That attendee could not be stored: try again.');
  }
  const [ticket] = await tx.insert(tickets).values(ticketValues(deps, eventId, attendee.id)).returning({ secret: tickets.secret });
  if (!ticket) throw new Error('ticket insert returned nothing');
  return { attendee, secret: ticket.secret };
}

// Keeps each statement well below Postgres' 65 535 bind parameters.
const INSERT_CHUNK = 500;

/**
 * Inserts many attendees with their tickets in the caller's transaction. The caller has
 * already ruled out duplicates (under the event lock); a clash here means someone slipped
 * in between, and throwing rolls the whole batch back.
 */
export async function createAttendees(tx: Db, deps: AppDeps, eventId: string, inputs: AttendeeInput[], source: AttendeeSource): Promise<string[]> {
  const added: string[] = [];
  for (let i = 0; i < inputs.length; i += INSERT_CHUNK) {
    const chunk = inputs.slice(i, i + INSERT_CHUNK).map((input) => attendeeValues(deps, eventId, input, source));
    const rows = await tx
      .insert(attendees)
      .values(chunk)
      .onConflictDoNothing({ target: [attendees.eventId, attendees.email] })
      .returning({ id: attendees.id });
    if (rows.length !== chunk.length) {
      throw new AppError('conflict', 'Someone added a guest with one of these emails meanwhile: preview the file again.');
    }
    await tx.insert(tickets).values(rows.map((r) => ticketValues(deps, eventId, r.id)));
    added.push(...rows.map((r) => r.id));
  }
  return added;
}

export async function addAttendee(ctx: FeatureContext, eventId: string, input: AttendeeInput): Promise<Attendee> {
  const { deps } = ctx;
  const { attendee } = await deps.database.db.transaction(async (tx) => {
    await requireGuestListOpen(tx, eventId);
    return createAttendee(tx, deps, eventId, input, 'manual');
  });
  guestListChanged(ctx, eventId);
  return toAttendeeDto(attendee);
}

export async function updateAttendee(ctx: FeatureContext, eventId: string, attendeeId: string, patch: AttendeePatch): Promise<Attendee> {
  const { deps } = ctx;
  const row = await deps.database.db.transaction(async (tx) => {
    await requireAttendee(tx, eventId, attendeeId, true);
    const set: Partial<typeof attendees.$inferInsert> = { updatedAt: new Date(deps.now()) };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.company !== undefined) set.company = patch.company;
    if (patch.role !== undefined) set.role = patch.role;
    if (patch.firstTime !== undefined) set.firstTime = patch.firstTime;
    if (patch.host !== undefined) set.host = patch.host;
    if (patch.email !== undefined) {
      set.email = normaliseEmail(patch.email);
      if (set.email) {
        const [taken] = await tx
          .select({ id: attendees.id, name: attendees.name })
          .from(attendees)
          .where(and(eq(attendees.eventId, eventId), eq(attendees.email, set.email), ne(attendees.id, attendeeId)))
          .limit(1);
        if (taken) throw duplicateEmail(taken);
      }
    }
    const [updated] = await tx.update(attendees).set(set).where(eq(attendees.id, attendeeId)).returning();
    if (!updated) throw new AppError('not_found', 'No such attendee in this event.');
    return updated;
  });
  guestListChanged(ctx, eventId);
  ctx.matching.attendeeChanged(eventId, attendeeId);
  return toAttendeeDto(row);
}

/** Tickets, check-ins and intent go with the attendee (foreign keys cascade). */
export async function deleteAttendee(ctx: FeatureContext, eventId: string, attendeeId: string): Promise<void> {
  const deleted = await ctx.deps.database.db
    .delete(attendees)
    .where(and(eq(attendees.id, attendeeId), eq(attendees.eventId, eventId)))
    .returning({ id: attendees.id });
  if (deleted.length === 0) throw new AppError('not_found', 'No such attendee in this event.');
  // Their sessions and links went with the row (cascade); their open pages go now.
  ctx.realtime.attendeeSessionsEnded([attendeeId]);
  guestListChanged(ctx, eventId);
  ctx.matching.attendeeChanged(eventId, attendeeId);
}

export async function guestList(db: Db, eventId: string, now: number, q?: string): Promise<GuestListEntry[]> {
  await requireEvent(db, eventId);
  const rows = await guestListRows(db, eventId, now, q);
  rows.sort((a, b) => compareNames(a.attendee, b.attendee));
  return rows.map((r) => ({
    ...toAttendeeDto(r.attendee),
    presence: r.lastType === 'entry' ? (r.away ? 'away' : 'present') : r.lastType === 'exit' ? 'left' : 'not_arrived',
    firstCheckinAt: r.firstCheckinAt?.toISOString() ?? null,
    lastScanAt: r.lastScanAt?.toISOString() ?? null,
    ticketIssuedAt: r.ticketIssuedAt?.toISOString() ?? null,
    ticketRevoked: r.ticketIssuedAt === null,
    hasIntent: r.hasIntent,
    flagged: r.flagged,
  }));
}

export function guestListChanged(ctx: FeatureContext, eventId: string) {
  ctx.realtime.guestListChanged({ eventId, version: ctx.deps.now() });
}

// Guest-list import ---------------------------------------------------------

async function existingGuests(db: Db, eventId: string): Promise<Map<string, ExistingGuest>> {
  const rows = await db
    .select({
      id: attendees.id,
      name: attendees.name,
      email: attendees.email,
      company: attendees.company,
      role: attendees.role,
      firstTime: attendees.firstTime,
      host: attendees.host,
      hasIntent: sql<boolean>`${intents.attendeeId} is not null`.mapWith(Boolean),
    })
    .from(attendees)
    .leftJoin(intents, eq(intents.attendeeId, attendees.id))
    .where(and(eq(attendees.eventId, eventId), isNotNull(attendees.email)));
  return new Map(rows.flatMap(({ email, ...guest }) => (email ? [[email, guest] as const] : [])));
}

/** The topics and interests an import's intent columns are checked against. */
function vocabularyOf(event: EventRow): Vocabulary {
  const { topics, interestTags } = { ...defaultEventSettings, ...event.settings };
  return { topics, interests: interestTags };
}

/** What an import would do; writes nothing. */
export async function previewImport(db: Db, eventId: string, bytes: Uint8Array, mapping?: ManualMapping): Promise<ImportPreview> {
  const event = await requireEvent(db, eventId);
  return previewGuestCsv(bytes, await existingGuests(db, eventId), mapping, vocabularyOf(event));
}

/**
 * The file's broken rows (errors and repeated emails) as the organiser wrote them, with a
 * "Reason" column, in the exports' spreadsheet-safe CSV: fix them there and import again.
 */
export async function brokenRowsCsv(db: Db, eventId: string, bytes: Uint8Array, mapping?: ManualMapping): Promise<string> {
  const event = await requireEvent(db, eventId);
  const csv = readGuestCsv(bytes, await existingGuests(db, eventId), mapping, vocabularyOf(event));
  const label = (field: string) => (field === 'row' ? 'Row' : (importFieldLabels[field as ImportField] ?? field));
  let out = BOM + csvRow(['Line', ...csv.headerCells, 'Reason']);
  for (const row of csv.preview.rows) {
    if (row.status !== 'error' && row.status !== 'duplicate') continue;
    const cells = csv.cellsByLine.get(row.line) ?? [];
    const padded = [...cells, ...Array<string>(Math.max(0, csv.headerCells.length - cells.length)).fill('')];
    out += csvRow([row.line, ...padded, problemText(row, label)]);
  }
  return out;
}

/**
 * The file's intents: for each new guest (in the order they were added) and each guest
 * matched by email who has stated none yet; an intent someone gave themselves stays.
 */
async function storeImportedIntents(tx: Db, eventId: string, preview: ImportPreview, addedIds: readonly string[], at: Date) {
  const added = preview.rows.filter((r) => r.status === 'add');
  const values = [
    ...added.flatMap((r, i) => (r.intent ? [{ attendeeId: addedIds[i]!, intent: r.intent }] : [])),
    ...preview.rows.flatMap((r) => (r.status === 'update' && r.attendeeId && r.intent ? [{ attendeeId: r.attendeeId, intent: r.intent }] : [])),
  ].map(({ attendeeId, intent }) => ({ attendeeId, eventId, seeks: intent.seeks, offers: intent.offers, interests: intent.interests, updatedAt: at }));
  for (let i = 0; i < values.length; i += INSERT_CHUNK) {
    await tx.insert(intents).values(values.slice(i, i + INSERT_CHUNK)).onConflictDoNothing();
  }
}

export interface ImportOptions {
  mapping?: ManualMapping;
  /** Leave rows that repeat an email of the file out. */
  skipDuplicates: boolean;
  /** Leave every broken row out (errors and repeats) and import the valid ones. */
  skipInvalid: boolean;
}

/**
 * Runs the preview again under the event lock (the guest list may have changed since the
 * organiser looked), then adds the new guests and updates those matched by email, all or
 * none: a broken row the organiser has not explicitly agreed to skip writes nothing.
 */
export async function commitImport(ctx: FeatureContext, eventId: string, bytes: Uint8Array, options: ImportOptions): Promise<ImportResult> {
  const { deps } = ctx;
  const result = await deps.database.db.transaction(async (tx) => {
    const event = await requireGuestListOpen(tx, eventId, true);
    const csv = readGuestCsv(bytes, await existingGuests(tx, eventId), options.mapping, vocabularyOf(event));
    const { preview } = csv;
    const { error, duplicate } = preview.summary;
    const blocked = options.skipInvalid ? 0 : error + (options.skipDuplicates ? 0 : duplicate);
    if (blocked > 0) {
      const why =
        error > 0
          ? `${error} row(s) have errors: fix them, or import the valid rows and skip the broken ones explicitly`
          : `${duplicate} row(s) repeat an email of the file: skip them explicitly or fix them`;
      throw new AppError('csv_has_errors', `Nothing was imported: ${why}.`, preview);
    }
    const addedIds = await createAttendees(tx, deps, eventId, rowsToAdd(preview), 'guest_list');
    const added = addedIds.length;
    const at = new Date(deps.now());
    await storeImportedIntents(tx, eventId, preview, addedIds, at);
    for (const { attendeeId, patch } of csv.patches.values()) {
      await tx
        .update(attendees)
        .set({ ...patch, updatedAt: at })
        .where(and(eq(attendees.id, attendeeId), eq(attendees.eventId, eventId)));
    }
    return {
      result: {
        added,
        updated: csv.patches.size,
        unchanged: preview.summary.unchanged,
        skippedDuplicates: duplicate,
        skippedErrors: error,
      },
      updatedIds: [...csv.patches.values()].map((p) => p.attendeeId),
    };
  });
  if (result.result.added > 0 || result.updatedIds.length > 0) guestListChanged(ctx, eventId);
  // Names, companies and host flags show in other people's lists and reasons.
  for (const id of result.updatedIds) ctx.matching.attendeeChanged(eventId, id);
  return result.result;
}
