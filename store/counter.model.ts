import mongoose, { Schema } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';

export interface CounterDoc {
  _id: string;
  seq: number;
}

export const CounterModel = mongoose.model<CounterDoc>('Counter', new Schema<CounterDoc>({ _id: String, seq: { type: Number, default: 0 } }, { versionKey: false }), 'counters');

/**
 * The next number of a named sequence (`findOneAndUpdate` + `$inc`, upsert): atomic on MongoDB and on the
 * embedded FerretDB (its front lets one write at a time), so no two callers get the same number.
 */
export async function nextSeq(name: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      const doc = await CounterModel.findOneAndUpdate({ _id: name }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }).lean<CounterDoc>();
      return doc!.seq;
    } catch (err) {
      // Two first-time upserts race to insert the counter (on MongoDB too): the loser retries as an update.
      if (!isDuplicateKey(err) || attempt >= 5) throw err;
    }
  }
}
