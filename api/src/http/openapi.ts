import { z } from 'zod';
import { errorCodes } from '@edgewise/shared';
import type { RegisteredRoute } from './route';

const toJson = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

/** OpenAPI 3.1 for every registered route, from the same zod schemas that validate them. */
export function buildOpenApi(routes: RegisteredRoute[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { spec } of routes) {
    const path = `/api${spec.path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
    const parameters: unknown[] = [];
    for (const [where, schema] of [['path', spec.params], ['query', spec.query]] as const) {
      if (!schema) continue;
      const json = toJson(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(json.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: s });
      }
    }
    const security =
      spec.auth === 'none'
        ? []
        : spec.auth === 'organiser'
          ? [{ organiserSession: [] }]
          : spec.auth === 'device'
            ? [{ deviceToken: [] }]
            : spec.auth === 'attendee'
              ? [{ attendeeToken: [] }]
              : spec.auth === 'event_member'
                ? [{ organiserSession: [] }, { deviceToken: [] }, { attendeeToken: [] }]
                : [{ organiserSession: [] }, { deviceToken: [] }];
    const okStatus = String(spec.status ?? (spec.response || spec.produces ? 200 : 204));
    const op: Record<string, unknown> = {
      summary: spec.summary,
      tags: [spec.tag],
      security,
      parameters,
      responses: {
        [okStatus]: spec.response
          ? { description: 'OK', content: { 'application/json': { schema: toJson(spec.response, 'output') } } }
          : spec.produces
            ? { description: 'OK', content: Object.fromEntries([spec.produces].flat().map((type) => [type, {}])) }
            : { description: 'Done' },
        default: { description: 'An error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
    if (spec.bodyType === 'csv') {
      op.requestBody = { required: true, content: { 'text/csv': { schema: { type: 'string' } } } };
    } else if (spec.bodyType === 'image') {
      const bytes = { schema: { type: 'string', contentMediaType: 'application/octet-stream', maxLength: 5 * 1024 * 1024 } };
      op.requestBody = { required: true, content: { 'image/jpeg': bytes, 'image/png': bytes } };
    } else if (spec.body) {
      op.requestBody = { required: true, content: { 'application/json': { schema: toJson(spec.body, 'input') } } };
    }
    paths[path] = { ...paths[path], [spec.method]: op };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Edgewise API',
      version,
      description: 'Event check-in and matchmaking. Errors are `{ error: { code, message, details? } }` with a code from the closed list.',
    },
    paths,
    components: {
      securitySchemes: {
        organiserSession: { type: 'apiKey', in: 'cookie', name: 'ew_session', description: 'Writes also need the x-csrf-token header.' },
        deviceToken: { type: 'http', scheme: 'bearer', description: 'A paired kiosk or screen.' },
        attendeeToken: { type: 'http', scheme: 'bearer', description: "An attendee's own session (POST /api/me/session)." },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string', enum: errorCodes }, message: { type: 'string' }, details: {} },
            },
          },
        },
      },
    },
  };
}
