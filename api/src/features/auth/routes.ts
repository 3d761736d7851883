import type { Response } from 'express';
import { CreateOrganiserBody, LoginBody, Organiser, OrganiserLanguageBody, SessionInfo, SetupBody, SetupStatus } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import { SESSION_COOKIE } from '../../http/auth';
import { AppError } from '../../http/errors';
import type { Registrar } from '../../http/route';
import { actorOf } from '../audit/record';
import { addMember } from '../team/service';
import { login, logout, needsSetup, setOrganiserLanguage, setupFirstOrganiser, type StartedSession } from './service';
import { clientIp } from '../../http/rate-limit';

const TAG = 'Auth';

// Read at request time: the public URL may be settled after the app is built.
const cookieOptionsOf = (ctx: FeatureContext) => ({
  httpOnly: true,
  sameSite: 'lax' as const,
  path: '/',
  secure: ctx.deps.publicUrl.startsWith('https'),
});

/** Sets the session cookie of a session just started and answers as login does. */
export function answerSessionOf(ctx: FeatureContext, res: Response, s: StartedSession): SessionInfo {
  res.cookie(SESSION_COOKIE, s.token, { ...cookieOptionsOf(ctx), maxAge: ctx.limits.sessionDays * 86_400_000 });
  res.setHeader('cache-control', 'no-store');
  return { organiser: s.organiser, csrfToken: s.csrfToken, language: s.language };
}

export function registerAuthRoutes(r: Registrar, ctx: FeatureContext) {
  const { deps } = ctx;
  const cookieOptions = () => cookieOptionsOf(ctx);
  const answerSession = (res: Response, s: StartedSession) => answerSessionOf(ctx, res, s);

  r.add(
    { method: 'get', path: '/auth/setup', summary: 'Whether the first organiser still has to be created', tag: TAG, auth: 'none', response: SetupStatus },
    async () => ({ needsSetup: await needsSetup(deps.database.db) }),
  );

  r.add(
    {
      method: 'post',
      path: '/auth/setup',
      summary: 'Create the first organiser with the one-time setup token, and log in',
      tag: TAG,
      auth: 'none',
      body: SetupBody,
      response: SessionInfo,
    },
    async ({ body, res }) => answerSession(res, await setupFirstOrganiser(ctx, body)),
  );

  r.add(
    { method: 'post', path: '/auth/login', summary: 'Log in as an organiser', tag: TAG, auth: 'none', body: LoginBody, response: SessionInfo },
    async ({ body, req, res }) => {
      try {
        return answerSession(res, await login(ctx, body, clientIp(req)));
      } catch (err) {
        if (err instanceof AppError && err.code === 'rate_limited') {
          res.setHeader('retry-after', String((err.details as { retryAfterSeconds: number }).retryAfterSeconds));
        }
        throw err;
      }
    },
  );

  r.add(
    { method: 'post', path: '/auth/logout', summary: 'End this session', tag: TAG, auth: 'organiser', role: 'door' },
    async ({ auth, res }) => {
      await logout(deps.database.db, auth.sessionId);
      await ctx.realtime.organiserSessionsEnded(auth.organiser.id, auth.sessionId);
      res.clearCookie(SESSION_COOKIE, cookieOptions());
      return undefined;
    },
  );

  r.add(
    { method: 'get', path: '/auth/session', summary: 'The current organiser and CSRF token', tag: TAG, auth: 'organiser', role: 'door', response: SessionInfo },
    async ({ auth, res }) => {
      res.setHeader('cache-control', 'no-store');
      return { organiser: auth.organiser, csrfToken: auth.csrfToken, language: auth.language };
    },
  );

  r.add(
    {
      method: 'put',
      path: '/auth/language',
      summary: "The dashboard's language for this organiser (any supported language); answers the session",
      tag: TAG,
      auth: 'organiser',
      role: 'door',
      body: OrganiserLanguageBody,
      response: SessionInfo,
    },
    async ({ auth, body, res }) => {
      await setOrganiserLanguage(deps.database.db, auth.organiser.id, body.language);
      res.setHeader('cache-control', 'no-store');
      return { organiser: auth.organiser, csrfToken: auth.csrfToken, language: body.language };
    },
  );

  r.add(
    {
      method: 'post',
      path: '/auth/organisers',
      summary: "Create a colleague's account with a role (owners only; the dashboard invites by link instead)",
      tag: TAG,
      auth: 'organiser',
      role: 'owner',
      body: CreateOrganiserBody,
      response: Organiser,
      status: 201,
    },
    async ({ body, auth }) => addMember(ctx, actorOf(auth), body),
  );
}

