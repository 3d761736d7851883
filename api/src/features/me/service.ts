import type { z } from 'zod';
import { eq } from 'drizzle-orm';
import { attendees, events } from '@edgewise/db';
import {
  PairState,
  defaultEventSettings,
  topicLookup,
  type AnswerSuggestion,
  type AskToShare,
  type ContactCard,
  type ContactCardBody,
  type Intent,
  type IntentBody,
  type KioskSuggestion,
  type LanguageCode,
  type MarkMet,
  type SaveNote,
  type SetMatchingOptOut,
  type SuggestionView,
} from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import { AppError } from '../../http/errors';
import { requireAttendee } from '../attendees/service';
import { kioskMayActFor } from '../checkins/kiosk-guest';
import { putIntent } from '../intents/service';
import { decideAnswer, decideMet, type Decision, type Side } from './pair';
import { mirrorReasons, peopleNamedIn } from './reasons';
import {
  deleteNote,
  hasSuggestionAbout,
  insertOrLockSuggestion,
  lockPair,
  markShareAsked,
  namesOf,
  ownSuggestion,
  setMatchingOptOut,
  sharingPartners,
  updateSuggestion,
  upsertContactCard,
  upsertNote,
  type SuggestionRow,
} from './repo';
import { buildSuggestionLists, suggestionView, toContactCard } from './snapshot';

/** The attendee a socket or a request acts for. */
export interface Me {
  attendeeId: string;
  eventId: string;
}

/** What a command changed: its answer, and whose lists to send again. */
export interface Outcome<T> {
  data: T;
  notify: string[];
}

// The kiosk ---------------------------------------------------------------------------

/**
 * The list as the kiosk shows it: no contact details and no notes, even for a mutual pair.
 * Only for the guest standing at it (`kioskMayActFor`): whom someone is matched with is theirs.
 */
