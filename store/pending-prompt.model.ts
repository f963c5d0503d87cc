import { randomUUID } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';

/**
 * A question the bot asked one person on one channel and waits for them to answer in their next message —
 * today the reason a card's reject/return button needs (bot/pending-comment.ts). One per user and channel
 * (`_id`), so a new question replaces an older one; `promptId` names this question, and its answer is taken
 * by a unique insert into `pending_prompt_claims` (atomic on FerretDB v1 too), so a message delivered twice
 * cannot answer it twice.
 */
export interface PendingPromptDoc {
  /** `<channel>:<userid>`. */
  _id: string;
  promptId: string;
  userid: string;
  channel: string;
  /** The command the answer completes, its input so far, and the input field the answer fills. */
  command: string;
  input: Record<string, unknown>;
  field: string;
  /** What was chosen (the button's text, e.g. 退回) and about what (the card's title), for the messages. */
  label: string;
  subject: string;
  /** The channel's own data, for finishing what started the question (e.g. the WeCom card to update). */
  context: Record<string, unknown>;
  createdAt: Date;
  expiresAt: Date;
}

export const PendingPromptModel = mongoose.model<PendingPromptDoc>(
  'PendingPrompt',
  new Schema<PendingPromptDoc>(
    {
      _id: String,
      promptId: { type: String, required: true },
      userid: { type: String, required: true },
      channel: { type: String, required: true },
      command: { type: String, required: true },
      input: { type: Schema.Types.Mixed, default: {} },
      field: { type: String, required: true },
      label: { type: String, default: '' },
      subject: { type: String, default: '' },
      context: { type: Schema.Types.Mixed, default: {} },
      createdAt: { type: Date, required: true },
      expiresAt: { type: Date, required: true },
    },
    { versionKey: false, minimize: false },
  ),
  'pending_prompts',
);

/** `_id` is the prompt's `promptId`: whoever inserts it first answers the prompt. */
export const PendingPromptClaimModel = mongoose.model<{ _id: string; at: Date }>(
  'PendingPromptClaim',
  new Schema<{ _id: string; at: Date }>({ _id: String, at: { type: Date, required: true } }, { versionKey: false }),
  'pending_prompt_claims',
);

const keyOf = (channel: string, userid: string) => `${channel}:${userid}`;

export type NewPendingPrompt = Omit<PendingPromptDoc, '_id' | 'promptId' | 'createdAt' | 'expiresAt'>;

/** Records the question, replacing any earlier one of this person on this channel. */
export async function savePendingPrompt(p: NewPendingPrompt, now: Date, ttlMs: number): Promise<PendingPromptDoc> {
  const doc: PendingPromptDoc = { ...p, _id: keyOf(p.channel, p.userid), promptId: randomUUID(), createdAt: now, expiresAt: new Date(now.getTime() + ttlMs) };
  for (let attempt = 0; ; attempt++) {
    try {
      await PendingPromptModel.replaceOne({ _id: doc._id }, doc, { upsert: true });
      return doc;
    } catch (err) {
      // Two upserts of one new _id at once (two quick clicks): one inserted; replacing it now works.
      if (!isDuplicateKey(err) || attempt > 0) throw err;
    }
  }
}

export async function findPendingPrompt(channel: string, userid: string): Promise<PendingPromptDoc | null> {
  return PendingPromptModel.findById(keyOf(channel, userid)).lean<PendingPromptDoc>();
}

/** True for the one caller that answers this prompt; false when it was already answered. */
export async function claimPendingPrompt(promptId: string, now: Date): Promise<boolean> {
  try {
    await PendingPromptClaimModel.create({ _id: promptId, at: now });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** Removes this prompt (not a newer one that replaced it meanwhile). */
export async function dropPendingPrompt(channel: string, userid: string, promptId: string): Promise<void> {
  await PendingPromptModel.deleteOne({ _id: keyOf(channel, userid), promptId });
}

/**
 * For jobs/prune.job.ts (FerretDB v1 has no TTL indexes): prompts expired before `before`, and claims made
 * before it (a claim only guards its prompt, which is dropped as soon as it is answered or expires).
 */
export async function prunePendingPrompts(before: Date): Promise<number> {
  const prompts = await PendingPromptModel.deleteMany({ expiresAt: { $lt: before } });
  const claims = await PendingPromptClaimModel.deleteMany({ at: { $lt: before } });
  return (prompts.deletedCount ?? 0) + (claims.deletedCount ?? 0);
}
