import mongoose, { Schema, Types } from 'mongoose';
import type { StoredComplaintEffect, StoredComplaintEntry } from './complaint.stored';

export interface DeadlineDoc {
  dueDate: string;
  dueAt: Date;
  provisional: boolean;
}

export interface ComplaintDoc {
  _id: Types.ObjectId;
  platformId: string;
  siteRef: string;
  siteId: string | null;
  siteName: string | null;
  hostUnit: string | null;
  supervisingUnit: string | null;
  /** The site's scopeUnits, copied so "my subtree's reports" is one indexed query. */
  scopeUnits: string[];
  pageUrl: string | null;
  errorType: string;
  description: string;
  receivedAt: Date;
  state: string;
  version: number;
  transferDue: DeadlineDoc | null;
  answerDue: DeadlineDoc | null;
  dueAt: Date | null;
  transferredAt: Date | null;
  transferredBy: string | null;
  transferOnTime: boolean | null;
  answeredAt: Date | null;
  answeredBy: string | null;
  answer: string | null;
  answerOnTime: boolean | null;
  handlingDays: number | null;
  untrueReason: string | null;
  publishedAt: Date | null;
  closedAt: Date | null;
  /** The audit trail; lines written before the one audit entry are read through `readComplaintEntry`. */
  history: StoredComplaintEntry[];
  /** Pending and done effects; ones written before the one effect shape are read through `readComplaintEffect`. */
  outbox: StoredComplaintEffect[];
  /** Count of outbox effects not yet done, so a dispatcher finds work with one indexed query. */
  pendingEffects: number;
  /**
   * Set by every write of the report, in the same atomic write, and cleared once the register of open
   * deadlines reflects that version: a report left dirty (a crash between the two writes) is applied again by
   * the repair (store/deadline.repo.ts). Absent on reports stored before the register: the backfill's mark.
   */
  registerDirty?: boolean;
}

const deadline = new Schema<DeadlineDoc>({ dueDate: String, dueAt: Date, provisional: Boolean }, { _id: false });

const complaintSchema = new Schema<ComplaintDoc>(
  {
    platformId: { type: String, required: true },
    siteRef: { type: String, required: true },
    siteId: { type: String, default: null },
    siteName: { type: String, default: null },
    hostUnit: { type: String, default: null },
    supervisingUnit: { type: String, default: null },
    scopeUnits: { type: [String], default: [] },
    pageUrl: { type: String, default: null },
    errorType: { type: String, required: true },
    description: { type: String, required: true },
    receivedAt: { type: Date, required: true },
    state: { type: String, required: true },
    version: { type: Number, required: true },
    transferDue: { type: deadline, default: null },
    answerDue: { type: deadline, default: null },
    dueAt: { type: Date, default: null },
    transferredAt: { type: Date, default: null },
    transferredBy: { type: String, default: null },
    transferOnTime: { type: Boolean, default: null },
    answeredAt: { type: Date, default: null },
    answeredBy: { type: String, default: null },
    answer: { type: String, default: null },
    answerOnTime: { type: Boolean, default: null },
    handlingDays: { type: Number, default: null },
    untrueReason: { type: String, default: null },
    publishedAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
    history: { type: Schema.Types.Mixed, default: [] },
    outbox: { type: Schema.Types.Mixed, default: [] },
    pendingEffects: { type: Number, default: 0 },
    registerDirty: { type: Boolean },
  },
  { timestamps: true, versionKey: false },
);
// The dedup key of every intake: the same export twice inserts nothing.
complaintSchema.index({ platformId: 1 }, { unique: true });
// Lists of open reports by deadline (`dueBy`); the sweep and reminders read the register of open deadlines.
complaintSchema.index({ state: 1, dueAt: 1 });
complaintSchema.index({ siteId: 1, receivedAt: -1 });
complaintSchema.index({ scopeUnits: 1, receivedAt: -1 });
complaintSchema.index({ receivedAt: -1 });
complaintSchema.index({ publishedAt: -1 });
complaintSchema.index({ pendingEffects: 1 });

export const ComplaintModel = mongoose.model<ComplaintDoc>('Complaint', complaintSchema, 'complaints');
