import { chinaStartOf } from '../calendar/civil-date';
import { windowTimes } from './temp-offline.machine';
import type { RequestRecord } from './types';

/** How long after an approved window's end a site still down is "not restored" rather than a new outage. */
export const ENDED_WINDOW_LOOKBACK_MS = 30 * 86_400_000;

/**
 * What the approvals say about a site being down now (art. 14, 15): an approved temporary offline window or a
 * filed emergency shutdown that covers now — failures then are expected — or the latest approved window that
 * has ended, after which a site still down has not come back as it should.
 */
export interface OutageCover {
  covering?: { requestId: string; type: 'temp_offline' | 'emergency_shutdown' };
  ended?: { requestId: string; endedAt: Date };
}

/** Approved temporary offline statuses whose window is the approval's (completed: declared back, the window still approved). */
const APPROVED_WINDOW = ['scheduled', 'offline', 'completed'];
/** A filed emergency shutdown not yet over: reported (acknowledged or not), the site not declared back. */
const SHUTDOWN_OPEN = ['reviewing', 'returned', 'acknowledged'];

/**
 * The cover of one site's requests at `now`. A temporary offline covers from 00:00 of its first day to 00:00
 * after its last (China time); an emergency shutdown covers from 00:00 of its start until the site is reported
 * back online — its end is only expected, so a shutdown that runs longer is still filed.
 */
export function outageCoverOf(requests: readonly RequestRecord[], now: Date): OutageCover {
  const cover: OutageCover = {};
  let endedAt = -Infinity;
  for (const r of requests) {
    if (r.type === 'temp_offline' && APPROVED_WINDOW.includes(r.status) && r.payload.start && r.payload.end) {
      const { startAt, overdueAt } = windowTimes(r.payload);
      if (startAt <= now && now < overdueAt) cover.covering ??= { requestId: r.id, type: 'temp_offline' };
      else if (overdueAt <= now && now.getTime() - overdueAt.getTime() <= ENDED_WINDOW_LOOKBACK_MS && overdueAt.getTime() > endedAt) {
        endedAt = overdueAt.getTime();
        cover.ended = { requestId: r.id, endedAt: overdueAt };
      }
    }
    if (r.type === 'emergency_shutdown' && SHUTDOWN_OPEN.includes(r.status) && !r.flags.backOnline && r.payload.start && chinaStartOf(r.payload.start) <= now) {
      cover.covering ??= { requestId: r.id, type: 'emergency_shutdown' };
    }
  }
  return cover;
}
