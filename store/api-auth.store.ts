import type { ApiAuthStore } from '../core/api-auth.ports';
import { resolveApiToken } from './api-token.repo';
import {
  bindOpenid,
  consumeBindingCode,
  isMpToken,
  issueBindTicket,
  issueMpSession,
  resolveBindTicket,
  resolveMpSession,
  revokeMpFamily,
  rotateMpRefresh,
  spendBindTicket,
  userForOpenid,
} from './mp-auth.repo';

export type { ApiAuthStore } from '../core/api-auth.ports';

/**
 * What the REST API keeps in MongoDB for signing in: API tokens (their hashes) and the mini-program's
 * sessions, refresh tokens, bind tickets and bound openids — the port of core/api-auth.ports.ts. The API gets
 * it from the composition root (lib/services.ts) and never imports the store itself.
 */
export const apiAuthStore: ApiAuthStore = {
  resolveApiToken,
  isMpToken,
  resolveMpSession,
  issueMpSession,
  rotateMpRefresh,
  revokeMpFamily,
  issueBindTicket,
  resolveBindTicket,
  spendBindTicket,
  consumeBindingCode,
  userForOpenid,
  bindOpenid,
};
