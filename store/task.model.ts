import mongoose, { Schema } from 'mongoose';
import type { TaskKind } from '../core/requests/types';

/**
 * A to-do a request created (post a notice on the site or the portal…), for the admins of `siteId`.
 * `effectId` is unique: the dispatcher may run the same effect twice and still creates one task.
 */
export interface TaskDoc {
  effectId: string;
  requestId: string;
  kind: TaskKind;
  siteId: string;
  siteName: string;
  dueDate?: string;
  params: Record<string, string>;
  status: 'open' | 'done';
  createdAt: Date;
}

const taskSchema = new Schema<TaskDoc>(
  {
    effectId: { type: String, required: true },
    requestId: { type: String, required: true },
    kind: { type: String, required: true },
    siteId: { type: String, required: true },
    siteName: { type: String, required: true },
    dueDate: { type: String },
    params: { type: Schema.Types.Mixed, default: {} },
    status: { type: String, required: true, default: 'open' },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
taskSchema.index({ effectId: 1 }, { unique: true });
taskSchema.index({ siteId: 1, status: 1 });
taskSchema.index({ requestId: 1 });

export const TaskModel = mongoose.model<TaskDoc>('Task', taskSchema, 'tasks');
