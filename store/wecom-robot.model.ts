import mongoose, { Schema } from 'mongoose';

/**
 * A WeCom group robot (群机器人) registered for a unit: the second way to post into an existing group. `_id`
 * is the unit code (one robot per unit; registering again replaces it). The webhook URL carries the robot's
 * key: it is a secret and never shown back.
 */
export interface WecomRobotDoc {
  _id: string;
  url: string;
  registeredBy: string;
  registeredAt: Date;
}

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