export async function kioskSuggestions(ctx: FeatureContext, deviceId: string, eventId: string, attendeeId: string, language?: LanguageCode): Promise<KioskSuggestion[]> {
  await requireAttendee(ctx.deps.database.db, eventId, attendeeId);
  if (!(await kioskMayActFor(ctx.deps.database.db, eventId, deviceId, attendeeId, ctx.deps.now()))) {
    throw new AppError('kiosk_not_for_this_guest', 'This kiosk can only show the suggestions of the guest it just checked in. Scan your ticket here again, or see yours on your phone.');
  }
  // The kiosk asks right after a check-in or an intent: let matching apply it first, so
  // the person in front of the kiosk sees a list that already knows them.
  // Bounded: a busy room must not hold the kiosk; it polls again anyway.
  await Promise.race([ctx.matching.settled(eventId), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
  const { suggestions } = await buildSuggestionLists(ctx.deps.database.db, eventId, attendeeId, language);
  return suggestions.map((s) => ({ id: s.id, person: s.person, reasons: s.reasons, score: s.score }));
}

// Commands from the attendee's own page --------------------------------------------------

const sideOf = (row: SuggestionRow): Side => ({
  state: PairState.parse(row.state),
  answer: row.answer === 'yes' || row.answer === 'no' ? row.answer : null,
});

async function requireOwnSuggestion(ctx: FeatureContext, me: Me, suggestionId: string): Promise<SuggestionRow> {
  const row = await ownSuggestion(ctx.deps.database.db, me.eventId, me.attendeeId, suggestionId);
  if (!row) throw new AppError('not_found', 'No such suggestion in your list.');
  return row;
}

async function viewOf(ctx: FeatureContext, me: Me, suggestionId: string): Promise<SuggestionView> {
  const view = await suggestionView(ctx.deps.database.db, me.eventId, me.attendeeId, suggestionId);
  if (!view) throw new AppError('not_found', 'No such suggestion in your list.');
  return view;
}

type PairStep = (mine: SuggestionRow, theirs: SuggestionRow | null) => Decision;

/**
 * Applies a decision to both rows of a pair under the pair's locks. The pair's state is
 * written on both rows; the viewer's own answer only on theirs. Returns whether anything
 * changed.
 */
async function changePair(ctx: FeatureContext, me: Me, own: SuggestionRow, answer: 'yes' | 'no' | null, decide: PairStep): Promise<boolean> {
  const { deps } = ctx;
  return deps.database.db.transaction(async (tx) => {
    const rows = await lockPair(tx, me.attendeeId, own.targetId);
    const mine = rows.find((r) => r.attendeeId === me.attendeeId);
    if (!mine) throw new AppError('not_found', 'No such suggestion in your list.');
    const theirs = rows.find((r) => r.attendeeId === own.targetId) ?? null;
    const decision = decide(mine, theirs);
    if (decision.kind === 'refused') throw new AppError('conflict', decision.message);
    if (decision.kind === 'unchanged') return false;

    const at = new Date(deps.now());
    const { state } = decision;
    const stamps = { state, updatedAt: at, ...(state === 'mutual' ? { mutualAt: at } : {}), ...(state === 'met' ? { metAt: at } : {}) };
    await updateSuggestion(tx, mine.id, { ...stamps, ...(answer ? { answer, answeredAt: at } : {}) });
    if (theirs) {
      await updateSuggestion(tx, theirs.id, stamps);
    } else if (decision.createReverse) {
      const [asker] = await tx
        .select({ id: attendees.id, name: attendees.name, firstTime: attendees.firstTime })
        .from(attendees)
        .where(eq(attendees.id, me.attendeeId));
      if (!asker) throw new AppError('not_found', 'No such attendee.');
      const names = await namesOf(tx, peopleNamedIn(mine.reasons));
      const [event] = await tx.select({ settings: events.settings }).from(events).where(eq(events.id, me.eventId));
      const topics = topicLookup({ ...defaultEventSettings, ...event?.settings }.topics);
      const reverse = await insertOrLockSuggestion(tx, {
        eventId: me.eventId,
        attendeeId: own.targetId,
        targetId: me.attendeeId,
        score: mine.score,
        reasons: mirrorReasons(mine.reasons, asker, names, topics),
        state,
        listed: true,
        createdAt: at,
        updatedAt: at,
      });
      if (reverse.state !== state) await updateSuggestion(tx, reverse.id, stamps);
    }
    return true;
  });
}

export async function answerSuggestion(ctx: FeatureContext, me: Me, body: AnswerSuggestion): Promise<Outcome<SuggestionView>> {
  const own = await requireOwnSuggestion(ctx, me, body.suggestionId);
  if (body.answer === 'yes') {
    const [target] = await ctx.deps.database.db
      .select({ optOut: attendees.matchingOptOut, name: attendees.name })
      .from(attendees)
      .where(eq(attendees.id, own.targetId));
    // Someone who turned suggestions off is never handed one, not even "X would like to meet you".
    if (target?.optOut && own.state === 'proposed') throw new AppError('conflict', `${target.name} is not taking suggestions right now.`);
  }
  const changed = await changePair(ctx, me, own, body.answer, (mine, theirs) => decideAnswer(sideOf(mine), theirs && sideOf(theirs), body.answer));
  if (changed) ctx.matching.pairChanged(me.eventId, me.attendeeId, own.targetId);
  return { data: await viewOf(ctx, me, own.id), notify: changed ? [me.attendeeId, own.targetId] : [] };
}

export async function markMet(ctx: FeatureContext, me: Me, body: MarkMet): Promise<Outcome<SuggestionView>> {
  const own = await requireOwnSuggestion(ctx, me, body.suggestionId);
  const changed = await changePair(ctx, me, own, null, (mine, theirs) => decideMet(sideOf(mine), theirs && sideOf(theirs)));
  if (changed) ctx.matching.pairChanged(me.eventId, me.attendeeId, own.targetId);
  return { data: await viewOf(ctx, me, own.id), notify: changed ? [me.attendeeId, own.targetId] : [] };
}

/** A private note about someone in one's list; an empty note is deleted. Only its author sees it. */
export async function saveNote(ctx: FeatureContext, me: Me, body: SaveNote): Promise<Outcome<{ aboutId: string; text: string }>> {
  const { deps } = ctx;
  const db = deps.database.db;
  if (!(await hasSuggestionAbout(db, me.eventId, me.attendeeId, body.aboutId))) {
    throw new AppError('not_found', 'You can keep notes only about people suggested to you.');
  }
  if (body.text === '') await deleteNote(db, me.attendeeId, body.aboutId);
  else await upsertNote(db, me.attendeeId, body.aboutId, body.text, new Date(deps.now()));
  // The author's other open pages show the note too; nobody else's room hears of it.
  return { data: { aboutId: body.aboutId, text: body.text }, notify: [me.attendeeId] };
}

/**
 * Asks the other person of a pair whose contacts pass (both said yes) to share, when they share
 * nothing yet. Once per pair: asking again, or asking someone who shares something, changes
 * nothing and tells nobody. The ask carries nothing of the asker's: the other person's card
 * only says they would like their details, and nothing passes until that person taps share.
 */
export async function askToShare(ctx: FeatureContext, me: Me, body: AskToShare): Promise<Outcome<SuggestionView>> {
  const own = await requireOwnSuggestion(ctx, me, body.suggestionId);
  const view = await viewOf(ctx, me, own.id);
  if (!view.contact) throw new AppError('conflict', 'You can ask only someone you both said yes to.');
  const theyShare = view.contact.email !== null || view.contact.phone !== null || view.contact.link !== null;
  if (theyShare || view.askedThemToShare) return { data: view, notify: [] };
  const first = await markShareAsked(ctx.deps.database.db, own.id, new Date(ctx.deps.now()));
  if (!first) return { data: await viewOf(ctx, me, own.id), notify: [] };
  return { data: await viewOf(ctx, me, own.id), notify: [me.attendeeId, own.targetId] };
}

/**
 * The attendee's own intent, under the same rules as at the kiosk (tags from the event's
 * lists). When it carries what to share, people already mutual with them see it at once.
 */
export async function updateIntent(ctx: FeatureContext, me: Me, body: z.output<typeof IntentBody>): Promise<Outcome<Intent>> {
  // putIntent tells the people already mutual when the body carries what to share.
  const intent = await putIntent(ctx, { kind: 'attendee' }, me.eventId, me.attendeeId, body);
  return { data: intent, notify: [] };
}

/** The contact card; people already mutual with this attendee see the change at once. */
export async function updateContactCard(ctx: FeatureContext, me: Me, body: ContactCardBody): Promise<Outcome<ContactCard>> {
  const { deps } = ctx;
  const db = deps.database.db;
  const [attendee] = await db.select({ email: attendees.email }).from(attendees).where(eq(attendees.id, me.attendeeId));
  if (!attendee) throw new AppError('not_found', 'No such attendee.');
  const card = await upsertContactCard(db, me.attendeeId, { shareEmail: body.shareEmail, phone: body.phone, link: body.link }, new Date(deps.now()));
  ctx.matching.attendeeChanged(me.eventId, me.attendeeId);
  return { data: toContactCard(card, attendee.email), notify: await sharingPartners(db, me.eventId, me.attendeeId) };
}

export async function setOptOut(ctx: FeatureContext, me: Me, body: SetMatchingOptOut): Promise<{ optOut: boolean }> {
  await setMatchingOptOut(ctx.deps.database.db, me.attendeeId, body.optOut, new Date(ctx.deps.now()));
  ctx.matching.attendeeChanged(me.eventId, me.attendeeId);
  return { optOut: body.optOut };
}

