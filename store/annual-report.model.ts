import mongoose, { Schema } from 'mongoose';

/** The figures a site admin entered for a site's annual report (art. 36); `_id` is `<siteId>:<year>`. */
export interface AnnualFiguresDoc {
  _id: string;
  siteId: string;
  year: number;
  figures: Record<string, number>;
  version: number;
  updatedAt: Date;
  updatedBy: { userid: string; name: string };
}

const schema = new Schema<AnnualFiguresDoc>(
  {
    _id: { type: String, required: true },
    siteId: { type: String, required: true },
    year: { type: Number, required: true },
    figures: { type: Schema.Types.Mixed, default: {} },
    version: { type: Number, required: true, default: 0 },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false, minimize: false },
);

export const AnnualFiguresModel = mongoose.model<AnnualFiguresDoc>('AnnualFigures', schema, 'annual_report_figures');
