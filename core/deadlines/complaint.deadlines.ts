import type { DueRow } from '../complaints/complaint.ports';
import { isOpenState, stageOf, type Audience, type Complaint, type OpenState } from '../complaints/complaint.types';
import { deadlineId, type OpenDeadline } from './deadline.types';

/** The stages an error report can have a deadline for: at most one of them runs at a time. */
export const COMPLAINT_STAGES = ['transfer', 'answer'] as const;

/** Every register key an error report may hold: what a sync sets or clears. */
export const complaintDeadlineKeys = (complaintId: string): string[] => COMPLAINT_STAGES.map((s) => deadlineId('complaint', complaintId, s));

/**
 * Who acts on an open report: the supervisors of the site's supervising unit transfer, the site's admins
 * answer, province admins assign the unmatched; nobody (null) when the report lacks the site it needs.
 */
export function complaintActor(state: OpenState, site: Complaint['site']): Audience | null {
  if (state === 'unmatched') return { kind: 'province_admins' };
  if (!site) return null;
  return state === 'transferred' ? { kind: 'site_admins', siteId: site.id } : { kind: 'supervisors', unitCode: site.supervisingUnit };
}

/**
 * The register entries an error report should have, from the report alone: its running deadline (transfer
 * while unmatched or received, answer while transferred), none once answered or closed. Pure, so the write
 * path, the repair job and the backfill all agree, and applying it twice changes nothing.
 */
export function complaintOpenDeadlines(c: Pick<Complaint, 'id' | 'platformId' | 'state' | 'dueAt' | 'site' | 'version'>): OpenDeadline[] {
  if (!isOpenState(c.state) || !c.dueAt) return [];
  const stage = stageOf(c.state);
  return [
    {
      id: deadlineId('complaint', c.id, stage),
      kind: 'complaint',
      subjectId: c.id,
      stage,
      state: c.state,
      ref: c.platformId,
      dueAt: c.dueAt,
      siteId: c.site?.id ?? null,
      siteName: c.site?.name ?? null,
      unitCode: c.site?.supervisingUnit ?? null,
      scopeUnits: c.site?.scopeUnits ?? [],
      acts: complaintActor(c.state, c.site),
      version: c.version,
    },
  ];
}

/** A register entry of an error report as the sweep and the due lists read it. */
export const toDueRow = (d: Pick<OpenDeadline, 'subjectId' | 'ref' | 'state' | 'dueAt' | 'siteId' | 'siteName' | 'unitCode'>): DueRow => ({
  id: d.subjectId,
  platformId: d.ref,
  state: d.state as OpenState,
  dueAt: d.dueAt,
  siteId: d.siteId,
  siteName: d.siteName,
  supervisingUnit: d.unitCode,
});
