import { randomUUID } from 'node:crypto';
import type { Source } from '../core/commands/command';
import { allCommands, commandById } from '../core/commands/registry';
import { runCommand } from '../core/commands/run';
import type { Locale } from '../core/config.schema';
import type { Deps } from '../core/ports';
import { buildCtx } from '../lib/command-context';
import { translatorFor } from '../lib/i18n';
import type { Logger } from '../lib/logger';
import { DomainError, ValidationError } from '../core/errors';
import { claimPendingPrompt, dropPendingPrompt, findPendingPrompt, type PendingPromptDoc } from '../store/pending-prompt.model';
import { parseLine } from './parser';
import { isCancel, isStrictCommand } from './pending-comment';
import { renderError, renderResult } from './render/index';
import { replyText, text, type Reply } from './reply';

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

/** A message that answered a pending prompt (bot/pending-comment.ts): what the channel needs to finish it. */
export interface AnsweredPrompt {
  prompt: PendingPromptDoc;
  comment: string;
  /** The command ran (false: it was refused, and `reply` says why). */
  ok: boolean;
  /** Who answered, for "handled by" on the card. */
  by: { userid: string; name: string; locale: Locale };
}

/** The answer to one message, and, when it answered a pending prompt, that prompt. */
export interface ChatTurn {
  reply: Reply;
  answered?: AnsweredPrompt;
}

/**
 * The one chat pipeline every channel (shell, WeCom, Wechaty) feeds: who is it → which command → run it →
 * render the answer in the sender's language. Unknown people get a polite refusal and nothing else.
 *
 * When the bot waits for this person's comment on this channel (a card's reject/return click), their next
 * line is that comment — unless it is 取消/cancel (drops the question) or clearly a command (runs, and drops
 * the question). The comment completes the button's command, which then runs exactly as if typed.
 */
export function createChatEngine(opts: ChatEngineOptions) {
  const { deps, logger } = opts;

  async function runLine(msg: ChatMessage, ctx: ReturnType<typeof buildCtx>, requestId: string): Promise<Reply> {
    const parsed = parseLine(msg.text, allCommands());
    if (!parsed) return text(ctx.t('errors:unknown_command', { text: msg.text.trim().slice(0, 40) }));
    return run(parsed.command.id, parsed.input, ctx, msg.source, requestId).then((r) => r.reply);
  }

  async function run(commandId: string, input: Record<string, unknown>, ctx: ReturnType<typeof buildCtx>, source: Source, requestId: string): Promise<{ reply: Reply; ok: boolean }> {
    const userid = ctx.actor.user.userid;
    const started = performance.now();
    try {
      const spec = commandById(commandId);
      if (!spec) throw new Error(`unknown command ${commandId}`);
      const out = await runCommand(spec, input, ctx);
      logger.info({ requestId, source, userid, command: commandId, ms: Math.round(performance.now() - started) }, 'chat command');
      return { reply: renderResult(commandId, out, ctx.t), ok: true };
    } catch (err) {
      if (err instanceof DomainError || err instanceof ValidationError) {
        logger.info({ requestId, source, userid, command: commandId, code: err.code }, 'chat command refused');
      } else {
        logger.error({ err, requestId, source, userid, command: commandId }, 'chat command failed');
      }
      return { reply: renderError(err, ctx.t, requestId), ok: false };
    }
  }

  async function turn(msg: ChatMessage): Promise<ChatTurn> {
    const requestId = msg.requestId ?? randomUUID();
    const user = await deps.users.byUserid(msg.userid);
    if (!user || !user.active) {
      logger.info({ requestId, source: msg.source, userid: msg.userid }, 'chat from unknown user refused');
      return { reply: text(translatorFor(opts.defaultLocale)('errors:unknown_user', { userid: msg.userid })) };
    }
    const ctx = buildCtx(user, msg.source, deps, { requestId });
    const prompt = await findPendingPrompt(msg.source, user.userid);
    if (!prompt) return { reply: await runLine(msg, ctx, requestId) };

    const line = msg.text.trim();
    const about = { action: prompt.label, subject: prompt.subject };
    const parsed = parseLine(line, allCommands());
    const isCommand = !!parsed && isStrictCommand(line, parsed.command);
    const now = deps.clock.now();
    if (prompt.expiresAt.getTime() <= now.getTime()) {
      await dropPendingPrompt(msg.source, user.userid, prompt.promptId);
      if (isCommand || isCancel(line)) return { reply: isCommand ? await runLine(msg, ctx, requestId) : text(ctx.t('bot:card_comment.cancelled', about)) };
      return { reply: text(ctx.t('bot:card_comment.expired', about)) };
    }
    if (isCancel(line)) {
      await dropPendingPrompt(msg.source, user.userid, prompt.promptId);
      return { reply: text(ctx.t('bot:card_comment.cancelled', about)) };
    }
    if (!line) return { reply: text(ctx.t('bot:card_comment.ask', { ...about, minutes: Math.max(1, Math.ceil((prompt.expiresAt.getTime() - now.getTime()) / 60_000)) })) };
    if (isCommand) {
      // Another command instead of the comment: it runs, and the question is dropped (a later, unrelated
      // message must not become the comment by surprise).
      await dropPendingPrompt(msg.source, user.userid, prompt.promptId);
      const reply = await runLine(msg, ctx, requestId);
      const note = ctx.t('bot:card_comment.dropped', about);
      return { reply: { kind: 'several', replies: [reply, text(note)], fallback: `${replyText(reply)}\n${note}` } };
    }
    // The comment. Taken once: a unique insert, so a message delivered twice cannot run the command twice.
    if (!(await claimPendingPrompt(prompt.promptId, now))) {
      await dropPendingPrompt(msg.source, user.userid, prompt.promptId);
      return { reply: text(ctx.t('bot:card_comment.already_answered', about)) };
    }
    await dropPendingPrompt(msg.source, user.userid, prompt.promptId);
    const { reply, ok } = await run(prompt.command, { ...prompt.input, [prompt.field]: line }, ctx, msg.source, requestId);
    return { reply, answered: { prompt, comment: line, ok, by: { userid: user.userid, name: user.name, locale: ctx.lng } } };
  }

  return {
    turn,
    async handle(msg: ChatMessage): Promise<Reply> {
      return (await turn(msg)).reply;
    },
  };
}

export type ChatEngine = ReturnType<typeof createChatEngine>;
