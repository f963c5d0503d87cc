import mongoose, { Schema } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';

/**
 * "This daily run finished" markers (`digest:2026-10-08`), so the day's later runs skip the sweep instead of
 * re-inserting thousands of already-stored digests. Only an optimisation: the notifications' unique keys are
 * what make a run exactly-once; a run that crashed before its marker simply runs again.
 */
export const ReminderRunModel = mongoose.model<{ _id: string; at: Date }>('ReminderRun', new Schema({ _id: String, at: Date }, { versionKey: false }), 'reminder_runs');

export async function runDone(id: string): Promise<boolean> {
  return (await ReminderRunModel.exists({ _id: id })) !== null;
}

export async function markRunDone(id: string, at: Date): Promise<void> {
  try {
    await ReminderRunModel.create({ _id: id, at });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}
