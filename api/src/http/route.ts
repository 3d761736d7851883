import express, { type Request, type Response, type Router } from 'express';
import type { z } from 'zod';
import { defaultLimits, type AppDeps } from '../deps';
import type { OrganiserRole } from '@edgewise/shared';
import {
  attendeeFromRequest,
  authorise,
  checkCsrf,
  deviceFromRequest,
  organiserFromRequest,
  type AttendeeAuth,
  type AuthContext,
  type DeviceAuth,
  type OrganiserAuth,
} from './auth';
import { AppError } from './errors';
import { setLanguageScope } from '../i18n';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** Photos: 5 MB at most, JPEG or PNG (the resizer checks the bytes themselves too). */
const IMAGE_BODY_BYTES = 5 * 1024 * 1024;
const IMAGE_TYPES = ['image/jpeg', 'image/png'];
type Schema = z.ZodType;
/**
 * `event_member`: anyone of the route's event: its organisers (door staff too, for a read),
 * its paired devices (narrowed by `deviceKinds`) or an attendee session of that event.
 */
export type AuthMode = 'none' | 'organiser' | 'device' | 'organiser_or_device' | 'attendee' | 'event_member';

export interface RouteSpec<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined, A extends AuthMode> {
  method: Method;
  /** Express path under /api, e.g. `/events/:eventId/checkins`. */
  path: string;
  summary: string;
  tag: string;
  auth: A;
  /**
   * The least organiser role this route needs (default `organiser`): `door` lets door staff
   * in too, `owner` keeps it to owners. A route with an `:eventId` also needs access to that event.
   */
  role?: OrganiserRole;
  /** Device kinds allowed when auth involves a device (default: any). */
  deviceKinds?: ('kiosk' | 'screen')[];
  params?: P;
  query?: Q;
  body?: B;
  /** `csv` takes the raw body as bytes (text/csv); `image` takes a JPEG or PNG as bytes, up to 5 MB. */
  bodyType?: 'json' | 'csv' | 'image';
  response?: Schema;
  /** Non-JSON responses, for the API reference: the media type, or each of those it may be. */
  produces?: string | readonly string[];
  status?: number;
}

type Infer<S> = S extends Schema ? z.output<S> : undefined;
type AuthFor<A extends AuthMode> = A extends 'organiser'
  ? OrganiserAuth
  : A extends 'device'
    ? DeviceAuth
    : A extends 'organiser_or_device'
      ? AuthContext
      : A extends 'attendee'
        ? AttendeeAuth
        : A extends 'event_member'
          ? AuthContext | AttendeeAuth
          : null;

export interface RouteInput<P, Q, B, A> {
  params: P;
  query: Q;
  body: B;
  auth: A;
  req: Request;
  res: Response;
}

export interface RegisteredRoute {
  spec: RouteSpec<Schema | undefined, Schema | undefined, Schema | undefined, AuthMode>;
}

/**
 * Registers routes on one router and records them for the OpenAPI document, so the
 * schemas that validate a request are the ones the reference describes. Handlers return
 * the response body (sent as JSON with `spec.status`) or `undefined` after answering
 * themselves (images, HTML).
 */
export class Registrar {
  readonly router: Router = express.Router();
  readonly routes: RegisteredRoute[] = [];

  constructor(private readonly deps: AppDeps) {}

