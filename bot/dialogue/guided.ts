import type { Ctx, Source } from '../../core/commands/command';
import { commandById } from '../../core/commands/registry';
import { commandInput, fieldOf, fieldProblems, fieldToFix, isNo, isYes, nextStep, readAnswer, startAnswers, wantsDialogue, type Answers } from '../../core/dialogue/dialogue.flow';
import { dialogueSpecOf } from '../../core/dialogue/dialogue.specs';
import type { DialogueSpec, DialogueState, SiteChoice } from '../../core/dialogue/dialogue.types';
import { checkedSite, siteChoicesFor } from '../../core/dialogue/site-choices';
import { hasRole } from '../../core/actor';
import { DomainError, ValidationError, type FieldProblem } from '../../core/errors';
import type { Deps } from '../../core/ports';
import type { PendingPrompt } from '../../core/prompts';
import { describeError, describeProblem } from '../../core/presenters/error.presenter';
import type { Logger } from '../../lib/logger';
import type { ParsedLine } from '../parser';
import { isCancel, PROMPT_TTL_MS } from '../pending-comment';
import { replyText, text, type Reply } from '../reply';
import { actionOf, answerText, labelOf, optionLabels, question, siteText, summary } from './dialogue-text';

/** A message as the dialogue sees it: who, on which channel, and the channel's id of the message. */
export interface DialogueMessage {
  text: string;
  source: Source;
  /** The channel's id of this message (WeCom's dedup key, Wechaty's message id): a re-run answers it the same. */
  messageId?: string;
}

export interface GuidedFilingOptions {
  deps: Deps;
  logger: Logger;
  /** Runs a command as the engine does (validation, role gate, handler, rendering, logging). */
  run(commandId: string, input: Record<string, unknown>, ctx: Ctx): Promise<{ reply: Reply; ok: boolean; error?: unknown }>;
  /** Handles a typed line as a new command (another command typed while a dialogue waits). */
  runLine(msg: DialogueMessage, ctx: Ctx): Promise<Reply>;
  /** Whether a line, typed while a question waits, is clearly a command (bot/pending-comment.ts). */
  isCommand(line: string): boolean;
}

/**
 * Guided filing (issue #16): a filing command typed without its fields — `临时下线`, `发通知` — asks for them
 * one at a time (the site as a numbered choice among the person's own sites, dates in words, the reason),
 * shows everything back with dates in full and asks 是/否 before anything is filed. 取消/cancel ends it at
 * any step, and it lapses 10 minutes after the last question.
 *
 * The dialogue is the engine's pending question (the `prompts` port, one per person and channel, in
 * MongoDB), so any instance takes the next message. Each step is one write guarded by the prompt id and a
 * step counter (`seq`), and remembers the id and answer of the message that moved it: a message handled
 * twice — re-run after a crash, or by two instances — moves the dialogue once and gets the same answer.
 */
