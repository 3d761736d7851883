import type { RequestHandler } from 'express';
import type { Database } from '@edgewise/db';
import { z } from 'zod';
import { AppError, RETRY_AFTER_S, unavailableBody } from './errors';
import type { Registrar } from './route';

/**
 * Whether this node can reach its database, and what the API does about it when it cannot:
 * answer at once with 503 `database_unavailable` and `Retry-After`, rather than let each
 * request wait on a connection that will not come (a kiosk queues the scan and lets the
 * guest in by its offline rules). Nothing runs while all is well: a connection error seen
 * by a request, or a request still unanswered after `deadlineMs`, starts probing; probing
 * goes on every `retryMs` until the database answers, and then requests go through again.
 */
export interface DatabaseAvailability {
  readonly up: boolean;
  /** A request saw a connection-level failure: answer 503 until a probe gets through. */
  suspect(): void;
  /** Asks the database now (shared by concurrent callers); resolves whether it answered. */
  probe(): Promise<boolean>;
  /** The fast-fail middleware for routes that need the database. */
  guard: RequestHandler;
  /** Stops answering requests (a node shutting down): readiness fails, a balancer moves on. */
  drain(): void;
  readonly draining: boolean;
  close(): void;
}

export interface AvailabilityOptions {
  /** A request unanswered this long has its database probed. */
  deadlineMs?: number;
  /** How long a probe may take before the database counts as away. */
  probeTimeoutMs?: number;
  /** Between probes while the database is away. */
  retryMs?: number;
}

export function databaseAvailability(database: Database, log: (line: Record<string, unknown>) => void, options: AvailabilityOptions = {}): DatabaseAvailability {
  const deadlineMs = options.deadlineMs ?? 600;
  const probeTimeoutMs = options.probeTimeoutMs ?? 600;
  const retryMs = options.retryMs ?? 100;
  let up = true;
  let draining = false;
  let closed = false;
  let probing: Promise<boolean> | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let downSince = 0;
  /** Requests waiting on the database now: answered with 503 when it is found away. */
  const pending = new Set<() => void>();

  function setUp(next: boolean) {
    if (next === up) return;
    up = next;
    if (next) {
      log({ level: 'info', msg: 'database: reachable again', awayMs: Date.now() - downSince });
    } else {
      downSince = Date.now();
      log({ level: 'warn', msg: 'database: cannot be reached; answering 503 until it is back' });
      for (const answer of [...pending]) answer();
    }
  }

  function scheduleRetry() {
    if (retry || closed) return;
    retry = setTimeout(() => {
      retry = null;
      void probe();
    }, retryMs);
    retry.unref();
  }

  function probe(): Promise<boolean> {
    probing ??= database
      .ping(probeTimeoutMs)
      .then((ok) => {
        setUp(ok);
        if (!ok) scheduleRetry();
        return ok;
      })
      .finally(() => {
        probing = null;
      });
    return probing;
  }

  const guard: RequestHandler = (_req, res, next) => {
    // PGlite runs in this process: it is slow when busy, never away. A probe queued behind
    // the requests would read a long queue as an outage.
    if (database.kind === 'pglite') return next();
    if (!up) {
      res.setHeader('retry-after', String(RETRY_AFTER_S));
      res.status(503).json(unavailableBody());
      return;
    }
    // Answers a request left waiting on a database that went away while it ran; the
    // handler's own answer, if it ever comes, finds the response sent and is dropped.
    const answer = () => {
      if (res.headersSent) return;
      res.setHeader('retry-after', String(RETRY_AFTER_S));
      res.setHeader('connection', 'close');
      res.status(503).json(unavailableBody());
    };
    const deadline = setTimeout(() => void probe(), deadlineMs);
    pending.add(answer);
    res.once('close', () => {
      clearTimeout(deadline);
      pending.delete(answer);
    });
    next();
  };

  return {
    get up() {
      return up;
    },
    get draining() {
      return draining;
    },
    suspect() {
      setUp(false);
      void probe();
    },
    probe,
    guard,
    drain() {
      draining = true;
    },
    close() {
      closed = true;
      if (retry) clearTimeout(retry);
    },
  };
}

const Live = z.object({ ok: z.literal(true) });
const Ready = z.object({ ok: z.literal(true), db: z.enum(['pglite', 'postgres']) });

/**
 * For balancers and compose health checks: `live` says the process answers (restart it if
 * not), `ready` says it can serve (the database answers, every migration is applied, and
 * the node is not shutting down): route to it only then.
 */
export function registerHealthRoutes(api: Registrar, database: Database, availability: DatabaseAvailability, probeTimeoutMs = 600) {
  let migrated = false;
  api.add(
    { method: 'get', path: '/health/live', summary: 'Whether the process answers', tag: 'health', auth: 'none', response: Live },
    async () => ({ ok: true as const }),
  );
  api.add(
    { method: 'get', path: '/health/ready', summary: 'Whether this node can serve: database reachable, migrations applied, not stopping', tag: 'health', auth: 'none', response: Ready },
    async () => {
      if (availability.draining) throw new AppError('database_unavailable', 'This node is shutting down.');
      if (!(await database.ping(probeTimeoutMs))) {
        availability.suspect();
        throw new AppError('database_unavailable', 'The database cannot be reached.');
      }
      migrated ||= await database.migrated();
      if (!migrated) throw new AppError('database_unavailable', 'The database is missing migrations.');
      return { ok: true as const, db: database.kind };
    },
  );
}
