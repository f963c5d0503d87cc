import mongoose, { Schema } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';

/** One-off markers (e.g. "demo data loaded") whose unique _id makes "only once" hold across processes. */
export interface MetaDoc {
  _id: string;
  at: Date;
}

export const MetaModel = mongoose.model<MetaDoc>('Meta', new Schema<MetaDoc>({ _id: String, at: Date }, { versionKey: false }), 'meta');

/** True for the one process that claims the marker first. */
export async function claimOnce(key: string, now: Date): Promise<boolean> {
  try {
    await MetaModel.create({ _id: key, at: now });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}
