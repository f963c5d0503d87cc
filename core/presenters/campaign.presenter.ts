import { z } from 'zod';
import type { ProgressCounts, UnitProgress } from '../campaigns/campaign.progress';
import { CHECK_STATUSES, FINDING_CATEGORIES, type Campaign, type Finding, type SiteCheck } from '../campaigns/campaign.types';

export const campaignDto = z.object({
  id: z.string(),
  unit: z.object({ code: z.string(), name: z.string() }),
  period: z.string(),
  scope: z.enum(['subtree', 'direct']),
  dueDate: z.string(),
  openedAt: z.string(),
  openedBy: z.string(),
  siteCount: z.number().int(),
});
export type CampaignDTO = z.infer<typeof campaignDto>;

export const findingDto = z.object({
  no: z.number().int(),
  category: z.enum(FINDING_CATEGORIES),
  text: z.string(),
  by: z.string(),
  at: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  rectifiedAt: z.string().nullable(),
  rectifiedBy: z.string().nullable(),
  rectificationNote: z.string().nullable(),
});

export const checkDto = z.object({
  id: z.string(),
  campaignId: z.string(),
  period: z.string(),
  dueDate: z.string(),
  site: z.object({ id: z.string(), name: z.string(), ref: z.string() }),
  status: z.enum(CHECK_STATUSES),
  findings: z.array(findingDto),
  checkedBy: z.string().nullable(),
  closedAt: z.string().nullable(),
});
export type CheckDTO = z.infer<typeof checkDto>;

export const progressCountsDto = z.object({
  sites: z.number().int(),
  checked: z.number().int(),
  withFindings: z.number().int(),
  findings: z.number().int(),
  acknowledged: z.number().int(),
  rectified: z.number().int(),
  closed: z.number().int(),
  overdue: z.number().int(),
});
export const unitProgressDto = progressCountsDto.extend({ unit: z.object({ code: z.string(), name: z.string() }) });
export type ProgressCountsDTO = z.infer<typeof progressCountsDto>;
export type UnitProgressDTO = z.infer<typeof unitProgressDto>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentCampaign(c: Campaign): CampaignDTO {
  return { id: c.id, unit: { code: c.unitCode, name: c.unitName }, period: c.period, scope: c.scope, dueDate: c.dueDate, openedAt: c.openedAt.toISOString(), openedBy: c.openedBy.name, siteCount: c.siteCount };
}

const presentFinding = (f: Finding) => ({
  no: f.no,
  category: f.category,
  text: f.text,
  by: f.by.name,
  at: f.at.toISOString(),
  acknowledgedAt: iso(f.acknowledgedAt),
  acknowledgedBy: f.acknowledgedBy?.name ?? null,
  rectifiedAt: iso(f.rectifiedAt),
  rectifiedBy: f.rectifiedBy?.name ?? null,
  rectificationNote: f.rectificationNote,
});

export function presentCheck(c: SiteCheck): CheckDTO {
  return {
    id: c.id,
    campaignId: c.campaignId,
    period: c.period,
    dueDate: c.dueDate,
    site: { id: c.site.id, name: c.site.name, ref: c.site.ref },
    status: c.status,
    findings: c.findings.map(presentFinding),
    checkedBy: c.checkedBy?.name ?? null,
    closedAt: iso(c.closedAt),
  };
}

export const presentCounts = (p: ProgressCounts): ProgressCountsDTO => ({ ...p });

export function presentUnitProgress(p: UnitProgress, names: Map<string, string>): UnitProgressDTO {
  const { unitCode, ...counts } = p;
  return { unit: { code: unitCode, name: names.get(unitCode) ?? unitCode }, ...counts };
}
