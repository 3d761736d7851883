import { createHash, timingSafeEqual } from 'node:crypto';
import { and, count, eq, lte } from 'drizzle-orm';
import { organisers, sessions, type Db } from '@edgewise/db';
import { isLanguageCode, type LanguageCode, type LoginBody, type Organiser, type OrganiserRole, type SetupBody } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import { sha256 } from '../../deps';
import { AppError } from '../../http/errors';
import { dummyHash, hashPassword, verifyPassword } from './password';

// Serialises first-organiser creation across connections and nodes: any constant works,
// as long as nothing else in the app uses it.
const SETUP_LOCK_KEY = 7_271_994;

export interface StartedSession {
  /** The cookie value; only its SHA-256 is stored. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
  organiser: Organiser;
  language: LanguageCode;
}

type OrganiserRow = typeof organisers.$inferSelect;
const toOrganiser = (row: OrganiserRow): Organiser => ({ id: row.id, email: row.email, name: row.name, role: row.role });

export async function organiserCount(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(organisers);
  return row?.n ?? 0;
}

export async function needsSetup(db: Db): Promise<boolean> {
  return (await organiserCount(db)) === 0;
}

/** Compares digests so neither the length nor a common prefix leaks through timing. */
function sameSecret(given: string, expected: string | undefined): boolean {
  if (!expected) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export async function insertSession(db: Db, ctx: FeatureContext, organiser: Organiser): Promise<StartedSession> {
  const { deps, limits } = ctx;
  const token = deps.randomToken(32);
  const csrfToken = deps.randomToken(24);
  const now = deps.now();
  const expiresAt = new Date(now + limits.sessionDays * 86_400_000);
  await db.insert(sessions).values({ id: sha256(token), organiserId: organiser.id, csrfToken, createdAt: new Date(now), expiresAt });
  const [row] = await db.select({ language: organisers.language }).from(organisers).where(eq(organisers.id, organiser.id)).limit(1);
  return { token, csrfToken, expiresAt, organiser, language: isLanguageCode(row?.language) ? row.language : 'en' };
}

/** The dashboard's language for one organiser: every session of theirs reads it. */
export async function setOrganiserLanguage(db: Db, organiserId: string, language: LanguageCode): Promise<void> {
  await db.update(organisers).set({ language }).where(eq(organisers.id, organiserId));
}

/**
 * Creates the first organiser, once. The transaction takes an advisory lock before
 * counting, so two setups racing each other cannot both see an empty table.
 */
export async function setupFirstOrganiser(ctx: FeatureContext, body: SetupBody): Promise<StartedSession> {
  const { db } = ctx.deps.database;
  if (!(await needsSetup(db))) throw new AppError('setup_done', 'Edgewise is already set up: log in instead.');
  if (!sameSecret(body.token, ctx.deps.setupToken)) {
    throw new AppError('setup_token_invalid', 'This setup link is not valid: use the link printed by the server at start-up.');
  }
  const passwordHash = await hashPassword(body.password);
  return db.transaction(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(${SETUP_LOCK_KEY})`);
    if ((await organiserCount(tx)) > 0) throw new AppError('setup_done', 'Edgewise is already set up: log in instead.');
    const [row] = await tx
      .insert(organisers)
      .values({ email: body.email, name: body.name, passwordHash, role: 'owner', createdAt: new Date(ctx.deps.now()) })
      .returning();
    if (!row) throw new Error('organiser insert returned nothing');
    return insertSession(tx, ctx, toOrganiser(row));
  });
}

export async function login(ctx: FeatureContext, body: LoginBody, ip: string): Promise<StartedSession> {
  const { db } = ctx.deps.database;
  // Two buckets, both before the costly hash: one address trying many accounts, and one
  // account tried from many addresses.
  const { loginAddress, loginAccount } = ctx.limiters;
  const addressWait = await loginAddress.take(ip);
  if (addressWait > 0) {
    throw new AppError('rate_limited', 'Too many login attempts from this network: wait a few minutes and try again.', {
      retryAfterSeconds: addressWait,
      limit: 'address',
    });
  }
  const account = body.email.toLowerCase();
  const accountWait = await loginAccount.take(account);
  if (accountWait > 0) {
    throw new AppError('rate_limited', 'Too many login attempts on this account: wait a few minutes and try again.', {
      retryAfterSeconds: accountWait,
      limit: 'account',
    });
  }
  const [row] = await db.select().from(organisers).where(eq(organisers.email, body.email)).limit(1);
  // An unknown email pays for a hash check too, so timing does not tell which accounts exist.
  const ok = await verifyPassword(body.password, row?.passwordHash ?? (await dummyHash()));
  if (!row || !ok) throw new AppError('invalid_credentials', 'Wrong email or password.');
  // The owner got in: their account's count starts again, and the address is given back
  // this attempt only (its other failures, perhaps on other accounts, still count).
  await loginAccount.reset(account);
  await loginAddress.giveBack(ip);
  // Housekeeping while we are here: this organiser's dead sessions.
  await db.delete(sessions).where(and(eq(sessions.organiserId, row.id), lte(sessions.expiresAt, new Date(ctx.deps.now()))));
  return insertSession(db, ctx, toOrganiser(row));
}

export async function logout(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

export async function createOrganiser(
  db: Db,
  now: number,
  input: { email: string; name: string; password: string; role: OrganiserRole },
): Promise<Organiser> {
  const [existing] = await db.select({ id: organisers.id }).from(organisers).where(eq(organisers.email, input.email)).limit(1);
  if (existing) throw new AppError('conflict', 'An organiser with this email already exists.');
  const passwordHash = await hashPassword(input.password);
  const [row] = await db
    .insert(organisers)
    .values({ email: input.email, name: input.name, passwordHash, role: input.role, createdAt: new Date(now) })
    .onConflictDoNothing({ target: organisers.email })
    .returning();
  // The unique index settles a race between two invitations of the same address.
  if (!row) throw new AppError('conflict', 'An organiser with this email already exists.');
  return toOrganiser(row);
}
