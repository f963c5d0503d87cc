import { randomUUID } from 'node:crypto';
import type { ApiMiddleware } from '../state';

/** A caller's id we keep as is: short, printable, no spaces, so it cannot forge or break a log line. */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id (the caller's `X-Request-Id` when it is sane, else a UUID) and echoes it, so a
 * gateway's id, our log line and the id a user reads in an error message are the same string.
 */
export function requestId(): ApiMiddleware {
  return async (ctx, next) => {
    const incoming = ctx.get('X-Request-Id');
    ctx.state.requestId = ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    await next();
  };
}
