import type { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '@edgewise/shared';
import { createApp } from '@edgewise/api';
import { dbKinds, request, startServer, type TestServer } from '../fixtures/server';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

interface Operation {
  summary?: string;
  tags?: string[];
  security?: Record<string, unknown>[];
  requestBody?: { content: Record<string, { schema: { type?: string; properties?: Record<string, unknown>; required?: string[] } }> };
  responses: Record<string, unknown>;
}
type Paths = Record<string, Record<string, Operation>>;

/** The routes the API router really answers, as OpenAPI would spell them. */
function servedRoutes(router: Router): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') out.push(`${method} /api${layer.route.path.replace(/:([A-Za-z]+)/g, '{$1}')}`);
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((router as unknown as { stack: Layer[] }).stack);
  return out;
}

describe.each(dbKinds)('API reference (%s)', (kind) => {
  let sut: TestServer;
  let paths: Paths;

  beforeAll(async () => {
    sut = await startServer(kind);
    const res = await request(sut.url).get('/api/openapi.json');
    expect(res.status).toBe(200);
    paths = (res.body as { paths: Paths }).paths;
  });
  afterAll(async () => {
    await sut?.close();
  });

  it('is an OpenAPI 3.1 document with the error shape and both ways to authenticate', async () => {
    const res = await request(sut.url).get('/api/openapi.json');
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.components.schemas.Error.properties.error.properties.code.enum).toEqual(errorCodes);
    expect(Object.keys(res.body.components.securitySchemes).sort()).toEqual(['attendeeToken', 'deviceToken', 'organiserSession']);
  });

  it('describes the check-in endpoint with its request schema and device security', () => {
    const op = paths['/api/events/{eventId}/checkins']?.post;
    expect(op).toBeDefined();
    const schema = op?.requestBody?.content['application/json']?.schema;
    expect(schema?.type).toBe('object');
    expect(Object.keys(schema?.properties ?? {})).toEqual(expect.arrayContaining(['token', 'nonce', 'type', 'scannedAt']));
    expect(schema?.required).toEqual(expect.arrayContaining(['nonce', 'scannedAt']));
    expect(JSON.stringify(op?.security)).toContain('deviceToken');
  });

  it('lists every route the API serves, and nothing it does not', () => {
    // A second app on the same deps, never attached to a server: only its router is read.
    const { app } = createApp(sut.deps);
    const mounted = (app as unknown as { router: { stack: Layer[] } }).router.stack.find((l) => l.handle?.stack?.some((x) => x.route));
    expect(mounted).toBeDefined();
    const served = servedRoutes(mounted?.handle as unknown as Router);
    const documented = Object.entries(paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`));
    expect(served.length).toBeGreaterThan(15);
    // Without dedupe: the same method and path registered twice would shadow a handler.
    expect(documented.sort()).toEqual(served.sort());
  });

  it('names the auth, events and devices endpoints with their input schemas', () => {
    expect(paths['/api/auth/login']?.post?.requestBody?.content['application/json']?.schema.required).toEqual(['email', 'password']);
    expect(paths['/api/auth/login']?.post?.security).toEqual([]);
    expect(paths['/api/events']?.post?.responses).toHaveProperty('201');
    expect(paths['/api/events/{eventId}']?.patch?.security).toEqual([{ organiserSession: [] }]);
    expect(paths['/api/devices/pair']?.post?.requestBody?.content['application/json']?.schema.properties).toHaveProperty('code');
    expect(paths['/api/device']?.get?.security).toEqual([{ deviceToken: [] }]);
    expect(paths['/api/events/{eventId}/devices/{deviceId}']?.delete?.responses).toHaveProperty('204');
  });

  it('lists each media type an image route may answer with', () => {
    const types = (path: string) => Object.keys((paths[path]?.get?.responses['200'] as { content?: object } | undefined)?.content ?? {}).sort();
    // The plan is kept as it was uploaded, JPEG or PNG; a ticket's QR comes as SVG or PNG.
    expect(types('/api/events/{eventId}/floor-plan')).toEqual(['image/jpeg', 'image/png']);
    expect(types('/api/events/{eventId}/attendees/{attendeeId}/ticket/qr')).toEqual(['image/png', 'image/svg+xml']);
  });

  it('gives every operation a summary and a tag', () => {
    for (const [path, ops] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.summary, `${method} ${path}`).toMatch(/\w{3,}/);
        expect(op.tags?.length, `${method} ${path}`).toBe(1);
      }
    }
  });
});
