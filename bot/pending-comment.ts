import type { AnyCommand, Source } from '../core/commands/command';
import type { Translate } from '../core/i18n';
import type { PendingPrompt, PromptStore } from '../core/prompts';

export type { PendingPrompt } from '../core/prompts';

/**
 * Cards stored before command specs declared `needs` marked a button whose command needs a comment with
 * `[ASK_FOR]: '<field>'` in its input. The spec decides now (bot/chat-engine.ts); the marker is only removed.
 */
export const ASK_FOR = '_askFor';

/** How long the bot waits for the comment; after that the next message is a message like any other. */
export const PROMPT_TTL_MS = 10 * 60_000;

/** The button's input without the marker: what the command receives besides the comment. */
export function withoutAskFor(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([k]) => k !== ASK_FOR));
}

/** What a channel asks for: the stored prompt's own fields (documented there), on a chat channel. */
export type CommentRequest = Pick<PendingPrompt, 'userid' | 'command' | 'input' | 'field' | 'label' | 'subject' | 'context'> & { channel: Source };

/**
 * Records that the bot waits for `userid`'s comment on `channel` (replacing an earlier question) and returns
 * the localized question to send them. The button's input is stored without its ask-for marker.
 */
export async function askForComment(store: PromptStore, req: CommentRequest, t: Translate, now: Date, ttlMs = PROMPT_TTL_MS): Promise<{ prompt: PendingPrompt; question: string }> {
  const prompt = await store.save({ ...req, input: withoutAskFor(req.input) }, now, ttlMs);
  return { prompt, question: t('bot:card_comment.ask', { action: req.label, subject: req.subject, minutes: Math.round(ttlMs / 60_000) }) };
}

/** 取消 / cancel (any case, with a leading slash or trailing full stop) drops the question. */
export function isCancel(line: string): boolean {
  return /^[/／]?(取消|cancel)[。.!！]?$/i.test(line.replace(/\u3000/g, ' ').trim());
}

/**
 * Whether a line, typed while a comment is awaited, is meant as a command rather than as the comment. The
 * parser lets a Chinese command word run into its argument (`同意R2027-0001`), which would turn comments
 * such as “申请材料不全” into commands; here a command word must stand alone (end of line, space or colon
 * after it), or the line must start with the command prefix `/`.
 */
export function isStrictCommand(line: string, command: AnyCommand): boolean {
  const text = line.replace(/\u3000/g, ' ').trim();
  if (/^[/／]/.test(text)) return true;
  const lower = text.toLowerCase();
  return Object.values(command.chat?.words ?? {})
    .flat()
    .some((word) => {
      const w = word.toLowerCase();
      return lower.startsWith(w) && (lower.length === w.length || /[\s:：]/.test(lower[w.length] ?? ''));
    });
}
