import { z } from 'zod';
import type { AnnualReportDraft } from '../annual-report/annual-report.types';

const nullableInt = z.number().int().nullable();

export const annualReportDto = z.object({
  site: z.object({ id: z.string(), name: z.string(), ref: z.string(), hostUnitName: z.string() }),
  year: z.number().int(),
  complaints: z.object({
    received: z.number().int(),
    transferred: z.number().int(),
    transferredOnTime: z.number().int(),
    answered: z.number().int(),
    answeredOnTime: z.number().int(),
    onTimeRate: z.number().nullable(),
    untrue: z.number().int(),
    published: z.number().int(),
    meanHandlingDays: z.number().nullable(),
  }),
  monthly: z.array(z.object({ month: z.number().int(), received: z.number().int(), answered: z.number().int(), answeredOnTime: z.number().int(), onTimeRate: z.number().nullable() })),
  requests: z.object({
    changeRecords: z.number().int(),
    tempOffline: z.number().int(),
    emergencyShutdowns: z.number().int(),
    offlineDays: z.number().int(),
    offlinePeriods: z.array(z.object({ requestId: z.string(), type: z.enum(['temp_offline', 'emergency_shutdown']), start: z.string(), end: z.string(), days: z.number().int() })),
  }),
  checks: z.object({ checks: z.number().int(), findings: z.number().int(), rectified: z.number().int() }),
  obligations: z.object({ securitySelfChecks: z.number().int(), specialMeeting: z.boolean() }),
  /** Supervisors' notices asking the site's admins for acknowledgement (core/annual-report/annual-report.notices.ts). */
  notices: z.object({ received: z.number().int(), acknowledged: z.number().int(), acknowledgedOnTime: z.number().int(), ackRate: z.number().nullable(), onTimeRate: z.number().nullable() }),
  /** The daily inspection (art. 28): availability over the year, broken links of the latest crawl. */
  inspection: z.object({
    probes: z.number().int(),
    failedProbes: z.number().int(),
    availability: z.number().nullable(),
    linksInspectedAt: z.string().nullable(),
    linksChecked: nullableInt,
    brokenLinks: nullableInt,
    homepageBrokenLinks: nullableInt,
    otherBrokenLinks: nullableInt,
  }),
  figures: z.object({ itemsPublished: nullableInt, visits: nullableInt, services: nullableInt, serviceVolume: nullableInt, interviews: nullableInt, surveys: nullableInt, specialTopics: nullableInt }),
  figuresUpdatedAt: z.string().nullable(),
  figuresUpdatedBy: z.string().nullable(),
  /** Where the files are, under the API prefix (the chat answer points here). */
  downloads: z.object({ xlsx: z.string(), pdf: z.string() }),
});
export type AnnualReportDTO = z.infer<typeof annualReportDto>;

export function presentAnnualReport(d: AnnualReportDraft, apiPrefix = '/api/v1'): AnnualReportDTO {
  const f = d.figures;
  const base = `${apiPrefix}/annual-reports/${encodeURIComponent(d.site.ref)}/${d.year}`;
  return {
    site: { id: d.site.id, name: d.site.name, ref: d.site.ref, hostUnitName: d.site.hostUnitName },
    year: d.year,
    complaints: { ...d.complaints },
    monthly: d.monthly.map((m) => ({ ...m })),
    requests: { ...d.requests, offlinePeriods: d.requests.offlinePeriods.map((p) => ({ ...p })) },
    checks: { ...d.checks },
    obligations: { ...d.obligations },
    notices: { ...d.notices },
    inspection: { ...d.inspection, linksInspectedAt: d.inspection.linksInspectedAt ? d.inspection.linksInspectedAt.toISOString() : null },
    figures: {
      itemsPublished: f.itemsPublished ?? null,
      visits: f.visits ?? null,
      services: f.services ?? null,
      serviceVolume: f.serviceVolume ?? null,
      interviews: f.interviews ?? null,
      surveys: f.surveys ?? null,
      specialTopics: f.specialTopics ?? null,
    },
    figuresUpdatedAt: d.figuresUpdatedAt ? d.figuresUpdatedAt.toISOString() : null,
    figuresUpdatedBy: d.figuresUpdatedBy,
    downloads: { xlsx: `${base}/xlsx`, pdf: `${base}/pdf` },
  };
}
