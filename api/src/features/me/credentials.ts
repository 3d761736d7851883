import { eq } from 'drizzle-orm';
import { attendees, type Db } from '@edgewise/db';
import { baseLanguage, type LanguageCode, type MeSession, type MeSessionBody, type PhoneLink, type SignInLinkBody, type SignInOptions } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import { sha256, type MailMessage } from '../../deps';
import type { AttendeeAuth, OrganiserAuth } from '../../http/auth';
import { AppError } from '../../http/errors';
import { eventLanguagesOf, personLanguage, translator } from '../../i18n';
import { actorOf, recordAudit, type AuditActor } from '../audit/record';
import { requireAttendee } from '../attendees/service';
import { kioskMayActFor } from '../checkins/kiosk-guest';
import { isUniqueViolation } from '../checkins/service';
import { deleteCredentials, deleteSession, insertPhoneLink, insertSession, registrationsOf, spendPhoneLink } from './repo';
import { buildMeSnapshot } from './snapshot';

/**
 * How an attendee's session starts and ends. Each credential opens one thing: the ticket
 * checks a guest in and never opens their page; a session starts only from a one-time code,
 * either the kiosk's phone link (for the guest whose own scan or walk-in that kiosk just
 * accepted, once) or a sign-in link mailed to the guest's registered address.
 */

export const SESSION_DAYS = 30;
export const PHONE_LINK_MINUTES = 15;
/** A mailed sign-in link: long enough to switch to the mail app and back, short enough to die in an inbox. */
export const SIGN_IN_LINK_MINUTES = 30;
/** Events over for longer than this send no sign-in links (the follow-up is long done). */
export const SIGN_IN_AFTER_EVENT_DAYS = 30;
/** 32 random bytes for a session that lasts weeks; 24 for a link that lasts minutes. */
const SESSION_TOKEN_BYTES = 32;
const LINK_CODE_BYTES = 24;

const LINK_SPENT = 'This link was already used or has expired: ask for a new one by email on your page, or scan your ticket at the kiosk.';

const meUrl = (ctx: FeatureContext) => `${ctx.deps.publicUrl.replace(/\/+$/, '')}/me`;

// Starting and ending -------------------------------------------------------------------

/**
 * Trades a one-time code (kiosk or mail) for a session. The code is spent in the same
 * transaction that stores the session, so of two phones opening one link, exactly one gets in.
 */
export async function startSession(ctx: FeatureContext, body: MeSessionBody): Promise<MeSession> {
  if (!('code' in body)) {
    throw new AppError(
      'ticket_not_a_login',
      `Your ticket checks you in at the door; it does not open your page. Check in at the kiosk and scan the code it shows for your phone, or ask for your link by email at ${meUrl(ctx)}.`,
    );
  }
  const { deps } = ctx;
  const db = deps.database.db;
  const now = new Date(deps.now());
  const token = deps.randomToken(SESSION_TOKEN_BYTES);
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 24 * 60 * 60_000);

  const attendeeId = await db.transaction(async (tx) => {
    const id = await spendPhoneLink(tx, sha256(body.code), now);
    if (!id) throw new AppError('not_found', LINK_SPENT);
    await insertSession(tx, { id: sha256(token), attendeeId: id, createdAt: now, expiresAt });
    return id;
  });

  const [attendee] = await db.select({ eventId: attendees.eventId }).from(attendees).where(eq(attendees.id, attendeeId)).limit(1);
  if (!attendee) throw new AppError('not_found', LINK_SPENT);
  return { token, snapshot: await buildMeSnapshot(db, attendee.eventId, attendeeId) };
}

/** Signs this phone out. */
export async function endSession(ctx: FeatureContext, auth: AttendeeAuth): Promise<void> {
  await deleteSession(ctx.deps.database.db, auth.sessionId);
  await ctx.realtime.attendeeSessionEnded(auth.attendee.id, auth.sessionId);
}

/**
 * Ends every session of these attendees and deletes their unused links, inside the caller's
 * transaction; the caller calls `dropSockets` once it is committed.
 */
export async function endAllSessionsIn(tx: Db, attendeeIds: readonly string[]): Promise<void> {
  await deleteCredentials(tx, attendeeIds);
}

export function dropSockets(ctx: FeatureContext, attendeeIds: readonly string[]): void {
  ctx.realtime.attendeeSessionsEnded([...attendeeIds]);
}

async function signOutEverywhere(ctx: FeatureContext, actor: AuditActor, eventId: string, attendee: { id: string; name: string }): Promise<void> {
  const { deps } = ctx;
  await deps.database.db.transaction(async (tx) => {
    await endAllSessionsIn(tx, [attendee.id]);
    await recordAudit(tx, deps.now(), actor, { action: 'attendee.sign_out', eventId, target: { kind: 'attendee', id: attendee.id, name: attendee.name } });
  });
  dropSockets(ctx, [attendee.id]);
}

/** The attendee's own "sign out everywhere": a phone they no longer hold loses their page too. */
export async function signOutMyself(ctx: FeatureContext, auth: AttendeeAuth): Promise<void> {
  await signOutEverywhere(ctx, actorOf(auth), auth.attendee.eventId, auth.attendee);
}

/** The organiser's "sign this guest out everywhere". */
export async function signOutGuest(ctx: FeatureContext, auth: OrganiserAuth, eventId: string, attendeeId: string): Promise<void> {
  const attendee = await requireAttendee(ctx.deps.database.db, eventId, attendeeId);
  await signOutEverywhere(ctx, actorOf(auth), eventId, attendee);
}

