import { and, asc, eq, or, sql } from 'drizzle-orm';
import { acquaintances, attendeePhotos, attendeeSessions, attendees, checkins, contactCards, events, introductions, intents, notes, suggestions, tickets, whereIAm, type Db } from '@edgewise/db';
import { defaultEventSettings, topicLookup, type DeleteMeBody, type EraseEventBody, type EraseEventResult, type MyData } from '@edgewise/shared';
import type { FeatureContext, Io } from '../../context';
import { AppError } from '../../http/errors';
import { lookupsOf } from '../../http/lookups';
import { guestListChanged, requireAttendee } from '../attendees/service';
import { getEvent } from '../events/service';
import { followupOf } from '../followup/repo';
import { toDelivery } from '../followup/service';
import { suggestionsChangedFor } from '../me/snapshot';
import { attendeeRoom } from '../realtime/socket';
import { alias } from 'drizzle-orm/pg-core';
import { deleteFloorPlan } from '../meeting/floor-plan';

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => d?.toISOString() ?? null;

/**
 * Everything stored about one attendee, for them to keep. Other people appear by name only
 * (the name on a suggestion or a note they wrote): never another person's contact details.
 */
export async function myData(db: Db, eventId: string, attendeeId: string, now: number): Promise<MyData> {
  const me = await requireAttendee(db, eventId, attendeeId);
  const other = alias(attendees, 'other');
  const [event, ticketRows, scanRows, [intent], [card], suggestionRows, noteRows, introRows, knownRows, sessionRows, followup, [photo], [line]] = await Promise.all([
    getEvent(db, eventId),
    db.select().from(tickets).where(eq(tickets.attendeeId, attendeeId)).orderBy(asc(tickets.createdAt)),
    db.select().from(checkins).where(eq(checkins.attendeeId, attendeeId)).orderBy(asc(checkins.scannedAt)),
    db.select().from(intents).where(eq(intents.attendeeId, attendeeId)),
    db.select().from(contactCards).where(eq(contactCards.attendeeId, attendeeId)),
    db
      .select({ s: suggestions, person: other.name })
      .from(suggestions)
      .innerJoin(other, eq(other.id, suggestions.targetId))
      .where(eq(suggestions.attendeeId, attendeeId))
      .orderBy(asc(suggestions.createdAt)),
    db
      .select({ n: notes, about: other.name })
      .from(notes)
      .innerJoin(other, eq(other.id, notes.aboutId))
      .where(eq(notes.attendeeId, attendeeId)),
    db
      .select({ i: introductions, aName: attendees.name, bName: other.name })
      .from(introductions)
      .innerJoin(attendees, eq(attendees.id, introductions.aId))
      .innerJoin(other, eq(other.id, introductions.bId))
      .where(or(eq(introductions.aId, attendeeId), eq(introductions.bId, attendeeId)))
      .orderBy(asc(introductions.createdAt)),
    db
      .select({ knows: other.name })
      .from(acquaintances)
      .innerJoin(other, eq(other.id, acquaintances.knowsId))
      .where(eq(acquaintances.attendeeId, attendeeId)),
    db.select().from(attendeeSessions).where(eq(attendeeSessions.attendeeId, attendeeId)),
    followupOf(db, attendeeId),
    db
      .select({ width: attendeePhotos.width, height: attendeePhotos.height, at: attendeePhotos.createdAt })
      .from(attendeePhotos)
      .where(eq(attendeePhotos.attendeeId, attendeeId)),
    db.select().from(whereIAm).where(eq(whereIAm.attendeeId, attendeeId)),
  ]);
  const topic = topicLookup({ ...defaultEventSettings, ...event.settings }.topics);
  return {
    exportedAt: new Date(now).toISOString(),
    event: { id: event.id, name: event.name, startsAt: iso(event.startsAt), endsAt: iso(event.endsAt), timeZone: event.timeZone },
    profile: {
      id: me.id,
      name: me.name,
      email: me.email,
      company: me.company,
      role: me.role,
      firstTime: me.firstTime,
      host: me.host,
      matchingOptOut: me.matchingOptOut,
      source: me.source,
      createdAt: iso(me.createdAt),
      updatedAt: iso(me.updatedAt),
    },
    // The ticket secret is a key, not information: it stays out of a file that gets passed around.
    tickets: ticketRows.map((t) => ({ createdAt: iso(t.createdAt), revokedAt: isoOrNull(t.revokedAt) })),
    checkins: scanRows.map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      method: c.method,
      scannedAt: iso(c.scannedAt),
      receivedAt: iso(c.receivedAt),
      flagged: c.flagged,
    })),
    intent: intent
      ? {
          seeks: intent.seeks,
          lookingFor: intent.seeks.map((id) => topic(id).seekLabel),
          offers: intent.offers,
          offering: intent.offers.map((id) => topic(id).offerLabel),
          interests: intent.interests,
          askMeAbout: intent.askMeAbout,
          hostOptIn: intent.hostOptIn,
          showOnScreen: intent.showOnScreen,
          updatedAt: iso(intent.updatedAt),
        }
      : null,
    contactCard: card ? { shareEmail: card.shareEmail, phone: card.phone, link: card.link, updatedAt: iso(card.updatedAt) } : null,
    suggestions: suggestionRows.map(({ s, person }) => ({
      person,
      score: s.score,
      reasons: s.reasons.map((r) => r.text),
      state: s.state,
      yourAnswer: s.answer,
      createdAt: iso(s.createdAt),
      answeredAt: isoOrNull(s.answeredAt),
      mutualAt: isoOrNull(s.mutualAt),
      metAt: isoOrNull(s.metAt),
    })),
    notes: noteRows.map(({ n, about }) => ({ about, text: n.text, updatedAt: iso(n.updatedAt) })),
    introductions: introRows.map(({ i, aName, bName }) => ({
      with: i.aId === attendeeId ? bName : aName,
      by: i.byName,
      message: i.message,
      createdAt: iso(i.createdAt),
    })),
    acquaintances: knownRows.map((k) => ({ knows: k.knows })),
    sessions: sessionRows.map((s) => ({ createdAt: iso(s.createdAt), expiresAt: iso(s.expiresAt) })),
    followup: followup ? toDelivery(followup) : null,
    photo: photo ? { width: photo.width, height: photo.height, storedAt: iso(photo.at) } : null,
    whereIAm: line ? { text: line.text, writtenAt: iso(line.writtenAt) } : null,
  };
}

