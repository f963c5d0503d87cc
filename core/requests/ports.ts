import type { FieldProblem } from '../errors';
import type { Site } from '../registry/types';
import type { Change } from './machines';
import type { OutageCover } from './outage-cover';
import type { RequestDraft, RequestRecord, RequestStatus, RequestType, SiteChanges } from './types';

export interface InboxQuery {
  userid: string;
  units: readonly string[];
  /** Province admins act on the root (provincial General Office) step too. */
  root: boolean;
  limit?: number;
}

/**
 * Storage of requests. Every state change goes through `commit`: one atomic single-document write of the new
 * state, its audit entry and its pending effects, guarded by the version the caller read.
 */
export interface RequestRepo {
  /**
   * Allocates the human id (R2027-0001), keys the draft's effects to it (`withIds`, version 0) and inserts the
   * request; the machine has already decided (core/requests/machines.ts `createRequest`), so no rule runs here.
   */
  create(draft: RequestDraft, now: Date): Promise<RequestRecord>;
  get(id: string): Promise<RequestRecord | undefined>;
  /** Throws `request_changed_concurrently` when someone else changed the request since `prev` was read. */
  commit(prev: RequestRecord, change: Change, now: Date): Promise<RequestRecord>;
  byRequester(userid: string, limit?: number): Promise<RequestRecord[]>;
  inbox(q: InboxQuery): Promise<RequestRecord[]>;
  /**
   * The deployment's review time per approval level in working days (STEWARD_REVIEW_WORKING_DAYS, validated at
   * start); optional so test doubles may leave it out (then DEFAULT_REVIEW_WORKING_DAYS).
   */
  reviewWorkingDays?(): number;
  /** Other requests of a site of one type and year, in these statuses (art. 14 quota). */
  idsOf(q: { siteId: string; type: RequestType; year?: number; statuses: readonly RequestStatus[]; excludeId?: string }): Promise<string[]>;
  /**
   * Whether an approved temporary offline window or a filed emergency shutdown covers this site now, and the
   * latest approved window that has ended (core/requests/outage-cover.ts): what the inspection's outage alerts
   * ask before saying 疑似未经审批关停 or 超期未恢复上线. Reads that one site's requests.
   */
  coveringOutage(siteId: string, now: Date): Promise<OutageCover>;
}

/** Registry rules (art. 6, 11, 12) for a site as it would be after a change or at opening. */
export interface RequestRulesPort {
  checkSite(site: Site, changes: SiteChanges): Promise<FieldProblem[]>;
}
