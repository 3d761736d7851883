import type { z } from 'zod';
import { defaultEventSettings, resolveTopic, type Intent, type IntentBody, type Topic } from '@edgewise/shared';
import type { Db } from '@edgewise/db';
import type { FeatureContext } from '../../context';
import type { AttendeeAuth, AuthContext } from '../../http/auth';
import { AppError } from '../../http/errors';
import { requireAttendee, requireEvent } from '../attendees/service';
import { kioskMayActFor } from '../checkins/kiosk-guest';
import { sharingPartners, upsertContactCard } from '../me/repo';
import { requireOffered, storeAttendeeLanguage } from '../languages/service';
import { intentOf, setFirstTime, upsertIntent, type IntentRow } from './repo';

export type IntentInput = z.output<typeof IntentBody>;

export function toIntentDto(row: IntentRow): Intent {
  return {
    attendeeId: row.attendeeId,
    seeks: row.seeks,
    offers: row.offers,
    interests: row.interests,
    askMeAbout: row.askMeAbout,
    hostOptIn: row.hostOptIn,
    showOnScreen: row.showOnScreen,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}

interface Problem {
  path: string;
  message: string;
  code: string;
}

/**
 * Tags must come from the event's lists (matching is case-blind; the list's own spelling is
 * stored, so "ai" and "AI" count as one tag for matching) and appear once each.
 */
export function canonicalTags(field: string, picked: readonly string[], offered: readonly string[], problems: Problem[]): string[] {
  const byKey = new Map(offered.map((t) => [t.toLocaleLowerCase(), t]));
  const seen = new Set<string>();
  const out: string[] = [];
  picked.forEach((tag, i) => {
    const canonical = byKey.get(tag.toLocaleLowerCase());
    if (!canonical) {
      problems.push({ path: `${field}.${i}`, message: `"${tag}" is not one of this event's tags`, code: 'unknown_tag' });
    } else if (seen.has(canonical)) {
      problems.push({ path: `${field}.${i}`, message: `"${tag}" is picked twice`, code: 'duplicate_tag' });
    } else {
      seen.add(canonical);
      out.push(canonical);
    }
  });
  return out;
}

/**
 * Seeks and offers name topics by id; a label of either side (case-blind) is taken too and
 * stored as the topic's id, so older clients and imported answers land on the topic.
 */
export function canonicalTopics(field: string, picked: readonly string[], topics: readonly Topic[], problems: Problem[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  picked.forEach((name, i) => {
    const topic = resolveTopic(topics, name);
    if (!topic) {
      problems.push({ path: `${field}.${i}`, message: `"${name}" is not one of this event's topics`, code: 'unknown_tag' });
    } else if (seen.has(topic.id)) {
      problems.push({ path: `${field}.${i}`, message: `"${name}" is picked twice`, code: 'duplicate_tag' });
    } else {
      seen.add(topic.id);
      out.push(topic.id);
    }
  });
  return out;
}

const KIOSK_NOT_FOR_THIS_GUEST = 'This kiosk can only show and change the answers of the guest it just checked in. Scan your ticket here again, or change yours on your phone.';

/**
 * A kiosk acts for the person standing at it (`kioskMayActFor`): the guest its latest scan let
 * in or found already in, a few minutes ago, still present. Their answers, contact card and
 * language are theirs: no other guest's reach the kiosk, and the kiosk changes no one else's.
 */
async function checkKioskMayAct(ctx: FeatureContext, db: Db, auth: AuthContext | Pick<AttendeeAuth, 'kind'>, eventId: string, attendeeId: string) {
  if (auth.kind !== 'device') return;
  if (!(await kioskMayActFor(db, eventId, auth.device.id, attendeeId, ctx.deps.now()))) throw new AppError('kiosk_not_for_this_guest', KIOSK_NOT_FOR_THIS_GUEST);
}

export async function getIntent(ctx: FeatureContext, auth: AuthContext, eventId: string, attendeeId: string): Promise<Intent> {
  const db = ctx.deps.database.db;
  await requireAttendee(db, eventId, attendeeId);
  await checkKioskMayAct(ctx, db, auth, eventId, attendeeId);
  const row = await intentOf(db, attendeeId);
  if (!row) throw new AppError('not_found', 'No intent yet for this attendee.');
  return toIntentDto(row);
}

export async function putIntent(ctx: FeatureContext, auth: AuthContext | Pick<AttendeeAuth, 'kind'>, eventId: string, attendeeId: string, body: IntentInput): Promise<Intent> {
  const { deps } = ctx;
  const intent = await deps.database.db.transaction(async (tx) => {
    const event = await requireEvent(tx, eventId);
    // Locked so that two edits of one intent queue up and each gets its own version.
    await requireAttendee(tx, eventId, attendeeId, true);
    await checkKioskMayAct(ctx, tx, auth, eventId, attendeeId);
    const settings = { ...defaultEventSettings, ...event.settings };
    const problems: Problem[] = [];
    const seeks = canonicalTopics('seeks', body.seeks, settings.topics, problems);
    const offers = canonicalTopics('offers', body.offers, settings.topics, problems);
    const interests = canonicalTags('interests', body.interests, settings.interestTags, problems);
    const first = problems[0];
    if (first) throw new AppError('validation_failed', `${first.path}: ${first.message}.`, problems);

    const at = new Date(deps.now());
    const row = await upsertIntent(
      tx,
      eventId,
      attendeeId,
      { seeks, offers, interests, askMeAbout: body.askMeAbout, hostOptIn: body.hostOptIn, showOnScreen: body.showOnScreen },
      at,
    );
    if (body.firstTime !== undefined) await setFirstTime(tx, attendeeId, body.firstTime, at);
    if (body.language !== undefined) {
      requireOffered(event, body.language);
      await storeAttendeeLanguage(tx, attendeeId, body.language);
    }
    if (body.share) {
      // Contact details pass only by the person's own choice: their page or the kiosk they stand at, never an organiser.
      if (auth.kind === 'organiser') throw new AppError('forbidden', 'Only the attendee can choose what to share.');
      await upsertContactCard(tx, attendeeId, body.share, at);
    }
    return toIntentDto(row);
  });
  ctx.matching.attendeeChanged(eventId, attendeeId);
  // A share chosen here (at the kiosk or on the phone) reaches people already mutual at once.
  if (body.share) await ctx.realtime.attendeeListsChanged(eventId, [attendeeId, ...(await sharingPartners(deps.database.db, eventId, attendeeId))]);
  return intent;
}
