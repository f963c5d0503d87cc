import { randomUUID } from 'node:crypto';
import { actorOf } from '../core/actor';
import type { Ctx, Source } from '../core/commands/command';
import type { Locale } from '../core/config.schema';
import type { Deps } from '../core/ports';
import type { User } from '../core/registry/types';
import { translatorFor } from './i18n';

/** The context every adapter builds the same way: actor from the registry user, their locale, a request id. */
export function buildCtx(user: User, source: Source, deps: Deps, opts: { requestId?: string; lng?: Locale; progress?: (line: string) => void } = {}): Ctx {
  const lng = opts.lng ?? user.locale;
  return { actor: actorOf(user), lng, t: translatorFor(lng), source, requestId: opts.requestId ?? randomUUID(), deps, ...(opts.progress ? { progress: opts.progress } : {}) };
}
