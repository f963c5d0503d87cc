import mongoose, { Schema, Types } from 'mongoose';

export interface SiteDoc {
  _id: Types.ObjectId;
  code?: string;
  name: string;
  kind: 'portal' | 'department';
  level: string;
  domains: string[];
  supervisingUnit: string;
  hostUnit: string;
  operatorUnit?: string;
  languages: string[];
  status: string;
  exceptionNote?: string;
  scopeUnits: string[];
  /** Filed by change records (art. 17): person in charge, contacts, column structure, URL. */
  profile?: Record<string, unknown>;
  createdAt?: Date;
  updatedAt?: Date;
}

const siteSchema = new Schema<SiteDoc>(
  {
    code: { type: String },
    name: { type: String, required: true },
    kind: { type: String, required: true },
    level: { type: String, required: true },
    domains: { type: [String], required: true },
    supervisingUnit: { type: String, required: true },
    hostUnit: { type: String, required: true },
    operatorUnit: { type: String },
    languages: { type: [String], default: ['zh-CN'] },
    status: { type: String, required: true, default: 'online' },
    exceptionNote: { type: String },
    scopeUnits: { type: [String], default: [] },
    profile: { type: Schema.Types.Mixed },
  },
  { timestamps: true, versionKey: false },
);
// Sparse, not partial: FerretDB v1 has no partialFilterExpression. A planned site has no code yet.
siteSchema.index({ code: 1 }, { unique: true, sparse: true });
siteSchema.index({ domains: 1 }, { unique: true });
siteSchema.index({ scopeUnits: 1, status: 1 });
siteSchema.index({ hostUnit: 1 });

export const SiteModel = mongoose.model<SiteDoc>('Site', siteSchema, 'sites');
