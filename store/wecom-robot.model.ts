import mongoose, { Schema } from 'mongoose';
import type { WecomRobotDoc } from '../core/channels/wecom.ports';
export type { WecomRobotDoc } from '../core/channels/wecom.ports';

export const WecomRobotModel = mongoose.model<WecomRobotDoc>(
  'WecomRobot',
  new Schema<WecomRobotDoc>(
    { _id: String, url: { type: String, required: true }, registeredBy: { type: String, required: true }, registeredAt: { type: Date, required: true } },
    { versionKey: false },
  ),
  'wecom_robots',
);

export async function findWecomRobot(unitCode: string): Promise<WecomRobotDoc | null> {
  return WecomRobotModel.findById(unitCode).lean<WecomRobotDoc>();
}

/** Registers (or replaces) the unit's robot; true when one was there before. */
export async function saveWecomRobot(doc: WecomRobotDoc): Promise<boolean> {
  const res = await WecomRobotModel.updateOne({ _id: doc._id }, { $set: { url: doc.url, registeredBy: doc.registeredBy, registeredAt: doc.registeredAt } }, { upsert: true });
  return res.upsertedCount === 0;
}
