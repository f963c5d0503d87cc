import mongoose, { Schema } from 'mongoose';
import type { RequestRecord } from '../core/requests/types';

/**
 * One document per request: its state, audit trail and outbox of pending effects. `_id` is the human id
 * (R2027-0001). `registerDirty`: set by each write, cleared once the request's entries in the register of open
 * deadlines (the inbox, review reminders, outages) are applied; absent on requests stored before the register.
 */
export type RequestDoc = Omit<RequestRecord, 'id'> & {
  _id: string;
  registerDirty?: boolean;
};

const who = { _id: false, userid: String, name: String };

const requestSchema = new Schema<RequestDoc>(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    status: { type: String, required: true },
    site: { type: Schema.Types.Mixed, required: true },
    requester: { type: who, required: true },
    year: { type: Number, required: true },
    scopeUnits: { type: [String], default: [] },
    steps: { type: Schema.Types.Mixed, default: () => [] },
    currentStep: { type: Number, default: 0 },
    payload: { type: Schema.Types.Mixed, default: {} },
    checklist: { type: Schema.Types.Mixed, default: () => [] },
    round: { type: Number, default: 1 },
    flags: { type: Schema.Types.Mixed, default: {} },
    audit: { type: Schema.Types.Mixed, default: () => [] },
    effects: { type: Schema.Types.Mixed, default: () => [] },
    version: { type: Number, required: true, default: 0 },
    registerDirty: { type: Boolean },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
requestSchema.index({ 'requester.userid': 1, createdAt: -1 });
requestSchema.index({ 'site.id': 1, type: 1, year: 1 });
requestSchema.index({ 'effects.status': 1 });
// The dispatcher's repair of register writes a crash left undone (on MongoDB; FerretDB reads the collection anyway).
requestSchema.index({ registerDirty: 1 });

export const RequestModel = mongoose.model<RequestDoc>('Request', requestSchema, 'requests');

/** A timer a request scheduled (a `schedule` effect): `runDueTimers` fires it once it is due. */
export interface RequestTimerDoc {
  effectId: string;
  requestId: string;
  timer: string;
  dueAt: Date;
  status: 'pending' | 'done';
  doneAt?: Date;
  createdAt: Date;
}

const timerSchema = new Schema<RequestTimerDoc>(
  {
    effectId: { type: String, required: true },
    requestId: { type: String, required: true },
    timer: { type: String, required: true },
    dueAt: { type: Date, required: true },
    status: { type: String, required: true, default: 'pending' },
    doneAt: { type: Date },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
timerSchema.index({ effectId: 1 }, { unique: true });
timerSchema.index({ status: 1, dueAt: 1 });

export const RequestTimerModel = mongoose.model<RequestTimerDoc>('RequestTimer', timerSchema, 'request_timers');