// The kiosk's phone link ----------------------------------------------------------------

/**
 * The one-time "continue on your phone" link, only for the guest standing at this kiosk
 * (`kioskMayActFor`: its latest scan, a few minutes ago, is of this guest, still present) and
 * whose own scan or walk-in it accepted in those minutes, once per such check-in. A guest it
 * only found already in (a name search, say) has no accepted scan here: it opens nobody's page.
 */
export async function createPhoneLink(ctx: FeatureContext, deviceId: string, eventId: string, attendeeId: string): Promise<PhoneLink> {
  const { deps } = ctx;
  const db = deps.database.db;
  await requireAttendee(db, eventId, attendeeId);
  const now = deps.now();
  const entry = (await kioskMayActFor(db, eventId, deviceId, attendeeId, now))?.acceptedEntry;
  if (!entry) {
    throw new AppError(
      'phone_link_not_allowed',
      `This kiosk gives a phone link only right after it checks you in. If your page is on another phone, use "Email me my link" at ${meUrl(ctx)}.`,
    );
  }
  if (entry.linked) {
    throw new AppError('phone_link_not_allowed', `The link for this check-in was already shown. Lost it? Use "Email me my link" at ${meUrl(ctx)}.`);
  }
  const code = deps.randomToken(LINK_CODE_BYTES);
  const expiresAt = new Date(now + PHONE_LINK_MINUTES * 60_000);
  try {
    // Only the hash is stored: a database dump holds no working link.
    await insertPhoneLink(db, { id: sha256(code), attendeeId, kind: 'kiosk', deviceId, checkinId: entry.id, createdAt: new Date(now), expiresAt });
  } catch (err) {
    // Two requests for one check-in at once: the unique check-in id lets one through.
    if (isUniqueViolation(err)) throw new AppError('phone_link_not_allowed', `The link for this check-in was already shown. Lost it? Use "Email me my link" at ${meUrl(ctx)}.`);
    throw err;
  }
  return { url: `${meUrl(ctx)}?code=${code}`, expiresAt: expiresAt.toISOString() };
}

// Mailed sign-in links ------------------------------------------------------------------

export function signInOptions(ctx: FeatureContext): SignInOptions {
  return { mail: ctx.deps.mailer?.kind === 'smtp' };
}

/**
 * Mints a single-use sign-in link for one attendee, stored hashed, and returns its URL.
 * The ticket mail (issue 12) mints a longer-lived one with it.
 */
export async function issueSignInLink(ctx: FeatureContext, attendeeId: string, ttlMs: number): Promise<{ url: string; expiresAt: Date }> {
  const { deps } = ctx;
  const code = deps.randomToken(LINK_CODE_BYTES);
  const now = deps.now();
  const expiresAt = new Date(now + ttlMs);
  await insertPhoneLink(deps.database.db, { id: sha256(code), attendeeId, kind: 'mail', deviceId: null, checkinId: null, createdAt: new Date(now), expiresAt });
  return { url: `${meUrl(ctx)}?code=${code}`, expiresAt };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export function signInMail(to: string, name: string, eventName: string, url: string, minutes: number, language: LanguageCode = baseLanguage): MailMessage {
  const t = translator(language);
  const first = name.trim().split(/\s+/)[0] ?? name;
  const [hello, intro, note, ignore] = [
    t('mail.signIn.hello', { name: first }),
    t('mail.signIn.intro', { event: eventName }),
    t('mail.signIn.note', { minutes }),
    t('mail.signIn.ignore'),
  ];
  const lines = [hello, '', intro, url, '', note, '', ignore];
  const html = `<p>${escapeHtml(hello)}</p>
<p>${escapeHtml(intro)}</p>
<p><a href="${escapeHtml(url)}">${escapeHtml(t('mail.signIn.open'))}</a></p>
<p>${escapeHtml(note)}</p>
<p>${escapeHtml(ignore)}</p>`;
  return { to, subject: t('mail.signIn.subject', { event: eventName }), text: lines.join('\n'), html, attachments: [] };
}

/**
 * "Email me my link": mails each registration of the address (events not erased and not
 * long over) its own sign-in link. The caller answers the same way at once whatever happens
 * here, so neither the answer nor its timing says whether the address is on a list.
 * Resolves when the mails are sent (tests wait for it; the route does not).
 */
export async function mailSignInLinks(ctx: FeatureContext, body: SignInLinkBody): Promise<void> {
  const { deps } = ctx;
  const mailer = deps.mailer;
  // A preview mailer cannot deliver: minting links nobody can receive would only leave secrets lying around.
  if (mailer?.kind !== 'smtp') return;
  const endedAfter = new Date(deps.now() - SIGN_IN_AFTER_EVENT_DAYS * 24 * 60 * 60_000);
  const registrations = await registrationsOf(deps.database.db, body.email, endedAfter, body.eventId);
  for (const r of registrations) {
    const { url } = await issueSignInLink(ctx, r.attendeeId, SIGN_IN_LINK_MINUTES * 60_000);
    await mailer.send(signInMail(r.email ?? body.email, r.name, r.eventName, url, SIGN_IN_LINK_MINUTES, personLanguage(r.language, eventLanguagesOf(r))));
  }
}

