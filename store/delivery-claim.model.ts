import mongoose, { Schema } from 'mongoose';

/**
 * One claim per send attempt of a notification: `_id` is `<notificationId>#<attempt>` (or
 * `<notificationId>#<attempt>:takeover` when a crashed sender's claim is superseded). The insert is the
 * exactly-once guard: on FerretDB v1 a conditional update or findOneAndUpdate racing another writer can both
 * succeed, an insert with a unique `_id` cannot (the loser gets a duplicate-key error) — on MongoDB too.
 */
export interface DeliveryClaimDoc {
  _id: string;
  notificationId: string;
  attempt: number;
  instance: string;
  at: Date;
}

export const DeliveryClaimModel = mongoose.model<DeliveryClaimDoc>(
  'DeliveryClaim',
  new Schema<DeliveryClaimDoc>({ _id: String, notificationId: String, attempt: Number, instance: String, at: Date }, { versionKey: false }),
  'delivery_claims',
);
