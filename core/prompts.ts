import type { DialogueState } from './dialogue/dialogue.types';

/**
 * A question the bot asked one person on one channel and waits for them to answer in their next message:
 * the field a command `needs` (the reason a reject or return takes), asked when a button is pressed or the
 * command typed without it (bot/chat-engine.ts). One per user and channel, so a new question replaces an
 * older one; `promptId` names this question, and its answer is taken once.
 */
export interface PendingPrompt {
  promptId: string;
  userid: string;
  channel: string;
  /** The command the answer completes, its input so far, and the input field the answer fills. */
  command: string;
  input: Record<string, unknown>;
  field: string;
  /** What was chosen (the button's text or the command word, e.g. 退回) and about what (the card's title), for the messages. */
  label: string;
  subject: string;
  /** The channel's own data, for finishing what started the question (e.g. the WeCom card to update). */
  context: Record<string, unknown>;
  createdAt: Date;
  expiresAt: Date;
  /**
   * Set when the question is a step of a guided filing (core/dialogue): then `input` holds the answers so far
   * and `field` the one asked. Absent for a single needed field.
   */
  dialogue?: DialogueState;
}

export type NewPendingPrompt = Omit<PendingPrompt, 'promptId' | 'createdAt' | 'expiresAt'>;

/** What one step of a dialogue changes in its stored question. */
export type DialogueMove = Pick<PendingPrompt, 'input' | 'field' | 'subject' | 'expiresAt'> & { dialogue: DialogueState };

/** Where pending questions live (MongoDB: any instance can take the answer). */
export interface PromptStore {
  /** Records the question, replacing any earlier one of this person on this channel. */
  save(p: NewPendingPrompt, now: Date, ttlMs: number): Promise<PendingPrompt>;
  find(channel: string, userid: string): Promise<PendingPrompt | null>;
  /** True for the one caller that answers this prompt; false when it was already answered. */
  claim(promptId: string, now: Date): Promise<boolean>;
  /** Removes this prompt (not a newer one that replaced it meanwhile). */
  drop(channel: string, userid: string, promptId: string): Promise<void>;
  /**
   * Moves a dialogue on, if it is still this prompt at step counter `seq` (one single-document write guarded
   * by both); false when another message moved it first, or it was replaced or dropped.
   */
  advance(channel: string, userid: string, promptId: string, seq: number, move: DialogueMove): Promise<boolean>;
}
