import mongoose, { Schema } from 'mongoose';

export interface UnitDoc {
  _id: string;
  name: string;
  kind: 'government' | 'department' | 'township';
  level: 'province' | 'city' | 'county' | 'township';
  divisionCode: string;
  parentCode: string | null;
  ancestors: string[];
  updatedAt?: Date;
  createdAt?: Date;
}

const unitSchema = new Schema<UnitDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    kind: { type: String, required: true },
    level: { type: String, required: true },
    divisionCode: { type: String, required: true },
    parentCode: { type: String, default: null },
    ancestors: { type: [String], default: [] },
  },
  { timestamps: true, versionKey: false },
);
unitSchema.index({ ancestors: 1 });
unitSchema.index({ parentCode: 1 });

/** Units keyed by their natural code, so imports are idempotent upserts. */
export const UnitModel = mongoose.model<UnitDoc>('Unit', unitSchema, 'units');
