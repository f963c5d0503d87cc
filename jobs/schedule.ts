import { calendarWarningJob } from './calendar-warning.job';
import { campaignRemindersJob } from './campaign-reminders.job';
import { pruneJob } from './prune.job';
import { complaintOutboxJob } from './complaint-outbox.job';
import { dailyDigestJob } from './daily-digest.job';
import { deadlineRemindersJob } from './deadline-reminders.job';
import { deliverNotificationsJob } from './deliver-notifications.job';
import type { JobSpec } from './job';
import { noticePublishJob } from './notice-publish.job';
import { noticeRemindersJob } from './notice-reminders.job';
import { obligationsJob } from './obligations.job';
import { tickJob } from './tick.job';
import { inspectionProbesJob } from './inspection-probes.job';
import { inspectionCrawlsJob } from './inspection-crawls.job';

/** Every job the service runs. */
export const JOBS: readonly JobSpec[] = [tickJob, complaintOutboxJob, deadlineRemindersJob, dailyDigestJob, calendarWarningJob, deliverNotificationsJob, noticePublishJob, noticeRemindersJob, obligationsJob, campaignRemindersJob, pruneJob, inspectionProbesJob, inspectionCrawlsJob];

export type JobName = 'tick' | 'complaint-outbox' | 'deadline-reminders' | 'daily-digest' | 'calendar-warning' | 'deliver-notifications' | 'notice-publish' | 'notice-reminders' | 'obligations' | 'campaign-reminders' | 'prune' | 'inspection-probes' | 'inspection-crawls';

/**
 * How often each job runs (agenda's `every`). The daily ones run often and act once per day: a run missed
 * while the service was down is simply the next one, marked late.
 */
export const EVERY: Record<JobName, string> = {
  tick: '1 minute',
  'complaint-outbox': '1 minute',
  'deadline-reminders': '5 minutes',
  'daily-digest': '10 minutes',
  'calendar-warning': '1 hour',
  'deliver-notifications': '30 seconds',
  'notice-publish': '1 minute',
  'notice-reminders': '10 minutes',
  obligations: '1 hour',
  'campaign-reminders': '10 minutes',
  prune: '6 hours',
  /** Each run probes the slots due since the last (20 a day per site, spread by the plan). */
  'inspection-probes': '1 minute',
  /** Crawls only inside the night's crawl window; each run takes the sites not yet claimed tonight. */
  'inspection-crawls': '10 minutes',
};

/** Events → the jobs they start at once (agenda `now`), in order. */
export const ON_EVENT = {
  /** Service start: catch up on anything missed while no instance ran, then deliver. */
  start: ['tick', 'complaint-outbox', 'deadline-reminders', 'daily-digest', 'calendar-warning', 'notice-publish', 'notice-reminders', 'obligations', 'campaign-reminders', 'deliver-notifications'],
  /** A request changed (its effects may notify, schedule timers). */
  'request.changed': ['tick', 'deliver-notifications'],
  /** An error report changed (its outbox has effects). */
  'complaint.changed': ['complaint-outbox', 'deliver-notifications'],
  /** A notification was stored outside the jobs. */
  'notification.created': ['deliver-notifications'],
  /** A notice was published (or left half-published): finish storing it, then deliver. */
  'notice.published': ['notice-publish', 'deliver-notifications'],
} as const satisfies Record<string, readonly JobName[]>;

export type JobEvent = keyof typeof ON_EVENT;
