import type { Who } from '../audit';

/** What a checker may record per finding (art. 32 checks follow the national 单项否决 / 扣分 scheme). */
export const FINDING_CATEGORIES = ['veto', 'deduction', 'other'] as const;
export type FindingCategory = (typeof FINDING_CATEGORIES)[number];

/** One problem the checker found on a site; the site admin acknowledges it, then reports its rectification. */
export interface Finding {
  /** 1, 2, 3… within the site's check: what people type in chat. */
  no: number;
  category: FindingCategory;
  text: string;
  by: Who;
  at: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: Who | null;
  rectifiedAt: Date | null;
  rectifiedBy: Who | null;
  rectificationNote: string | null;
}

/** `pending`: not yet checked; `checked`: the checker is done (with or without findings); `closed`: the supervisor closed it. */
export const CHECK_STATUSES = ['pending', 'checked', 'closed'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** The site as the check remembers it (copied, so progress needs no join). */
export interface CheckSite {
  id: string;
  name: string;
  ref: string;
  hostUnit: string;
  supervisingUnit: string;
}

/** One site's check within a campaign: `id` is `<campaignId>:<siteId>`. Every write is version-guarded. */
export interface SiteCheck {
  id: string;
  campaignId: string;
  unitCode: string;
  period: string;
  dueDate: string;
  site: CheckSite;
  scopeUnits: string[];
  status: CheckStatus;
  findings: Finding[];
  checkedAt: Date | null;
  checkedBy: Who | null;
  closedAt: Date | null;
  closedBy: Who | null;
  version: number;
  updatedAt: Date;
}

/** The quarterly full content check (art. 32) a supervising unit runs over its sites; `id` is `<unit>:<period>`. */
export interface Campaign {
  id: string;
  unitCode: string;
  unitName: string;
  /** `2026-Q4`: the quarter checked. */
  period: string;
  /** `subtree`: every site the unit supervises; `direct`: the sites whose supervising unit it is (auto-opened). */
  scope: 'subtree' | 'direct';
  /** The end of the publication month (art. 32), China-local day. */
  dueDate: string;
  openedAt: Date;
  openedBy: Who;
  siteCount: number;
}

export type CheckEvent =
  | { type: 'finding'; by: Who; category: FindingCategory; text: string }
  | { type: 'pass'; by: Who }
  | { type: 'acknowledge'; by: Who; no: number }
  | { type: 'rectify'; by: Who; no: number; note: string }
  | { type: 'close'; by: Who };

export type CheckEventType = CheckEvent['type'];
export const CHECK_EVENTS: readonly CheckEventType[] = ['finding', 'pass', 'acknowledge', 'rectify', 'close'];

/**
 * What a check's transition sends on (core/workflow.ts): closing a check may complete its campaign, whose
 * completion acknowledges the unit's quarterly check (campaign.service.ts `acknowledgeIfComplete`).
 */
export type CheckEffect = { kind: 'complete_campaign'; campaignId: string };
