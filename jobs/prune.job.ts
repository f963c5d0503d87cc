import type { JobEnv, JobSpec } from './job';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * How long each kind of bookkeeping is kept. FerretDB v1 has no TTL indexes, so this job deletes what no
 * guard needs any more: a dedup key long after WeCom stopped retrying, a claim long after its lease, a spent
 * one-time code after the longest token it could guard (refresh tokens live 30 days).
 */
export const RETENTION = {
  wecomInbound: 7 * DAY,
  /** Pace slots must outlive WeCom's hourly window; sent messages are kept a while for support. */
  wecomOutbox: 2 * DAY,
  wechatyInbound: DAY,
  reminderRuns: 30 * DAY,
  mpSpent: 31 * DAY,
} as const;

export async function runPrune(env: Pick<JobEnv, 'housekeeping'>, now: Date): Promise<Record<string, number>> {
  const before = (ms: number) => new Date(now.getTime() - ms);
  const h = env.housekeeping;
  await h.pruneWecomOutbox(before(RETENTION.wecomOutbox));
  return {
    wecomInbound: await h.pruneWecomInbound(before(RETENTION.wecomInbound)),
    wechatyInbound: await h.pruneWechatyInbound(before(RETENTION.wechatyInbound)),
    wechatyBindingCodes: await h.pruneWechatyBindingCodes(now),
    reminderRuns: await h.pruneReminderRuns(before(RETENTION.reminderRuns)),
    mpSpent: await h.pruneMpSpent(before(RETENTION.mpSpent)),
    pendingPrompts: await h.prunePendingPrompts(before(DAY)), // card-comment prompts a day past expiry, and their claims
  };
}

export const pruneJob: JobSpec = { name: 'prune', run: runPrune };
