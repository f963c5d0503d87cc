import { randomUUID } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';
import type { DialogueMove, NewPendingPrompt, PendingPrompt, PromptStore } from '../core/prompts';

/** A pending question (core/prompts.ts) as stored: one per user and channel (`_id` `<channel>:<userid>`). */
export interface PendingPromptDoc extends PendingPrompt {
  _id: string;
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
      // A guided filing's step, step counter and last answer (core/dialogue/dialogue.types.ts).
      dialogue: { type: Schema.Types.Mixed, required: false },
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
 * Moves a dialogue on in one write guarded by its prompt id and step counter: of two copies of one message
 * (a re-run, a second instance) only the first finds `seq` unchanged.
 */
export async function advancePendingPrompt(channel: string, userid: string, promptId: string, seq: number, move: DialogueMove): Promise<boolean> {
  const res = await PendingPromptModel.updateOne(
    { _id: keyOf(channel, userid), promptId, 'dialogue.seq': seq },
    { $set: { input: move.input, field: move.field, subject: move.subject, expiresAt: move.expiresAt, dialogue: move.dialogue } },
  );
  return res.modifiedCount === 1;
}

/** The prompt store the composition root hands the chat engine; the answer is claimed by a unique insert into `pending_prompt_claims` (a message delivered twice cannot answer it twice). */
export const promptStore: PromptStore = {
  save: savePendingPrompt,
  find: findPendingPrompt,
  claim: claimPendingPrompt,
  drop: dropPendingPrompt,
  advance: advancePendingPrompt,
};

/**
 * For jobs/prune.job.ts (FerretDB v1 has no TTL indexes): prompts expired before `before`, and claims made
 * before it (a claim only guards its prompt, which is dropped as soon as it is answered or expires).
 */
export async function prunePendingPrompts(before: Date): Promise<number> {
  const prompts = await PendingPromptModel.deleteMany({ expiresAt: { $lt: before } });
  const claims = await PendingPromptClaimModel.deleteMany({ at: { $lt: before } });
  return (prompts.deletedCount ?? 0) + (claims.deletedCount ?? 0);
}
