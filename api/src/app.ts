import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import cookieParser from 'cookie-parser';
import express from 'express';
import { Server } from 'socket.io';
import type { Db } from '@edgewise/db';
import { defaultLimits, type AppDeps } from './deps';
import type { FeatureContext, Io } from './context';
import { errorBody, errorHandler } from './http/errors';
import { requestLanguage } from './i18n';
import { databaseAvailability, registerHealthRoutes } from './http/health';
import { buildOpenApi } from './http/openapi';
import { securityHeaders } from './http/headers';
import { RateLimitStore } from './http/rate-limit';
import { payloadBeforeAck } from './http/socket-packets';
import { Registrar } from './http/route';
import { registerAcquaintanceRoutes } from './features/acquaintances/routes';
import { registerAttendeeRoutes } from './features/attendees/routes';
import { registerAuthRoutes } from './features/auth/routes';
import { registerSignsOfLife } from './features/checkins/signs';
import { registerCheckinRoutes } from './features/checkins/routes';
import { registerDataRightsRoutes } from './features/data-rights/routes';
import { registerDashboardRoutes } from './features/dashboard/routes';
import { withOrganiserNotices } from './features/dashboard/notices';
import { registerDeviceRoutes } from './features/devices/routes';
import { registerEventRoutes } from './features/events/routes';
import { registerExportRoutes } from './features/exports/routes';
import { registerFollowupRoutes } from './features/followup/routes';
import { createFollowupRuntime } from './features/followup/runtime';
import { registerInvitationRoutes } from './features/invitations/routes';
import { createInvitationRuntime } from './features/invitations/runtime';
import { registerIntentRoutes } from './features/intents/routes';
import { registerIntroductionRoutes } from './features/introductions/routes';
import { registerKioskRoutes } from './features/kiosk/routes';
import { registerLanguageRoutes } from './features/languages/routes';
import { registerMeRoutes } from './features/me/routes';
import { registerMeSocket } from './features/me/socket';
import { registerMeetingRoutes } from './features/meeting/routes';
import { registerPhotoRoutes } from './features/photos/routes';
import { registerTicketRoutes } from './features/tickets/routes';
import { registerTeamRoutes } from './features/team/routes';
import { registerAuditRoutes } from './features/audit/routes';
import { registerRealtime } from './features/realtime/socket';
import { createMatchingRuntime, ioEmitters } from './features/suggestions/runtime';

export const API_VERSION = '0.1.0';

/**
 * Builds the HTTP app and the socket.io server without listening, so the server entry
 * point and the tests attach them to whatever HTTP server they run (`io.attach(server)`).
 */
