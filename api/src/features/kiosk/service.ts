import { defaultEventSettings, ticketUrl, type NameSearchResult, type WalkInBody, type WalkInResult } from '@edgewise/shared';
import type { Db } from '@edgewise/db';
import type { FeatureContext } from '../../context';
import { AppError } from '../../http/errors';
import { createAttendee, guestListChanged, requireEvent } from '../attendees/service';
import { presenceOf } from '../checkins/repo';
import { announce, assertNotInFuture, isUniqueViolation, recordScan, replay, type Scan, type ScanResult } from '../checkins/service';
import { nameMatches, queryWords } from './fold';
import { requireOffered, storeAttendeeLanguage } from '../languages/service';
import { liveSecret, nameCandidates } from './repo';

/** A kiosk shows a few names; past this many matches it asks for more letters instead. */
export const MAX_RESULTS = 5;
export const MAX_MATCHES = 20;

/** Enough to tell two people of the same name apart, and nothing to contact them by. */
export function hintFor(company: string, role: string): string {
  const initial = company.trim().charAt(0).toLocaleUpperCase();
  const roleWord = role.trim().split(/\s+/)[0] ?? '';
  return [initial ? `${initial}.` : '', roleWord].filter(Boolean).join(' · ');
}

export interface SearchAnswer {
  results: NameSearchResult[];
  /** More people match than the kiosk may list: the guest list is not for browsing. */
  tooMany: boolean;
}

export async function searchNames(db: Db, eventId: string, q: string): Promise<SearchAnswer> {
  const words = queryWords(q);
  const longest = words.reduce((a, w) => (w.length > a.length ? w : a), '');
  if (!longest) return { results: [], tooMany: false };
  const matches = (await nameCandidates(db, eventId, longest)).filter((c) => nameMatches(c.name, words));
  if (matches.length > MAX_MATCHES) return { results: [], tooMany: true };
  const first = words[0] ?? '';
  // Names starting with what was typed first, then alphabetical: "Ana" before "Joana Anes".
  const ranked = matches
    .map((m) => ({ m, starts: nameMatches(m.name.split(/\s+/)[0] ?? '', [first]) }))
    .sort((a, b) => Number(b.starts) - Number(a.starts) || a.m.name.localeCompare(b.m.name) || a.m.id.localeCompare(b.m.id))
    .slice(0, MAX_RESULTS)
    .map((r) => r.m);
  const presence = await presenceOf(db, ranked.map((m) => m.id));
  return {
    results: ranked.map((m) => ({ id: m.id, name: m.name, hint: hintFor(m.company, m.role), presence: presence.get(m.id) ?? 'not_arrived' })),
    tooMany: false,
  };
}

/** Thrown inside the walk-in transaction to undo the new attendee when its nonce was taken. */
class NonceTaken extends Error {}

async function walkInReplay(ctx: FeatureContext, scan: Scan): Promise<{ result: WalkInResult; created: boolean } | null> {
  const db = ctx.deps.database.db;
  const replayed = await replay(db, scan);
  if (!replayed) return null;
  return { result: await walkInResult(ctx, replayed), created: false };
}

async function walkInResult(ctx: FeatureContext, scanned: ScanResult): Promise<WalkInResult> {
  const attendeeId = scanned.row.attendeeId;
  if (!attendeeId || !scanned.outcome.attendee) throw new Error('a walk-in check-in without its attendee');
  const secret = await liveSecret(ctx.deps.database.db, attendeeId);
  return {
    attendee: { id: attendeeId, name: scanned.outcome.attendee.name },
    outcome: scanned.outcome,
    ticketUrl: secret ? ticketUrl(ctx.deps.publicUrl, secret) : null,
  };
}

/**
 * Someone not on the guest list, added and checked in at the kiosk in one transaction: a
 * refused or failed check-in leaves no half-registered attendee behind. The nonce makes it
 * idempotent like any scan: a retry answers the first result and adds nobody.
 */
export async function walkIn(ctx: FeatureContext, deviceId: string, eventId: string, body: WalkInBody): Promise<{ result: WalkInResult; created: boolean }> {
  const { deps } = ctx;
  const db = deps.database.db;
  const now = deps.now();
  const scannedAt = new Date(body.scannedAt);
  assertNotInFuture(scannedAt, now);
  const scan: Scan = { eventId, deviceId, nonce: body.nonce, type: 'entry', method: 'walk_in', scannedAt, receivedAt: new Date(now) };

  // A retry is answered even if the organiser has turned walk-ins off since.
  const earlier = await walkInReplay(ctx, scan);
  if (earlier) return earlier;

  const event = await requireEvent(db, eventId);
  if (!({ ...defaultEventSettings, ...event.settings }).walkInsAllowed) {
    throw new AppError('walk_ins_disabled', 'Walk-ins are not allowed at this event: ask at the desk.');
  }
  if (event.status !== 'open') {
    throw new AppError('event_closed', event.status === 'draft' ? "Check-in hasn't opened yet." : 'Check-in for this event has closed.');
  }
  if (body.language !== undefined) requireOffered(event, body.language);

  let scanned: ScanResult;
  try {
    scanned = await db.transaction(async (tx) => {
      const { attendee } = await createAttendee(
        tx,
        deps,
        eventId,
        { name: body.name, email: body.email ?? null, company: body.company, role: body.role, firstTime: body.firstTime },
        'walk_in',
      );
      if (body.language !== undefined) await storeAttendeeLanguage(tx, attendee.id, body.language);
      // A new attendee: nobody else can see the row yet, and there is no log to read.
      const result = await recordScan(tx, scan, {
        eventStatus: event.status,
        match: { attendeeId: attendee.id, attendeeEventId: eventId, name: attendee.name, firstTime: attendee.firstTime, hasIntent: false, ticketRevoked: false, log: [] },
      });
      if (!result.created) throw new NonceTaken();
      return result;
    });
  } catch (err) {
    // The same walk-in sent twice at once: whichever lost (on the nonce, or on the email the
    // winner just registered) answers the winner's result.
    if (err instanceof NonceTaken || isUniqueViolation(err) || (err instanceof AppError && err.code === 'duplicate_email')) {
      const winner = await walkInReplay(ctx, scan);
      if (winner) return winner;
    }
    throw err;
  }
  announce(ctx, scanned.row);
  guestListChanged(ctx, eventId);
  return { result: await walkInResult(ctx, scanned), created: true };
}
