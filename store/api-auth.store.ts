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

/**
 * What the REST API keeps in MongoDB for signing in: API tokens (their hashes) and the mini-program's
 * sessions, refresh tokens, bind tickets and bound openids. The API gets it from the composition root
 * (lib/services.ts) and never imports the store itself.
 */
export const apiAuthStore = {
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

/** The API's sign-in storage port. */
export type ApiAuthStore = typeof apiAuthStore;