export function createGuidedFiling(opts: GuidedFilingOptions) {
  const { deps, logger } = opts;
  const ttl = PROMPT_TTL_MS;
  const minutes = Math.round(ttl / 60_000);

  /** The question of the step the answers have reached (or the summary), and what to store for it. */
  async function nextQuestion(spec: DialogueSpec, answers: Answers, ctx: Ctx): Promise<{ say: string; step: number; field: string; choices?: SiteChoice[] }> {
    const step = nextStep(spec, answers);
    if (step >= spec.steps.length) return { say: summary(spec, answers, { siteName: String(answers._siteName ?? ''), t: ctx.t, lng: ctx.lng }), step, field: '' };
    const s = spec.steps[step]!;
    if (s.kind !== 'site') return { say: question(s, { answers, t: ctx.t }), step, field: fieldOf(s, answers) ?? s.field };
    const { choices, more } = await siteChoicesFor(ctx, spec);
    return { say: question(s, { answers, choices, more, t: ctx.t }), step, field: s.field, choices };
  }

  /**
   * A typed filing command: becomes a dialogue when it lacks fields or gave a date in words (which is echoed
   * back before filing); undefined when it runs as a one-line command, unchanged.
   */
  async function start(parsed: ParsedLine, msg: DialogueMessage, ctx: Ctx): Promise<Reply | undefined> {
    const spec = dialogueSpecOf(parsed.command.id);
    if (!spec) return undefined;
    const now = deps.clock.now();
    const { answers, worded } = startAnswers(spec, parsed.input, now);
    if (!wantsDialogue(parsed.command.input, answers, worded)) return undefined;
    // The role gate first: nobody is walked through questions for a command they may not run.
    const refused = roleRefusal(spec, ctx);
    if (refused) return refused;
    // What the line already gave is checked as its answer would be; a wrong one is asked again.
    const notes: string[] = [];
    for (const step of spec.steps) {
      const field = fieldOf(step, answers);
      if (!field || answers[field] === undefined) continue;
      // Typed words for a choice (`reason=不可抗力`, `ack=是`) are kept as the value they name.
      if ((step.kind === 'enum' || step.kind === 'yesno') && typeof answers[field] === 'string') {
        const read = readAnswer(step, String(answers[field]), { now, answers, labels: optionLabels(step, ctx.t) });
        if (read.ok) answers[field] = read.value;
      }
      const checked = await check(spec, step.kind, field, answers, ctx, answers[field]);
      if (checked.problem !== undefined) {
        notes.push(checked.problem);
        delete answers[field];
        continue;
      }
      answers[field] = checked.value;
      if (step.kind === 'date') notes.push(ctx.t('bot:dialogue.noted', { label: labelOf(field, ctx.t), value: answerText(step, answers[field], { siteName: '', t: ctx.t, lng: ctx.lng }) }));
    }
    const q = await nextQuestion(spec, answers, ctx);
    if (spec.steps[q.step]?.kind === 'site' && !q.choices?.length) {
      return text(ctx.t('bot:dialogue.no_sites', { action: actionOf(spec.command, ctx.t) }));
    }
    const state: DialogueState = { step: q.step, seq: 0, status: 'open', ...(q.choices ? { choices: q.choices } : {}) };
    const say = [ctx.t('bot:dialogue.start', { action: actionOf(spec.command, ctx.t), minutes }), ...notes, q.say].join('\n');
    await deps.prompts.save(
      { userid: ctx.actor.user.userid, channel: msg.source, command: spec.command, input: answers, field: q.field, label: actionOf(spec.command, ctx.t), subject: String(answers._siteName ?? ''), context: {}, dialogue: { ...state, ...(msg.messageId ? { lastMessageId: msg.messageId, lastReply: say } : {}) } },
      now,
      ttl,
    );
    logger.info({ source: msg.source, userid: ctx.actor.user.userid, command: spec.command, step: q.step }, 'guided filing started');
    return text(say);
  }

  /**
   * A line from someone with a pending question: when the question is a dialogue's, the dialogue answers it
   * (undefined otherwise, and for a finished dialogue, whose record only answers a re-delivered message).
   */
  async function onLine(msg: DialogueMessage, ctx: Ctx, prompt: PendingPrompt | null): Promise<Reply | undefined> {
    const d = prompt?.dialogue;
    if (!prompt || !d) return undefined;
    // The same message again (a re-run, a second instance after the first finished): the same answer.
    if (msg.messageId && d.lastMessageId === msg.messageId) return text(d.lastReply || ctx.t('bot:dialogue.already_taken'));
    if (d.status === 'done') return undefined;
    const spec = dialogueSpecOf(prompt.command);
    const userid = ctx.actor.user.userid;
    const drop = () => deps.prompts.drop(msg.source, userid, prompt.promptId);
    const about = { action: prompt.label };
    if (!spec) {
      await drop();
      return undefined;
    }
    const line = msg.text.trim();
    const now = deps.clock.now();
    if (prompt.expiresAt.getTime() <= now.getTime()) {
      await drop();
      if (opts.isCommand(line)) return opts.runLine(msg, ctx);
      return text(isCancel(line) ? ctx.t('bot:dialogue.cancelled', about) : ctx.t('bot:dialogue.expired', { ...about, minutes }));
    }
    if (isCancel(line)) {
      await drop();
      logger.info({ source: msg.source, userid, command: spec.command }, 'guided filing cancelled');
      return text(ctx.t('bot:dialogue.cancelled', about));
    }
    if (opts.isCommand(line)) {
      // Another command instead of an answer: it runs, and the dialogue is dropped (and the person told so).
      await drop();
      const reply = await opts.runLine(msg, ctx);
      const note = ctx.t('bot:dialogue.dropped', about);
      return { kind: 'several', replies: [reply, text(note)], fallback: `${replyText(reply)}\n${note}` };
    }
    const answers: Answers = { ...prompt.input };
    const current = await nextQuestion(spec, answers, ctx);
    // A bad answer asks the same step again, with why; nothing answered before is lost.
    const again = (problem: string | undefined) => text([problem, current.say].filter(Boolean).join('\n'));
    if (!line) return again(undefined);

    if (d.step >= spec.steps.length) {
      if (isNo(line)) {
        await drop();
        return text(ctx.t('bot:dialogue.cancelled', about));
      }
      if (!isYes(line)) return text(`${ctx.t('bot:dialogue.yes_or_no')}\n${current.say}`);
      return file(spec, prompt, d, msg, ctx, now);
    }

    const step = spec.steps[d.step]!;
    const field = fieldOf(step, answers) ?? step.field;
    const read = readAnswer(step, line, { now, answers, choices: d.choices ?? [], labels: optionLabels(step, ctx.t) });
    if (!read.ok) return again(describeProblem(read.problem, ctx.t));
    const checked = await check(spec, step.kind, field, answers, ctx, read.value);
    if (checked.problem !== undefined) return again(checked.problem);
    answers[field] = checked.value;
    // A date is always said back in full, with its weekday, as soon as it is read.
    const echo = step.kind === 'date' ? ctx.t('bot:dialogue.noted', { label: labelOf(field, ctx.t), value: answerText(step, checked.value, { siteName: '', t: ctx.t, lng: ctx.lng }) }) : undefined;
    const next = await nextQuestion(spec, answers, ctx);
    const say = [echo, next.say].filter(Boolean).join('\n');
    const moved = await deps.prompts.advance(msg.source, userid, prompt.promptId, d.seq, {
      input: answers,
      field: next.field,
      subject: String(answers._siteName ?? ''),
      expiresAt: new Date(now.getTime() + ttl),
      dialogue: { step: next.step, seq: d.seq + 1, status: 'open', ...(next.choices ? { choices: next.choices } : {}), ...(msg.messageId ? { lastMessageId: msg.messageId } : {}), lastReply: say },
    });
    if (!moved) return lost(msg, ctx);
    return text(say);
  }

  /**
   * A check of one answer before it is kept: the command's own zod input for that field (its error texts), and
   * for a site, that the person may file for it.
   */
  async function check(spec: DialogueSpec, kind: string, field: string, answers: Answers, ctx: Ctx, value: unknown): Promise<{ problem?: string; value: unknown }> {
    const command = commandById(spec.command);
    if (!command) return { value };
    if (kind === 'site') {
      try {
        // Kept as the site's own ref (its domain) with its name for the summary.
        const site = await checkedSite(ctx, spec, String(value));
        answers._siteName = siteText(site);
        answers._siteKind = site.kind;
        value = site.ref;
      } catch (err) {
        if (err instanceof DomainError) return { problem: describeError(err, ctx.t, ctx.requestId).message, value };
        throw err;
      }
    }
    const problems: FieldProblem[] = fieldProblems(command.input, { ...answers, [field]: value }, field);
    return problems.length ? { problem: problems.map((p) => describeProblem(p, ctx.t)).join('\n'), value } : { value };
  }

  /** 是 at the summary: claimed by one write (a second copy of the 是 files nothing), then filed. */
  async function file(spec: DialogueSpec, prompt: PendingPrompt, d: DialogueState, msg: DialogueMessage, ctx: Ctx, now: Date): Promise<Reply> {
    const userid = ctx.actor.user.userid;
    const expiresAt = new Date(now.getTime() + ttl);
    const base = { input: prompt.input, field: '', subject: prompt.subject, expiresAt };
    const claimed = await deps.prompts.advance(msg.source, userid, prompt.promptId, d.seq, {
      ...base,
      dialogue: { step: d.step, seq: d.seq + 1, status: 'done', ...(msg.messageId ? { lastMessageId: msg.messageId } : {}), lastReply: '' },
    });
    if (!claimed) return lost(msg, ctx);
    const { reply, ok, error } = await opts.run(spec.command, commandInput(prompt.input), ctx);
    logger.info({ source: msg.source, userid, command: spec.command, ok }, 'guided filing confirmed');
    const messageId = msg.messageId ? { lastMessageId: msg.messageId } : {};
    // Refused for something one answer fixes (an end more than 30 days after the start): that question again,
    // with the refusal, keeping every other answer.
    const fix = !ok && error instanceof DomainError ? fieldToFix(spec, error.code, refusedFields(error)) : undefined;
    if (fix) {
      const answers: Answers = { ...prompt.input };
      delete answers[fix];
      const next = await nextQuestion(spec, answers, ctx);
      const say = `${replyText(reply)}\n${next.say}`;
      await deps.prompts.advance(msg.source, userid, prompt.promptId, d.seq + 1, {
        ...base,
        input: answers,
        field: next.field,
        dialogue: { step: next.step, seq: d.seq + 2, status: 'open', ...(next.choices ? { choices: next.choices } : {}), ...messageId, lastReply: say },
      });
      return text(say);
    }
    // Kept, finished, until it lapses: a re-delivered 是 is answered with this same reply.
    await deps.prompts.advance(msg.source, userid, prompt.promptId, d.seq + 1, {
      ...base,
      dialogue: { step: d.step, seq: d.seq + 2, status: 'done', ...messageId, lastReply: replyText(reply) },
    });
    return reply;
  }

  /** Another copy of this message (or another message) moved the dialogue first: say where it is now. */
  async function lost(msg: DialogueMessage, ctx: Ctx): Promise<Reply> {
    const now = await deps.prompts.find(msg.source, ctx.actor.user.userid);
    const d = now?.dialogue;
    if (d && msg.messageId && d.lastMessageId === msg.messageId && d.lastReply) return text(d.lastReply);
    if (d && d.status === 'open' && d.lastReply) return text(d.lastReply);
    return text(ctx.t('bot:dialogue.already_taken'));
  }

  return { start, onLine };
}

export type GuidedFiling = ReturnType<typeof createGuidedFiling>;

/** The fields a refusal names: a validation error's problems, or a domain error's `field` param. */
function refusedFields(err: DomainError): string[] {
  if (err instanceof ValidationError) return err.problems.map((p) => p.field.split('.')[0]!);
  return typeof err.params.field === 'string' ? [err.params.field] : [];
}

/** A role gate refusal before any question, in the words the command itself would refuse with. */
function roleRefusal(spec: DialogueSpec, ctx: Ctx): Reply | undefined {
  const command = commandById(spec.command);
  if (!command || command.roles.length === 0 || command.roles.some((r) => hasRole(ctx.actor, r))) return undefined;
  return text(ctx.t('bot:error_prefix') + describeError(new DomainError('forbidden_role', { roles: [...command.roles] }, 403), ctx.t, ctx.requestId).message);
}
