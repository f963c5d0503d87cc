import mongoose, { Schema } from 'mongoose';
import type { ObligationAck } from '../core/obligations/obligation.ports';

/** One acknowledged obligation occurrence; `_id` is `<obligation>:<subject>:<period>`, the exactly-once guard. */
export type ObligationAckDoc = Omit<ObligationAck, 'key'> & { _id: string };

const schema = new Schema<ObligationAckDoc>(
  {
    _id: { type: String, required: true },
    obligation: { type: String, required: true },
    subjectKind: { type: String, required: true },
    subjectId: { type: String, required: true },
    subjectName: { type: String, required: true },
    period: { type: String, required: true },
    dueDate: { type: String, required: true },
    by: { type: Schema.Types.Mixed, required: true },
    at: { type: Date, required: true },
    note: { type: String, default: null },
    onTime: { type: Boolean, required: true },
    source: { type: String, required: true },
  },
  { versionKey: false },
);
schema.index({ subjectId: 1, period: 1 });

export const ObligationAckModel = mongoose.model<ObligationAckDoc>('ObligationAck', schema, 'obligation_acks');