export function createApp(deps: AppDeps) {
  const limits = { ...defaultLimits, ...deps.limits };
  const io: Io = new Server({ serveClient: false, cors: { origin: false }, ...(deps.cluster ? { adapter: deps.cluster.adapter } : {}) });
  io.on('connection', (socket) => socket.use(payloadBeforeAck));
  const emitters = ioEmitters(io);
  const startMatching = (fence?: (tx: Db) => Promise<void>) =>
    createMatchingRuntime({
      deps,
      ...(fence ? { fence } : {}),
      // With several nodes, a room's sockets may all be on another node: this one cannot see
      // them, so every room counts as listening and the adapter carries the push there.
      emit: deps.cluster ? { ...emitters, listening: () => true } : emitters,
      ...(deps.matchingHost ? { host: deps.matchingHost } : {}),
    });
  // Runs until `matching.close()`: whoever starts the app closes it with the server. With
  // several nodes, only the one holding the matching lease runs it; the others pass it on.
  const matching = deps.cluster ? deps.cluster.matching(startMatching, deps.log) : startMatching();
  const rateLimits = new RateLimitStore(deps.database.db, deps.now, deps.log);
  const ctx: FeatureContext = {
    deps,
    limits,
    limiters: {
      loginAddress: rateLimits.limiter('login-address', limits.loginPerAddressPerWindow, limits.windowMs),
      loginAccount: rateLimits.limiter('login-account', limits.loginPerWindow, limits.windowMs),
      pair: rateLimits.limiter('pair', limits.pairPerWindow, limits.windowMs),
      search: rateLimits.limiter('search', limits.searchPerWindow, limits.windowMs),
      // Link codes are guessed at /me/session if anywhere: the same budget as device pairing.
      session: rateLimits.limiter('me-session', limits.pairPerWindow, limits.windowMs),
      // Per attendee: retakes, not a stream of resize work.
      photo: rateLimits.limiter('photo', 10, limits.windowMs),
    },
    realtime: registerRealtime(io, deps),
    matching: withOrganiserNotices(matching, io, deps.now),
  };

  const app = express();
  app.disable('x-powered-by');
  // Nobody's X-Forwarded-For is believed unless TRUST_PROXY names the balancer.
  app.set('trust proxy', deps.trustProxy ?? false);
  app.use(securityHeaders(() => deps.publicUrl));
  app.use((req, res, next) => {
    res.locals.requestId = req.get('x-request-id')?.slice(0, 64) ?? randomUUID();
    res.setHeader('x-request-id', String(res.locals.requestId));
    next();
  });
  app.use(cookieParser());

  const api = new Registrar(deps);
  // Requests fail fast with 503 while the database is away; the health routes still answer.
  const availability = databaseAvailability(deps.database, deps.log);
  registerHealthRoutes(api, deps.database, availability);
  registerAuthRoutes(api, ctx);
  registerLanguageRoutes(api);
  registerEventRoutes(api, ctx);
  registerAttendeeRoutes(api, ctx);
  registerAcquaintanceRoutes(api, ctx);
  registerTicketRoutes(api, ctx);
  registerDeviceRoutes(api, ctx);
  registerCheckinRoutes(api, ctx);
  registerKioskRoutes(api, ctx);
  registerIntentRoutes(api, ctx);
  registerMeRoutes(api, ctx);
  registerPhotoRoutes(api, ctx);
  registerMeetingRoutes(api, ctx);
  registerDashboardRoutes(api, ctx);
  registerMeSocket(io, ctx);
  registerSignsOfLife(io, ctx);
  // Runs its timer until `followups.close()`: whoever starts the app closes it with the server.
  const followupRuntime = createFollowupRuntime(deps);
  registerFollowupRoutes(api, ctx, followupRuntime);
  // The ticket-mail sender closes (and settles) with the follow-up's, which the server closes.
  const invitations = createInvitationRuntime(ctx, io);
  registerInvitationRoutes(api, ctx, invitations);
  const followups: typeof followupRuntime = {
    ...followupRuntime,
    settled: () => Promise.all([followupRuntime.settled(), invitations.settled()]).then(() => undefined),
    close: () => Promise.all([followupRuntime.close(), invitations.close()]).then(() => undefined),
  };
  registerExportRoutes(api, ctx);
  registerDataRightsRoutes(api, ctx, io);
  registerIntroductionRoutes(api, ctx);
  registerTeamRoutes(api, ctx);
  registerAuditRoutes(api, ctx);

  const openapi = buildOpenApi(api.routes, API_VERSION);
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.get('/api/health', (_req, res) => {
    res.json({ ok: true, db: deps.database.kind });
  });
  app.use('/api', (req, res, next) => (req.path.startsWith('/health') ? next() : availability.guard(req, res, next)));
  app.use('/api', api.router);
  app.use('/api', (_req, res) => {
    res.status(404).json(errorBody('not_found', 'No such endpoint.'));
  });

  if (deps.clientDist && existsSync(path.join(deps.clientDist, 'index.html'))) {
    const dist = deps.clientDist;
    app.use(express.static(dist, { index: false, maxAge: '1h' }));
    app.get('/', (_req, res) => res.redirect('/dashboard'));
    // The Vue app routes by surface; every surface is the same page.
    app.get(/^\/(kiosk|dashboard|me|screen|t)(\/.*)?$/, (_req, res) => {
      res.setHeader('cache-control', 'no-cache');
      res.sendFile(path.join(dist, 'index.html'));
    });
  }

  app.use(errorHandler(deps.log, () => availability.suspect(), (req, res, offline) => requestLanguage(deps, req, res, offline)));
  return { app, io, ctx, openapi, matching, followups, availability, invitations };
}