/**
 * Removes what others' rows still say about someone about to be deleted: reasons naming
 * them ("Ana can introduce you") and their name on introductions they made as a host.
 * Their own rows go with the attendee row (every foreign key to it cascades).
 */
async function scrubMentions(tx: Db, eventId: string, attendeeId: string, name: string) {
  // An introduction reason reads "Introduced by Ana (host): …" on both people's cards.
  const made = await tx
    .update(introductions)
    .set({ byName: 'a host' })
    .where(eq(introductions.byAttendeeId, attendeeId))
    .returning({ aId: introductions.aId, bId: introductions.bId });
  const head = `Introduced by ${name} (host)`;
  for (const { aId, bId } of made) {
    await tx.execute(sql`
      update ${suggestions}
      set reasons = coalesce((
        select jsonb_agg(case when r->>'kind' = 'introduction' then jsonb_set(r, '{text}', to_jsonb(replace(r->>'text', ${head}, 'Introduced by a host'))) else r end)
        from jsonb_array_elements(${suggestions.reasons}) r
      ), '[]'::jsonb)
      where (${suggestions.attendeeId} = ${aId} and ${suggestions.targetId} = ${bId}) or (${suggestions.attendeeId} = ${bId} and ${suggestions.targetId} = ${aId})
    `);
  }
  const mention = `%${attendeeId}%`;
  await tx.execute(sql`
    update ${suggestions}
    set reasons = coalesce((select jsonb_agg(r) from jsonb_array_elements(${suggestions.reasons}) r where r::text not like ${mention}), '[]'::jsonb)
    where ${suggestions.eventId} = ${eventId} and ${suggestions.reasons}::text like ${mention}
  `);
}

