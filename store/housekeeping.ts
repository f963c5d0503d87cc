import mongoose from 'mongoose';
import type { Housekeeping } from '../core/housekeeping.ports';
import { MpSpentModel } from './mp-auth.model';
import { NotificationModel } from './notification.model';
import { prunePendingPrompts } from './pending-prompt.model';
import { ReminderRunModel } from './reminder-run.model';
import { pruneWechatyBindingCodes } from './wechaty-binding';
import { pruneWechatyInbound } from './wechaty-inbound.model';
import { pruneWecomInbound } from './wecom-inbound.model';
import { pruneWecomOutbox } from './wecom-outbox.repo';

const count = (r: { deletedCount?: number }) => r.deletedCount ?? 0;

export type { Housekeeping } from '../core/housekeeping.ports';

/**
 * The bookkeeping the jobs keep tidy (jobs/prune.job.ts decides how long each is kept) and the indexes the
 * job engine wants before it starts — the port of core/housekeeping.ports.ts. FerretDB v1 has no TTL
 * indexes, so old entries are deleted by a job.
 */
export const housekeeping: Housekeeping = {
  /** The connection's mongodb `Db`, for agenda's backend (mongoose bundles its own driver; either copy serves). */
  jobDatabase(): unknown {
    return mongoose.connection.db;
  },
  /** Our collections' indexes the jobs rely on, whether or not mongoose built them before. */
  async ensureJobIndexes(): Promise<void> {
    await NotificationModel.createIndexes();
  },
  pruneWecomOutbox,
  pruneWecomInbound,
  pruneWechatyInbound,
  pruneWechatyBindingCodes,
  async pruneReminderRuns(before: Date): Promise<number> {
    return count(await ReminderRunModel.deleteMany({ at: { $lt: before } }));
  },
  async pruneMpSpent(before: Date): Promise<number> {
    return count(await MpSpentModel.deleteMany({ at: { $lt: before } }));
  },
  prunePendingPrompts,
};
