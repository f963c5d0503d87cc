import { noticeRepoOf, publishNotice } from '../core/notices/notice.service';
import type { JobEnv, JobSpec } from './job';

/**
 * Finishes notices a crash left half-published: publishing stores only the missing recipients' messages
 * (unique `notice:<id>` + userid), so whoever already has theirs gets no second one.
 */
export async function runNoticePublish(env: Pick<JobEnv, 'deps'>, now: Date): Promise<{ resumed: number; inserted: number }> {
  if (!env.deps.notices) return { resumed: 0, inserted: 0 };
  const list = await noticeRepoOf(env.deps).publishing(20);
  let inserted = 0;
  for (const n of list) inserted += (await publishNotice(env.deps, n, now)).inserted;
  return { resumed: list.length, inserted };
}

export const noticePublishJob: JobSpec = { name: 'notice-publish', run: runNoticePublish };