  add<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined, A extends AuthMode>(
    spec: RouteSpec<P, Q, B, A>,
    handler: (input: RouteInput<Infer<P>, Infer<Q>, Infer<B>, AuthFor<A>>) => Promise<unknown>,
  ): void {
    this.routes.push({ spec: spec as RegisteredRoute['spec'] });
    const deps = this.deps;
    // Bodies are read only after the caller is known: nobody without credentials gets a
    // megabyte read on their behalf.
    const raw = spec.bodyType === 'csv' || spec.bodyType === 'image';
    const bodyLimit =
      spec.bodyType === 'csv'
        ? (deps.limits?.csvBodyBytes ?? defaultLimits.csvBodyBytes)
        : spec.bodyType === 'image'
          ? IMAGE_BODY_BYTES
          : (deps.limits?.jsonBodyBytes ?? defaultLimits.jsonBodyBytes);
    const readBody = raw
      ? express.raw({ type: () => true, limit: bodyLimit })
      : express.json({ limit: bodyLimit, type: ['application/json', 'application/*+json'] });
    this.router[spec.method](spec.path, async (req: Request, res: Response) => {
      // What the answer's language depends on, as soon as it is known (errors are answered in it too).
      const pathEventId = (req.params as Record<string, string | undefined>).eventId;
      setLanguageScope(res, { eventId: pathEventId });
      const auth = await authenticate(deps, req, spec);
      if (auth?.kind === 'organiser') setLanguageScope(res, { organiserLanguage: auth.language });
      else if (auth?.kind === 'device') setLanguageScope(res, { eventId: auth.device.eventId });
      else if (auth?.kind === 'attendee') setLanguageScope(res, { eventId: auth.attendee.eventId });
      if (auth?.kind === 'organiser') await authorise(deps, auth, spec.role ?? 'organiser');
      const params = spec.params ? spec.params.parse(req.params) : undefined;
      const eventId = params && typeof params === 'object' && 'eventId' in params ? (params as { eventId: string }).eventId : undefined;
      if (auth?.kind === 'device' && eventId !== undefined && eventId !== auth.device.eventId) {
        throw new AppError('wrong_event', 'This device is paired with another event.');
      }
      if (auth?.kind === 'attendee' && eventId !== undefined && eventId !== auth.attendee.eventId) {
        throw new AppError('wrong_event', 'This page belongs to another event.');
      }
      if (auth?.kind === 'organiser' && eventId !== undefined) await authorise(deps, auth, spec.role ?? 'organiser', eventId);
      if (spec.bodyType === 'image' && !IMAGE_TYPES.includes(req.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '')) {
        throw new AppError('unsupported_media_type', 'Send the image as image/jpeg or image/png.');
      }
      if (spec.body || raw) {
        // The parser would read a too-long body to its end before refusing it: refuse now,
        // and close the connection rather than take in the rest.
        if (Number(req.get('content-length')) > bodyLimit) {
          res.setHeader('connection', 'close');
          if (spec.bodyType === 'image') throw new AppError('image_too_large', 'The image is larger than 5 MB.');
          throw new AppError('payload_too_large', `The body is larger than ${bodyLimit} bytes.`);
        }
        await new Promise<void>((resolve, reject) => readBody(req, res, (err?: unknown) => (err ? reject(err as Error) : resolve()))).catch((err: unknown) => {
          // A body sent without its length is cut at the limit as it streams in.
          if (spec.bodyType === 'image' && (err as { type?: string }).type === 'entity.too.large') throw new AppError('image_too_large', 'The image is larger than 5 MB.');
          throw err;
        });
      }
      const query = spec.query ? spec.query.parse(req.query) : undefined;
      let body: unknown;
      if (raw) {
        body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      } else if (spec.body) {
        body = spec.body.parse(req.body ?? {});
      }
      const result = await handler({
        params: params as Infer<P>,
        query: query as Infer<Q>,
        body: body as Infer<B>,
        auth: auth as AuthFor<A>,
        req,
        res,
      });
      if (res.headersSent) return;
      if (result === undefined) {
        res.status(spec.status ?? 204).end();
        return;
      }
      res.status(spec.status ?? 200).json(result);
    });
  }
}

async function authenticate(
  deps: AppDeps,
  req: Request,
  spec: { auth: AuthMode; deviceKinds?: ('kiosk' | 'screen')[] },
): Promise<AuthContext | AttendeeAuth | null> {
  if (spec.auth === 'none') return null;
  if (spec.auth === 'attendee') {
    const attendee = await attendeeFromRequest(deps, req);
    if (!attendee) throw new AppError('unauthenticated', 'This session has ended: open your link again, or scan the QR at the kiosk.');
    return attendee;
  }
  if (spec.auth === 'event_member') {
    // A bearer token is an attendee's session or a device's token: the session is looked up first.
    const attendee = await attendeeFromRequest(deps, req);
    if (attendee) return attendee;
  }
  if (spec.auth === 'device' || spec.auth === 'organiser_or_device' || spec.auth === 'event_member') {
    const device = await deviceFromRequest(deps, req);
    if (device) {
      if (spec.deviceKinds && !spec.deviceKinds.includes(device.device.kind)) {
        throw new AppError('forbidden', `A ${device.device.kind} cannot do this.`);
      }
      return device;
    }
    if (spec.auth === 'device') throw new AppError('unauthenticated', 'Pair this device first.');
  }
  const organiser = await organiserFromRequest(deps, req);
  if (!organiser) throw new AppError('unauthenticated', 'Log in first.');
  checkCsrf(req, organiser);
  return organiser;
}
