import type { Who } from '../audit';
import type { Site } from '../registry/types';
import type { Complaint, ComplaintState, NewComplaint, OpenState } from './complaint.types';

/**
 * Whose reports a query may return: everything (province admins), or the reports of some sites plus those of
 * the sites some supervised units cover. Unmatched reports (no site) only come with `all`.
 */
export type ComplaintScope = { all: true } | { all?: false; siteIds: string[]; scopeUnits: string[] };

export interface ComplaintQuery {
  scope: ComplaintScope;
  states?: ComplaintState[];
  siteId?: string;
  /** Reports of the sites this unit's subtree covers. */
  unit?: string;
  receivedFrom?: Date;
  receivedBefore?: Date;
  /** Only reports whose running deadline ends at or before this instant (open states only). */
  dueBy?: Date;
  published?: boolean;
  limit?: number;
}

/** The few fields the sweep and the due lists read of each open report, from its register entry (core/deadlines). */
export interface DueRow {
  id: string;
  platformId: string;
  state: OpenState;
  dueAt: Date;
  siteId: string | null;
  siteName: string | null;
  supervisingUnit: string | null;
}

/** The fields statistics read of each report in scope. */
export type StatRow = Pick<
  Complaint,
  'state' | 'receivedAt' | 'transferredAt' | 'transferOnTime' | 'answeredAt' | 'answerOnTime' | 'handlingDays' | 'dueAt' | 'publishedAt'
> & { siteId: string | null; siteName: string | null; hostUnit: string | null };

/** A person a reminder goes to: who they are (core/audit.ts) and the language they read. */
export interface PersonRef extends Who {
  locale: string;
}

/** Who answers for which site and unit, resolved in one query per role kind, never per site. */
export interface Responsible {
  siteAdmins: Map<string, PersonRef[]>;
  supervisors: Map<string, PersonRef[]>;
  provinceAdmins: PersonRef[];
}

export type InsertOutcome = { inserted: string[]; duplicates: string[] };

/** The storage of error reports; every write of an existing report is one version-guarded document write. */
export interface ComplaintRepo {
  /** By our id or by the platform id. */
  byRef(ref: string): Promise<Complaint | undefined>;
  /** Which of these platform ids are already stored. */
  existingPlatformIds(ids: string[]): Promise<Set<string>>;
  /** Inserts new reports; a platform id stored meanwhile (unique index) comes back in `duplicates`. */
  insertMany(list: NewComplaint[]): Promise<InsertOutcome>;
  /**
   * Writes `next` if the stored version is still `next.version - 1`; false when someone else wrote first. The
   * register of open deadlines follows the write (set on open, cleared on close); so does `insertMany`.
   */
  save(next: Complaint): Promise<boolean>;
  list(q: ComplaintQuery): Promise<Complaint[]>;
  statRows(q: ComplaintQuery): Promise<StatRow[]>;
  /** Sites named by 网站标识码 or domain, in bulk; the map is keyed by every ref that matched. */
  sitesByRefs(refs: string[]): Promise<Map<string, Site>>;
  responsible(siteIds: string[], unitCodes: string[], withProvinceAdmins: boolean): Promise<Responsible>;
}
