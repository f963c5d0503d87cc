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
import type { PendingPrompt } from '../core/prompts';
import { parseLine } from './parser';
import { unexpectedFields, unexpectedFieldsAnswer, unknownCommandAnswer } from './did-you-mean';
import { askForComment, isCancel, isStrictCommand, withoutAskFor } from './pending-comment';
import { createGuidedFiling } from './dialogue/guided';
import { hasRenderer, renderError, renderResult } from './render/index';
import { replyText, text, type Reply } from './reply';

export interface ChatMessage {
  /** The registry userid the channel resolved the sender to. */
  userid: string;
  text: string;
  source: Source;
  requestId?: string;
  /** The channel's id of this message, when it has one: a re-run of it answers a guided filing once (bot/dialogue). */
  messageId?: string;
  /** Where a long command's progress lines go while it runs (the shell); other channels answer once. */
  progress?: (line: string) => void;
}

export interface ChatEngineOptions {
  deps: Deps;
  logger: Logger;
  /** Used for people the registry does not know (they have no locale of their own). */
  defaultLocale: Locale;
}

/** A message that answered a pending prompt (bot/pending-comment.ts): what the channel needs to finish it. */
export interface AnsweredPrompt {
  prompt: PendingPrompt;
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

/** A button pressed on a card (or any other one-tap action): the command and input it carries, and about what. */
export interface ButtonPress {
  userid: string;
  source: Source;
  command: string;
  input: Record<string, unknown>;
  /** The button's text (e.g. 退回) and the card's title: what a question for a needed field names. */
  label: string;
  subject: string;
  /** The channel's own data, kept with a question and handed back with its answer (`AnsweredPrompt.prompt.context`). */
  context?: Record<string, unknown>;
  requestId?: string;
}

/** What a press did: ran the command (`ok` whether it succeeded), or asked for a field the command needs. */
export interface PressResult {
  reply: Reply;
  ok: boolean;
  asked: boolean;
  /** Who pressed, for "handled by" on the card; absent for people the registry does not know. */
  by?: { userid: string; name: string; locale: Locale };
}

/**
 * The one way into commands for every channel (shell, WeCom, Wechaty): a typed line (`turn`) or a pressed
 * button (`press`) → who is it → which command → run it → render the answer in the sender's language.
 * Unknown people get a polite refusal and nothing else.
 *
 * A command whose spec `needs` a field (the reason of a reject or return) and comes without it — typed or
 * pressed — is not run: the engine asks for the field and remembers the question (the `prompts` port). The
 * person's next line is the answer — unless it is 取消/cancel (drops the question) or clearly a command
 * (runs, and drops the question) — and completes the command, which then runs exactly as if typed.
 *
 * A filing command typed without its fields becomes a guided dialogue (bot/dialogue/guided.ts), kept as the
 * same pending question: one mechanism for "the engine waits for this person's next line".
 */
export function createChatEngine(opts: ChatEngineOptions) {
  const { deps, logger } = opts;
  // Guided filing (bot/dialogue): a filing command without its fields asks for them; shares the prompts port.
  const guided = createGuidedFiling({
    deps,
    logger,
    run: (commandId, input, ctx) => run(commandId, input, ctx, ctx.source, ctx.requestId),
    runLine: (m, ctx) => runLine({ userid: ctx.actor.user.userid, text: m.text, source: m.source }, ctx, ctx.requestId),
    isCommand: (line) => {
      const parsed = parseLine(line, allCommands());
      return !!parsed && isStrictCommand(line, parsed.command);
    },
  });

  async function runLine(msg: ChatMessage, ctx: ReturnType<typeof buildCtx>, requestId: string): Promise<Reply> {
    const parsed = parseLine(msg.text, allCommands());
    if (!parsed) return text(unknownCommandAnswer(msg.text, allCommands(), ctx.actor, ctx.lng, ctx.t));
    // A known word with fields it does not take (`通知 title=…`) is pointed out, not run without them.
    const extra = unexpectedFields(parsed);
    if (extra.length) return text(unexpectedFieldsAnswer(parsed, extra, allCommands(), ctx.actor, ctx.lng, ctx.t));
    const guidedReply = await guided.start(parsed, msg, ctx);
    if (guidedReply) return guidedReply;
    const field = missingField(parsed.command.id, parsed.input);
    if (field) {
      const label = wordOf(parsed.command.id, ctx.lng);
      return (await ask({ userid: ctx.actor.user.userid, source: msg.source, command: parsed.command.id, input: parsed.input, label, subject: subjectOf(parsed.input) }, field, ctx)).reply;
    }
    return run(parsed.command.id, parsed.input, ctx, msg.source, requestId).then((r) => r.reply);
  }

  /**
   * The field a command needs and was not given, when the rest of its input is valid (a bad id is refused at
   * once rather than after the person has typed a reason).
   */
  function missingField(commandId: string, input: Record<string, unknown>): string | undefined {
    const spec = commandById(commandId);
    const field = spec?.needs?.field;
    if (!spec || !field) return undefined;
    const given = input[field];
    if (typeof given === 'string' && given.trim()) return undefined;
    return spec.input.safeParse({ ...input, [field]: '—' }).success ? field : undefined;
  }

  async function ask(p: Omit<ButtonPress, 'requestId'>, field: string, ctx: ReturnType<typeof buildCtx>): Promise<{ reply: Reply }> {
    const { question } = await askForComment(
      deps.prompts,
      { userid: p.userid, channel: p.source, command: p.command, input: p.input, field, label: p.label, subject: p.subject, context: p.context ?? {} },
      ctx.t,
      deps.clock.now(),
    );
    logger.info({ source: p.source, userid: p.userid, command: p.command, field }, 'chat asks for a needed field');
    return { reply: text(question) };
  }

  async function run(commandId: string, input: Record<string, unknown>, ctx: ReturnType<typeof buildCtx>, source: Source, requestId: string): Promise<{ reply: Reply; ok: boolean; error?: unknown }> {
    const userid = ctx.actor.user.userid;
    const started = performance.now();
    try {
      const spec = commandById(commandId);
      if (!spec) throw new Error(`unknown command ${commandId}`);
      const out = await runCommand(spec, input, ctx);
      logger.info({ requestId, source, userid, command: commandId, ms: Math.round(performance.now() - started) }, 'chat command');
      return { reply: hasRenderer(commandId) ? renderResult(commandId, out, ctx.t) : text(ctx.t('bot:wecom_card_done_generic')), ok: true };
    } catch (err) {
      if (err instanceof DomainError || err instanceof ValidationError) {
        logger.info({ requestId, source, userid, command: commandId, code: err.code }, 'chat command refused');
      } else {
        logger.error({ err, requestId, source, userid, command: commandId }, 'chat command failed');
      }
      return { reply: renderError(err, ctx.t, requestId), ok: false, error: err };
    }
  }

  async function turn(msg: ChatMessage): Promise<ChatTurn> {
    const requestId = msg.requestId ?? randomUUID();
    const user = await deps.users.byUserid(msg.userid);
    if (!user || !user.active) {
      logger.info({ requestId, source: msg.source, userid: msg.userid }, 'chat from unknown user refused');
      return { reply: text(translatorFor(opts.defaultLocale)('errors:unknown_user', { userid: msg.userid })) };
    }
    const ctx = buildCtx(user, msg.source, deps, { requestId, ...(msg.progress ? { progress: msg.progress } : {}) });
    const found = await deps.prompts.find(msg.source, user.userid);
    const guidedReply = await guided.onLine(msg, ctx, found);
    if (guidedReply) return { reply: guidedReply };
    const prompt = found?.dialogue ? null : found;
    if (!prompt) return { reply: await runLine(msg, ctx, requestId) };

    const line = msg.text.trim();
    const about = { action: prompt.label, subject: prompt.subject };
    const parsed = parseLine(line, allCommands());
    const isCommand = !!parsed && isStrictCommand(line, parsed.command);
    const now = deps.clock.now();
    if (prompt.expiresAt.getTime() <= now.getTime()) {
      await deps.prompts.drop(msg.source, user.userid, prompt.promptId);
      if (isCommand || isCancel(line)) return { reply: isCommand ? await runLine(msg, ctx, requestId) : text(ctx.t('bot:card_comment.cancelled', about)) };
      return { reply: text(ctx.t('bot:card_comment.expired', about)) };
    }
    if (isCancel(line)) {
      await deps.prompts.drop(msg.source, user.userid, prompt.promptId);
      return { reply: text(ctx.t('bot:card_comment.cancelled', about)) };
    }
    if (!line) return { reply: text(ctx.t('bot:card_comment.ask', { ...about, minutes: Math.max(1, Math.ceil((prompt.expiresAt.getTime() - now.getTime()) / 60_000)) })) };
    if (isCommand) {
      // Another command instead of the comment: it runs, and the question is dropped (a later, unrelated
      // message must not become the comment by surprise).
      await deps.prompts.drop(msg.source, user.userid, prompt.promptId);
      const reply = await runLine(msg, ctx, requestId);
      const note = ctx.t('bot:card_comment.dropped', about);
      return { reply: { kind: 'several', replies: [reply, text(note)], fallback: `${replyText(reply)}\n${note}` } };
    }
    // The comment. Taken once: a unique insert, so a message delivered twice cannot run the command twice.
    if (!(await deps.prompts.claim(prompt.promptId, now))) {
      await deps.prompts.drop(msg.source, user.userid, prompt.promptId);
      return { reply: text(ctx.t('bot:card_comment.already_answered', about)) };
    }
    await deps.prompts.drop(msg.source, user.userid, prompt.promptId);
    const { reply, ok } = await run(prompt.command, { ...prompt.input, [prompt.field]: line }, ctx, msg.source, requestId);
    return { reply, answered: { prompt, comment: line, ok, by: { userid: user.userid, name: user.name, locale: ctx.lng } } };
  }

  /**
   * A pressed button: runs its command as if typed, or, when the command needs a field the button does not
   * carry (reject, return), asks for it; the answer arrives as the person's next line (`turn`).
   */
  async function press(p: ButtonPress): Promise<PressResult> {
    const requestId = p.requestId ?? randomUUID();
    const user = await deps.users.byUserid(p.userid);
    if (!user || !user.active) {
      logger.info({ requestId, source: p.source, userid: p.userid }, 'button from unknown user refused');
      return { reply: text(translatorFor(opts.defaultLocale)('errors:unknown_user', { userid: p.userid })), ok: false, asked: false };
    }
    const ctx = buildCtx(user, p.source, deps, { requestId });
    const by = { userid: user.userid, name: user.name, locale: ctx.lng };
    // Cards stored before `needs` existed mark such buttons with `_askFor`; the spec decides now.
    const input = withoutAskFor(p.input);
    const field = missingField(p.command, input);
    if (field) return { ...(await ask({ ...p, input }, field, ctx)), ok: false, asked: true, by };
    return { ...(await run(p.command, input, ctx, p.source, requestId)), asked: false, by };
  }

  return {
    turn,
    press,
    /** Whether pressing this button would ask for a field before anything runs. */
    asks(command: string, input: Record<string, unknown>): boolean {
      return missingField(command, withoutAskFor(input)) !== undefined;
    },
    async handle(msg: ChatMessage): Promise<Reply> {
      return (await turn(msg)).reply;
    },
  };
}

export type ChatEngine = ReturnType<typeof createChatEngine>;

/** The command word a person of this locale would type, for messages about the command. */
function wordOf(commandId: string, lng: Locale): string {
  const words = commandById(commandId)?.chat?.words;
  return words?.[lng]?.[0] ?? words?.['zh-CN']?.[0] ?? commandId;
}

/** What a command is about, for a question: the request or report it names. */
function subjectOf(input: Record<string, unknown>): string {
  const ref = input.id ?? input.ref;
  return typeof ref === 'string' ? ref : '';
}
