import { randomUUID } from 'node:crypto';
import type { Source } from '../core/commands/command';
import { allCommands } from '../core/commands/registry';
import { runCommand } from '../core/commands/run';
import type { Locale } from '../core/config.schema';
import type { Deps } from '../core/ports';
import { buildCtx } from '../lib/command-context';
import { translatorFor } from '../lib/i18n';
import type { Logger } from '../lib/logger';
import { DomainError, ValidationError } from '../core/errors';
import { parseLine } from './parser';
import { renderError, renderResult } from './render/index';
import { text, type Reply } from './reply';

export interface ChatMessage {
  /** The registry userid the channel resolved the sender to. */
  userid: string;
  text: string;
  source: Source;
  requestId?: string;
}

export interface ChatEngineOptions {
  deps: Deps;
  logger: Logger;
  /** Used for people the registry does not know (they have no locale of their own). */
  defaultLocale: Locale;
}

/**
 * The one chat pipeline every channel (shell, WeCom, Wechaty) feeds: who is it → which command → run it →
 * render the answer in the sender's language. Unknown people get a polite refusal and nothing else.
 */
export function createChatEngine(opts: ChatEngineOptions) {
  const { deps, logger } = opts;
  return {
    async handle(msg: ChatMessage): Promise<Reply> {
      const requestId = msg.requestId ?? randomUUID();
      const user = await deps.users.byUserid(msg.userid);
      if (!user || !user.active) {
        logger.info({ requestId, source: msg.source, userid: msg.userid }, 'chat from unknown user refused');
        return text(translatorFor(opts.defaultLocale)('errors:unknown_user', { userid: msg.userid }));
      }
      const ctx = buildCtx(user, msg.source, deps, { requestId });
      const parsed = parseLine(msg.text, allCommands());
      if (!parsed) return text(ctx.t('errors:unknown_command', { text: msg.text.trim().slice(0, 40) }));
      const started = performance.now();
      try {
        const out = await runCommand(parsed.command, parsed.input, ctx);
        logger.info({ requestId, source: msg.source, userid: user.userid, command: parsed.command.id, ms: Math.round(performance.now() - started) }, 'chat command');
        return renderResult(parsed.command.id, out, ctx.t);
      } catch (err) {
        if (err instanceof DomainError || err instanceof ValidationError) {
          logger.info({ requestId, source: msg.source, userid: user.userid, command: parsed.command.id, code: err.code }, 'chat command refused');
        } else {
          logger.error({ err, requestId, source: msg.source, userid: user.userid, command: parsed.command.id }, 'chat command failed');
        }
        return renderError(err, ctx.t, requestId);
      }
    },
  };
}

export type ChatEngine = ReturnType<typeof createChatEngine>;
