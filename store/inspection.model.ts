import mongoose, { Schema } from 'mongoose';

/*
 * The inspection's collections (issue #15). Every hot read and write is by `_id`: on the embedded FerretDB only
 * `_id` lookups use an index and any other filter reads the whole collection, and it decodes every field of
 * every document it reads — so what readers need is packed into one JSON text field.
 */

/** One site's saved inspection profile, `_id` the site id. */
export interface InspectionProfileDoc {
  _id: string;
  /** The {@link InspectionProfile} less `siteId`, `updatedAt` as ISO text, as JSON. */
  profile: string;
}

export const InspectionProfileModel = mongoose.model<InspectionProfileDoc>(
  'InspectionProfile',
  new Schema<InspectionProfileDoc>({ _id: { type: String, required: true }, profile: { type: String, required: true } }, { versionKey: false }),
  'inspection_profiles',
);

/**
 * One site's probes of one China day, `_id` `<siteId>|<YYYY-MM-DD>`: `c` holds the claims (slot key → the
 * instance that took it), `p` the results (slot key → the probe as JSON). A slot key is `t<seconds after China
 * midnight>`. A day's 20 probes make one small document, so a site's week is 7–8 reads by `_id`, and pruning
 * deletes documents by `_id` too.
 */
export interface ProbeDayDoc {
  _id: string;
  c?: Record<string, string>;
  p?: Record<string, string>;
}

export const ProbeDayModel = mongoose.model<ProbeDayDoc>(
  'InspectionProbeDay',
  new Schema<ProbeDayDoc>({ _id: { type: String, required: true }, c: { type: Schema.Types.Mixed }, p: { type: Schema.Types.Mixed } }, { versionKey: false, minimize: false }),
  'inspection_probes',
);

/** A site's latest crawl, `_id` the site id, and tonight's claim on crawling it (`leaseUntil`). */
export interface CrawlDoc {
  _id: string;
  at?: Date;
  /** The {@link CrawlResult} as JSON; absent while only claimed. */
  crawl?: string;
  leaseUntil?: Date;
  leaseBy?: string;
}

export const CrawlModel = mongoose.model<CrawlDoc>(
  'InspectionCrawl',
  new Schema<CrawlDoc>({ _id: { type: String, required: true }, at: Date, crawl: String, leaseUntil: Date, leaseBy: String }, { versionKey: false }),
  'inspection_crawls',
);

/** A site's latest judged report, `_id` the site id: what 巡检概况, the digest and the annual report read. */
export interface ReportDoc {
  _id: string;
  at: Date;
  /** The {@link InspectionReport} as JSON (dates as ISO text). */
  report: string;
}

export const ReportModel = mongoose.model<ReportDoc>(
  'InspectionReport',
  new Schema<ReportDoc>({ _id: { type: String, required: true }, at: { type: Date, required: true }, report: { type: String, required: true } }, { versionKey: false }),
  'inspection_reports',
);
