import { decidePresence, refusalFor, supersededEntry, type CheckinOutcome, type CheckinType, type PresenceMethod } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import { AppError } from '../../http/errors';
import { insertCheckin, readScanSubject, redecideCheckin } from './repo';
import { SIGN_EVERY_MS, writeSign } from './presence-repo';
import { announce, toOutcome } from './service';

/**
 * Presence beyond a kiosk's scans: an organiser checking a guest in or out from the guest
 * list, the guest's own "I'm heading out", and signs of life (a phone's socket, an answer,
 * a scan refused as "already in") that bring someone away back into everyone's lists.
 * Every change goes through the same log and the same rules as a scan.
 */

export interface PresenceChange {
  eventId: string;
  attendeeId: string;
  type: CheckinType;
  method: PresenceMethod;
  /** Who checked the guest in or out (method 'organiser'): the log names them. */
  organiserId?: string;
}

/**
 * Records an entry or exit that no kiosk scanned, decided like a scan made now: an exit of
 * someone not in is refused as a scan would be, and logged, with the organiser who did it.
 */
export async function recordPresence(ctx: FeatureContext, change: PresenceChange): Promise<CheckinOutcome> {
  const { deps } = ctx;
  const now = deps.now();
  const random = deps.randomToken(12);
  const nonce = `${change.method}:${random}`;
  const row = await deps.database.db.transaction(async (tx) => {
    const subject = await readScanSubject(tx, change.eventId, { attendeeId: change.attendeeId }, deps.database.kind === 'postgres');
    const match = subject?.match;
    if (!subject || !match || match.attendeeEventId !== change.eventId) throw new AppError('not_found', 'No such attendee in this event.');
    const at = new Date(now);
    const decision = refusalFor(subject.eventStatus, 'valid') ?? decidePresence(change.type, at, match.log);
    const inserted = await insertCheckin(tx, {
      eventId: change.eventId,
      attendeeId: match.attendeeId,
      deviceId: null,
      organiserId: change.method === 'organiser' ? (change.organiserId ?? null) : null,
      nonce,
      type: change.type,
      method: change.method,
      status: decision.status,
      reason: decision.reason,
      scannedAt: at,
      receivedAt: at,
      flagged: decision.flagged,
      effective: decision.effective,
    });
    if (!inserted) throw new Error('a fresh presence nonce collided');
    // An entry logged by a kiosk whose clock runs ahead may come "after" this one.
    const superseded = decision.supersedes ? await redecideCheckin(tx, decision.supersedes, supersededEntry) : undefined;
    return { inserted, match, superseded };
  });
  announce(ctx, row.inserted);
  if (row.superseded) announce(ctx, row.superseded);
  const { match } = row;
  return toOutcome(row.inserted, { name: match.name, firstTime: match.firstTime, hasIntent: match.hasIntent }, false);
}

/** When each attendee's last sign was written by this process: most signs need no write at all. */
const written = new Map<string, number>();
const WRITTEN_CAP = 100_000;

/**
 * A sign of life from an attendee at `at` (their phone's socket connecting, an answer, a
 * scan that changed nothing): stored at most once a minute. Someone away comes back into
 * everyone's lists at once. Never fails the caller: a lost sign only delays a return.
 */
export async function noteSign(ctx: FeatureContext, eventId: string, attendeeId: string, at: number = ctx.deps.now()): Promise<void> {
  const last = written.get(attendeeId);
  if (last !== undefined && at >= last && at - last < SIGN_EVERY_MS) return;
  if (written.size >= WRITTEN_CAP) written.clear();
  written.set(attendeeId, at);
  try {
    const wasAway = await writeSign(ctx.deps.database.db, eventId, attendeeId, at);
    if (wasAway) ctx.matching.presenceChanged(eventId, attendeeId);
  } catch (err) {
    written.delete(attendeeId);
    ctx.deps.log({ level: 'warn', msg: 'could not record a sign of life', eventId, attendeeId, err: String(err) });
  }
}