/** Sends fresh lists to the people who had someone just deleted in theirs. */
async function tellWatchers(ctx: FeatureContext, io: Io, eventId: string, watchers: Iterable<string>) {
  const db = ctx.deps.database.db;
  for (const id of new Set(watchers)) {
    try {
      io.to(attendeeRoom(id)).emit('suggestions:changed', await suggestionsChangedFor(db, eventId, id));
    } catch (err) {
      // Their next sync shows it: the deletion is committed either way.
      ctx.deps.log({ level: 'warn', msg: 'could not push a list after a deletion', attendeeId: id, err: String(err) });
    }
  }
}

/**
 * Deletes an attendee at their own request, with everything that hangs off them, in one
 * transaction; then live matching forgets them, the people who had them in a list get a
 * list without them, and every session and socket of theirs ends.
 */
export async function deleteMe(ctx: FeatureContext, io: Io, eventId: string, attendeeId: string, _body: DeleteMeBody): Promise<void> {
  const db = ctx.deps.database.db;
  const watchers = await db.transaction(async (tx) => {
    const me = await requireAttendee(tx, eventId, attendeeId, true);
    const rows = await tx
      .select({ id: suggestions.attendeeId })
      .from(suggestions)
      .where(
        or(
          eq(suggestions.targetId, attendeeId),
          and(eq(suggestions.eventId, eventId), sql`${suggestions.reasons}::text like ${`%${attendeeId}%`}`),
          sql`exists (select 1 from ${introductions} i where i.by_attendee_id = ${attendeeId} and ${suggestions.attendeeId} in (i.a_id, i.b_id))`,
        ),
      );
    await scrubMentions(tx, eventId, attendeeId, me.name);
    await tx.delete(attendees).where(eq(attendees.id, attendeeId));
    return rows.map((r) => r.id).filter((id) => id !== attendeeId);
  });
  io.in(attendeeRoom(attendeeId)).disconnectSockets(true);
  ctx.matching.attendeeChanged(eventId, attendeeId);
  guestListChanged(ctx, eventId);
  await tellWatchers(ctx, io, eventId, watchers);
}

/**
 * Erases an event's personal data once it is over: every attendee and all that hangs off
 * them, in one transaction. The event row stays (closed, with `erased_at`) so the
 * organiser sees what happened to it.
 */
export async function eraseEvent(ctx: FeatureContext, io: Io, eventId: string, body: EraseEventBody): Promise<EraseEventResult> {
  const db = ctx.deps.database.db;
  const now = ctx.deps.now();
  const { ids, erasedAt } = await db.transaction(async (tx) => {
    const [event] = await tx.select().from(events).where(eq(events.id, eventId)).for('update');
    if (!event) throw new AppError('not_found', 'No such event.');
    if (body.confirmSlug.toLowerCase() !== event.slug) {
      throw new AppError('validation_failed', 'Type the event\'s address to confirm.', [{ path: 'confirmSlug', message: `type "${event.slug}" to confirm`, code: 'confirmation_mismatch' }]);
    }
    if (event.status !== 'closed' && event.endsAt.getTime() > now) {
      throw new AppError('event_not_ended', 'An event\'s personal data can be erased once it has ended or is closed.');
    }
    const deleted = await tx.delete(attendees).where(eq(attendees.eventId, eventId)).returning({ id: attendees.id });
    // The floor plan is no one's personal data, but an erased event keeps nothing uploaded to it.
    await deleteFloorPlan(tx, eventId);
    const at = event.erasedAt ?? new Date(now);
    await tx.update(events).set({ erasedAt: at, status: 'closed', updatedAt: new Date(now) }).where(eq(events.id, eventId));
    return { ids: deleted.map((d) => d.id), erasedAt: at };
  });
  // Their sessions and links went with the rows (cascade); their open pages go now.
  ctx.realtime.attendeeSessionsEnded(ids);
  // Closed now: live matching drops the event's engine, and every node's lookups the event.
  await lookupsOf(ctx.deps).forgetEvent(eventId);
  ctx.matching.eventChanged(eventId);
  guestListChanged(ctx, eventId);
  return { eventId, erasedAt: erasedAt.toISOString(), attendeesErased: ids.length };
}
