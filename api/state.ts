import type Koa from 'koa';
import type { Locale } from '../core/config.schema';
import type { User } from '../core/registry/types';

/** What the middlewares learn about a request and hand down the chain. */
export interface ApiState {
  /** Echoed in `X-Request-Id`, the access log and every error body, so a user's report finds the log line. */
  requestId: string;
  /** The language of every message in the answer. */
  lng: Locale;
  /** The language the client asked for (`?lng`, `Accept-Language`); beats the user's own setting. */
  requestedLng?: Locale;
  /** The registry user the bearer token belongs to, once auth has run. */
  user?: User;
}

export type ApiContext = Koa.ParameterizedContext<ApiState>;
export type ApiMiddleware = Koa.Middleware<ApiState>;
