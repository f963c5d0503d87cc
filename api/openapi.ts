import { OpenAPIRegistry, OpenApiGeneratorV3, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { AnyCommand } from '../core/commands/command';
import { API_PREFIX } from './routes/command.routes';

/** The body of every failed answer (api/middlewares/error.ts), as a named schema all error responses share. */
export const errorEnvelopeSchema = z
  .object({
    ok: z.literal(false),
    error: z.string().meta({ description: 'snake_case error code, also the i18n key', example: 'not_found' }),
    message: z.string().meta({ description: "the error in the reader's language" }),
    requestId: z.string(),
    problems: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'ApiError' });

const ERROR_STATUSES = {
  400: 'Invalid input (validation_failed, bad_json)',
  401: 'No, an invalid or a revoked bearer token (unauthorized), or a deactivated user (account_deactivated)',
  403: 'Not allowed on something the caller may see (unknown_user, forbidden_role, site_admin_only, …)',
  404: 'No such resource, or one the caller may not see: both answer alike (not_found); no such route (route_not_found)',
  422: 'A rule of the Measures says no',
  500: 'Something failed on our side (internal_error)',
} as const;

const BEARER = 'bearerAuth';

/** `/sites/:ref` → `/sites/{ref}` and the names of its params. */
export function openApiPath(path: string): { path: string; params: string[] } {
  const params: string[] = [];
  const converted = path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path: converted, params };
}

/** A command's input split the way the route reads it: path params, then query (GET/DELETE) or JSON body. */
function requestOf(spec: AnyCommand, method: string, params: string[]): RouteConfig['request'] {
  const input = spec.input;
  const readsQuery = method === 'get' || method === 'delete';
  const request: NonNullable<RouteConfig['request']> = {};
  if (input instanceof z.ZodObject) {
    const shape = input.shape as Record<string, z.ZodType>;
    if (params.length) request.params = z.object(Object.fromEntries(params.map((p) => [p, shape[p] ?? z.string()])));
    const restKeys = Object.keys(shape).filter((k) => !params.includes(k));
    if (restKeys.length) {
      // Built from the fields, not `input.pick`: zod refuses to pick from an object with a refinement (a
      // `from` ≤ `to` rule), and such a rule has no OpenAPI form anyway.
      const rest = z.object(Object.fromEntries(restKeys.map((k) => [k, shape[k]!])));
      if (readsQuery) request.query = rest;
      else request.body = { required: true, content: { 'application/json': { schema: rest } } };
    }
  } else {
    if (params.length) request.params = z.object(Object.fromEntries(params.map((p) => [p, z.string()])));
    if (!readsQuery) request.body = { required: true, content: { 'application/json': { schema: input } } };
  }
  return request;
}

/**
 * The OpenAPI 3.0 document of the REST API, generated from the same zod schemas the commands validate with,
 * so it cannot drift from what the routes accept and answer. Throws if a command's schema cannot be
 * described: better at start than a silently wrong document.
 */
export function buildOpenApiDocument(commands: readonly AnyCommand[], info: { version: string } = { version: '1' }) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', BEARER, {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token from `steward token issue` (sst_…).',
  });
  const errorResponses = Object.fromEntries(
    Object.entries(ERROR_STATUSES).map(([status, description]) => [status, { description, content: { 'application/json': { schema: errorEnvelopeSchema } } }]),
  );

  for (const spec of commands) {
    if (!spec.http) continue;
    const { method } = spec.http;
    const { path, params } = openApiPath(`${API_PREFIX}${spec.http.path}`);
    const success = method === 'post' ? 201 : 200;
    registry.registerPath({
      method,
      path,
      operationId: spec.id,
      summary: spec.id,
      tags: [spec.id.split('.')[0] ?? spec.id],
      security: [{ [BEARER]: [] }],
      request: requestOf(spec, method, params),
      responses: {
        [success]: {
          description: 'OK',
          content: { 'application/json': { schema: z.object({ ok: z.literal(true), data: spec.output }) } },
        },
        ...errorResponses,
      },
    });
  }

  registry.registerPath({
    method: 'get',
    path: '/healthz',
    summary: 'The process answers',
    tags: ['ops'],
    responses: { 200: { description: 'Alive', content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } } } },
  });
  registry.registerPath({
    method: 'get',
    path: '/readyz',
    summary: 'The database answers',
    tags: ['ops'],
    responses: {
      200: { description: 'Ready', content: { 'application/json': { schema: z.object({ ok: z.literal(true), database: z.literal('up') }) } } },
      503: { description: 'Not ready', content: { 'application/json': { schema: z.object({ ok: z.literal(false), database: z.literal('down') }) } } },
    },
  });

  const generator = new OpenApiGeneratorV3(registry.definitions);
  return generator.generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'Site Steward API',
      version: info.version,
      description: 'Administration of Hebei government websites. Every command of the chat bot with an HTTP binding is here.',
    },
  });
}
