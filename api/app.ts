import Koa from 'koa';
import { Router } from '@koa/router';
import { allCommands } from '../core/commands/registry';
import type { AnyCommand } from '../core/commands/command';
import type { Locale } from '../core/config.schema';
import type { Deps } from '../core/ports';
import type { Logger } from '../lib/logger';
import type { ApiAuthStore } from '../core/api-auth.ports';
import { createHttpMetrics, type HttpMetrics } from './metrics';
import { authenticate } from './middlewares/auth';
import { jsonBody, requireJsonBody } from './middlewares/body';
import { errorHandler } from './middlewares/error';
import { requireDatabase } from './middlewares/database';
import { locale } from './middlewares/locale';
import { observe } from './middlewares/observe';
import { requestId } from './middlewares/request-id';
import { buildOpenApiDocument } from './openapi';
import { API_PREFIX, mountCommands } from './routes/command.routes';
import { mountFileRoutes } from './routes/files.routes';
import { mountHealth } from './routes/health.routes';
import { mountMiniprogramAuth, mpAuthConfigFromEnv } from './routes/miniprogram-auth.routes';
import type { MpAuthConfig } from './auth/session';
import type { MpPeers } from './auth/session-peers';
import type { ApiState } from './state';

export interface AppOptions {
  deps: Deps;
  /** API tokens and mini-program sessions (the composition root's `apiAuth`). */
  auth: ApiAuthStore;
  /** The database's ping and connection state (the composition root's `database`). */
  database: { ping(): Promise<boolean>; connected(): boolean };
  logger: Logger;
  config: {
    /** Largest JSON body accepted, like '1mb' (STEWARD_BODY_LIMIT). */
    bodyLimit: string;
    /** The language of answers when neither the client nor the user chose one (STEWARD_LOCALE). */
    defaultLocale: Locale;
  };
  /** Whether the app can serve: the database ping unless a test says otherwise. */
  readiness?: () => Promise<boolean>;
  /** The commands to expose; the registry's by default. */
  commands?: readonly AnyCommand[];
  /** Mini-program sign-in (WeCom / WeChat code exchange, session lifetime); from the environment when absent. */
  miniprogram?: MpAuthConfig;
  /** The WeCom / WeChat code exchanges; real HTTP clients of `miniprogram`'s base URLs by default. */
  miniprogramPeers?: MpPeers;
  /**
   * Middlewares that read their own raw body (the WeCom callback's encrypted XML), mounted before the JSON
   * body handling.
   */
  rawBodyRoutes?: Koa.Middleware[];
  /**
   * Whether the database is reachable now (lib/database-supervisor.ts); while it is not, every route but the
   * probes answers 503 `database_unavailable` at once. `database.connected` by default.
   */
  databaseUp?: () => boolean;
  /** Problems of the chat channels (WeCom 60020, 60011, bad credentials) shown on /readyz. */
  channelHealth?: () => Record<string, { ok: boolean; problems: unknown[] }>;
}

/** The app plus what a caller may want to reach without HTTP (e.g. to add its own metrics). */
export type StewardApp = Koa<ApiState> & { metrics: HttpMetrics };

/**
 * The REST API: every command of the registry with an `http` binding under `/api/v1`, its OpenAPI document,
 * and the probes. Nothing is global (metrics registry, OpenAPI document), so a process or a test file may
 * build several apps. Listening is the caller's job (`steward start`).
 */
export function createApp(options: AppOptions): StewardApp {
  const { deps, logger, config } = options;
  const commands = options.commands ?? allCommands();
  const readiness = options.readiness ?? (() => options.database.ping());
  const metrics = createHttpMetrics();
  const openApiDocument = JSON.stringify(buildOpenApiDocument(commands));

  const root = new Router<ApiState>();
  mountHealth(root, readiness, metrics, options.channelHealth);

  const api = new Router<ApiState>({ prefix: API_PREFIX });
  api.get('/openapi.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.body = openApiDocument;
  });
  mountMiniprogramAuth(api, deps, options.auth, options.miniprogram ?? mpAuthConfigFromEnv(), options.miniprogramPeers);
  mountCommands(api, commands, deps, authenticate(deps, options.auth));
  mountFileRoutes(api, deps, authenticate(deps, options.auth));

  const app = new Koa<ApiState>({ proxy: false }) as StewardApp;
  app.metrics = metrics;
  // Order matters: the id and the language exist before anything can fail; `observe` sits outside the error
  // handler so it logs and counts the status the client really gets.
  app.use(requestId());
  app.use(locale(config.defaultLocale));
  app.use(observe(logger, metrics));
  app.use(errorHandler(logger, config.defaultLocale));
  app.use(requireDatabase(options.databaseUp ?? options.database.connected));
  for (const route of options.rawBodyRoutes ?? []) app.use(route);
  app.use(requireJsonBody());
  app.use(jsonBody(config.bodyLimit));
  app.use(root.routes());
  app.use(api.routes());
  // Only an error outside errorHandler (a bug in the first middlewares, a socket error) reaches Koa.
  app.on('error', (err: unknown) => logger.error({ err }, 'koa error'));
  return app;
}
