import type { Deps } from '../core/ports';
import { siteRepo, unitRepo, userRepo } from './registry.repo';
import './api-token.model';

export { resolveDatabase, redactUri, PROJECT_ROOT, type ResolvedDatabase } from './database';
export { connectMongo, disconnectMongo, pingDatabase } from './connection';

/** The production wiring of the core's ports. */
export function storeDeps(clock: Deps['clock'] = { now: () => new Date() }): Deps {
  return { clock, units: unitRepo, sites: siteRepo, users: userRepo };
}
