/**
 * The bookkeeping the jobs keep tidy (jobs/prune.job.ts decides how long each is kept) and the indexes the
 * job engine wants before it starts, as a port: store/housekeeping.ts implements it, the composition root
 * hands it to the jobs, which import no store/ module. FerretDB v1 has no TTL indexes, so old entries are
 * deleted by a job. Each prune answers how many entries it deleted.
 */
export interface Housekeeping {
  /** The connection's mongodb `Db`, for agenda's backend (opaque here: only agenda reads it). */
  jobDatabase(): unknown;
  /** Our collections' indexes the jobs rely on, whether or not they were built before. */
  ensureJobIndexes(): Promise<void>;
  pruneWecomOutbox(before: Date): Promise<void>;
  pruneWecomInbound(before: Date): Promise<number>;
  pruneWechatyInbound(before: Date): Promise<number>;
  /** Expired binding codes, and code uses older than `before`. */
  pruneWechatyBindingCodes(now: Date, before?: Date): Promise<number>;
  pruneReminderRuns(before: Date): Promise<number>;
  pruneMpSpent(before: Date): Promise<number>;
  prunePendingPrompts(before: Date): Promise<number>;
}
