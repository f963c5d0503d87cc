import mongoose, { Schema } from 'mongoose';
import type { Notice } from '../core/notices/notice.types';

/** A supervisor's notice (core/notices): `_id` is the short id people type (`确认通知 N7K2QX`). */
export type NoticeDoc = Omit<Notice, 'id'> & { _id: string };

const noticeSchema = new Schema<NoticeDoc>(
  {
    _id: String,
    kind: { type: String, required: true },
    title: { type: String, required: true },
    body: { type: String, required: true },
    bodies: { type: Schema.Types.Mixed, default: {} },
    requiresAck: { type: Boolean, default: false },
    audience: { type: new Schema({ people: String, units: [String], groups: Boolean }, { _id: false }), required: true },
    unitCode: { type: String, default: null },
    unitName: { type: String, required: true },
    by: { type: new Schema({ userid: String, name: String }, { _id: false }), required: true },
    status: { type: String, required: true },
    createdAt: { type: Date, required: true },
    publishedAt: { type: Date, default: null },
    recipients: { type: Number, default: 0 },
    groups: { type: Number, default: 0 },
  },
  { versionKey: false, minimize: false },
);
noticeSchema.index({ status: 1, createdAt: 1 });

export const NoticeModel = mongoose.model<NoticeDoc>('Notice', noticeSchema, 'notices');

/** One acknowledgement: `_id` is `<noticeId>:<userid>`, so a person acknowledges a notice once. */
export interface NoticeAckDoc {
  _id: string;
  noticeId: string;
  userid: string;
  name: string;
  at: Date;
}

const ackSchema = new Schema<NoticeAckDoc>(
  { _id: String, noticeId: { type: String, required: true }, userid: { type: String, required: true }, name: String, at: { type: Date, required: true } },
  { versionKey: false },
);
ackSchema.index({ noticeId: 1 });

export const NoticeAckModel = mongoose.model<NoticeAckDoc>('NoticeAck', ackSchema, 'notice_acks');
