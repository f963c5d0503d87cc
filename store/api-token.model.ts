import mongoose, { Schema, Types } from 'mongoose';

export interface ApiTokenDoc {
  _id: Types.ObjectId;
  /** sha256 of the token; the token itself is shown once and never stored. */
  hash: string;
  userid: string;
  label: string;
  createdAt?: Date;
  lastUsedAt?: Date;
  revokedAt?: Date | null;
}

const apiTokenSchema = new Schema<ApiTokenDoc>(
  {
    hash: { type: String, required: true },
    userid: { type: String, required: true },
    label: { type: String, default: '' },
    lastUsedAt: { type: Date },
    revokedAt: { type: Date, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
apiTokenSchema.index({ hash: 1 }, { unique: true });

export const ApiTokenModel = mongoose.model<ApiTokenDoc>('ApiToken', apiTokenSchema, 'api_tokens');
