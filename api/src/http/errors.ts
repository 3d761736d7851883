import type { ErrorRequestHandler, Request, Response } from 'express';
import { ZodError } from 'zod';
import { errorStatus, type ErrorBody, type ErrorCode, type LanguageCode } from '@edgewise/shared';
import { errorMessage, fieldMessage, type FieldIssue } from '../i18n';

/** A domain error: a code from the closed list, its status, and a message for people. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.status = errorStatus[code];
  }
}

export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return details === undefined ? { error: { code, message } } : { error: { code, message, details } };
}

/** The issues as the answer lists them; each keeps its zod issue (not sent) so it can be told in another language. */
export function zodDetails(err: ZodError) {
  return err.issues.map((i) => Object.defineProperty({ path: i.path.join('.'), message: i.message, code: i.code }, 'issue', { value: i, enumerable: false }));
}

/** Details in `language`: a field's message from the catalogue where the detail came from a schema. */
function detailsIn(language: LanguageCode, details: unknown): unknown {
  if (!Array.isArray(details)) return details;
  return details.map((d: unknown) => {
    const issue = (d as { issue?: FieldIssue } | null)?.issue;
    return issue ? { ...(d as object), message: fieldMessage(language, issue) } : d;
  });
}

interface BodyParserError {
  type?: string;
  status?: number;
}

/** Postgres error codes we can explain to a client rather than answer 500. */
const pgErrors: Record<string, [ErrorCode, string]> = {
  '23505': ['conflict', 'That conflicts with something already stored.'],
  '23503': ['conflict', 'That refers to something that does not exist any more.'],
  '22P02': ['validation_failed', 'A value has the wrong format.'],
  '22001': ['validation_failed', 'A value is too long.'],
};

/** What a client should wait before trying again when the database is away, in seconds. */
export const RETRY_AFTER_S = 2;

/**
 * Failures that say the database could not be reached (as opposed to a query it refused):
 * postgres.js's own connection errors, the socket's, and Postgres's SQLSTATE class 08 and
 * its shutdown, start-up and too-many-connections codes. drizzle wraps them in `cause`.
 */
const connectionCodes = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

export const unavailableBody = () =>
  errorBody('database_unavailable', 'The database cannot be reached right now. Try again in a moment.');

export function isConnectionError(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (connectionCodes.has(code) || code.startsWith('08'))) return true;
  }
  return false;
}

/**
 * `language(req, res, offline)`: the language of the answer (`offline` when the database is
 * away: what is known without asking it); the message follows it, the code never changes.
 */
export type AnswerLanguage = (req: Request, res: Response, offline: boolean) => Promise<LanguageCode>;

export function errorHandler(log: (line: Record<string, unknown>) => void, onUnreachable: () => void = () => {}, language?: AnswerLanguage): ErrorRequestHandler {
  return async (err, req, res, _next) => {
    if (res.headersSent) return;
    const offline = (err instanceof AppError && err.code === 'database_unavailable') || isConnectionError(err);
    const lang = language ? await language(req, res, offline).catch((): LanguageCode => 'en') : 'en';
    if (res.headersSent) return;
    const send = (status: number, body: ErrorBody) =>
      res.status(status).json(
        lang === 'en'
          ? body
          : { error: { ...body.error, message: errorMessage(lang, body.error.code, body.error.message), ...('details' in body.error ? { details: detailsIn(lang, body.error.details) } : {}) } },
      );
    if (err instanceof AppError) {
      if (err.code === 'database_unavailable') res.setHeader('retry-after', String(RETRY_AFTER_S));
      send(err.status, errorBody(err.code, err.message, err.details));
      return;
    }
    if (isConnectionError(err)) {
      onUnreachable();
      res.setHeader('retry-after', String(RETRY_AFTER_S));
      send(503, unavailableBody());
      return;
    }
    if (err instanceof ZodError) {
      send(400, errorBody('validation_failed', 'The request is not valid.', zodDetails(err)));
      return;
    }
    const bp = err as BodyParserError;
    if (bp.type === 'entity.parse.failed') {
      send(400, errorBody('malformed_json', 'The body is not valid JSON.'));
      return;
    }
    if (bp.type === 'entity.too.large') {
      send(413, errorBody('payload_too_large', 'The body is too large.'));
      return;
    }
    if (bp.type === 'encoding.unsupported' || bp.type === 'charset.unsupported') {
      send(415, errorBody('unsupported_media_type', 'Send UTF-8.'));
      return;
    }
    // Express and its parsers mark what they could not read (a bad %-escape in the path, an
    // aborted body) with a 4xx status: the client's fault, said with a code from our list.
    const status = (err as { status?: unknown; statusCode?: unknown })?.status ?? (err as { statusCode?: unknown })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      if (status === 413) send(413, errorBody('payload_too_large', 'The body is too large.'));
      else if (status === 415) send(415, errorBody('unsupported_media_type', 'This content type is not accepted here.'));
      else send(400, errorBody('malformed_request', err instanceof URIError ? 'The address has a malformed %-escape.' : 'The request could not be read.'));
      return;
    }
    const pgCode = (err as { code?: unknown; cause?: { code?: unknown } })?.code ?? (err as { cause?: { code?: unknown } })?.cause?.code;
    const known = typeof pgCode === 'string' ? pgErrors[pgCode] : undefined;
    if (known) {
      send(errorStatus[known[0]], errorBody(known[0], known[1]));
      return;
    }
    const requestId = String(res.locals.requestId ?? '');
    log({ level: 'error', msg: 'unhandled error', requestId, method: req.method, path: req.path, err: String(err?.stack ?? err) });
    send(500, errorBody('internal', `Something went wrong on our side (request ${requestId}).`));
  };
}
