import mongoose, { Schema } from 'mongoose';

/** A Wechaty room (group chat) bound to a unit: `_id` is the room id, so a room belongs to one unit. */
export interface WechatyRoomDoc {
  _id: string;
  unitCode: string;
  topic?: string;
  boundBy: string;
  boundAt: Date;
}

const schema = new Schema<WechatyRoomDoc>(
  { _id: String, unitCode: { type: String, required: true }, topic: String, boundBy: { type: String, required: true }, boundAt: { type: Date, required: true } },
  { versionKey: false },
);
schema.index({ unitCode: 1 });

export const WechatyRoomModel = mongoose.model<WechatyRoomDoc>('WechatyRoom', schema, 'wechaty_rooms');
