import { z } from 'zod';
import { chinaDateOf, dayNumberOf, formatDayNumber } from '../calendar/civil-date';
import { COLUMN_KINDS, REQUIRED_ELEMENTS, type InspectionProfile, type InspectionReport, type ProbeResult, type VetoReason } from '../inspection/inspection.types';
import type { Site } from '../registry/types';

/**
 * The inspection (art. 28) as every surface shows it — chat, REST, CLI, xlsx, mini-program — from one report.
 * The problems are numbered here, once, so `巡检报告` and the supervisor's `巡检转问题 <site> <no>` agree on
 * what number 3 is.
 */

export const VETO_REASONS = ['availability', 'homepage_stale', 'news_columns_stale', 'columns_stale', 'columns_blank'] as const satisfies readonly VetoReason[];

const figuresDto = z.object({ probes: z.number().int(), failed: z.number().int(), ratio: z.number() });
const siteRefDto = z.object({ id: z.string(), name: z.string(), ref: z.string() });

export const judgedColumnDto = z.object({
  url: z.string(),
  name: z.string().nullable(),
  kind: z.enum(COLUMN_KINDS),
  lastUpdate: z.string().nullable(),
  daysSince: z.number().int().nullable(),
  limitDays: z.number().int(),
  stale: z.boolean(),
  blank: z.boolean(),
  nearLimit: z.boolean(),
});
export type JudgedColumnDTO = z.infer<typeof judgedColumnDto>;

export const brokenLinkDto = z.object({ url: z.string(), page: z.string(), status: z.union([z.number().int(), z.string()]) });
export type BrokenLinkDTO = z.infer<typeof brokenLinkDto>;

export const PROBLEM_TYPES = ['veto', 'homepage_stale', 'column_stale', 'column_blank', 'broken_link', 'element_missing', 'element_mismatch'] as const;
export type ProblemType = (typeof PROBLEM_TYPES)[number];

/** One problem of a report, numbered; `params` fill its text (`bot:inspect_view.problem.<type>`). */
export const problemDto = z.object({
  no: z.number().int(),
  type: z.enum(PROBLEM_TYPES),
  /** A veto line of the national check: it becomes a 单项否决 finding, every other problem a 扣分 one. */
  veto: z.boolean(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type ProblemDTO = z.infer<typeof problemDto>;

export const inspectionReportDto = z.object({
  site: siteRefDto,
  at: z.string(),
  availability: z.object({ today: figuresDto, week: figuresDto, veto: z.boolean() }),
  homepage: z.object({ url: z.string(), lastUpdate: z.string().nullable(), daysSince: z.number().int().nullable(), stale: z.boolean() }),
  columns: z.array(judgedColumnDto),
  brokenLinks: z.array(brokenLinkDto),
  elements: z.object({
    missing: z.array(z.enum(REQUIRED_ELEMENTS)),
    mismatched: z.array(z.object({ element: z.enum(REQUIRED_ELEMENTS), expected: z.string(), found: z.string() })),
  }),
  veto: z.array(z.enum(VETO_REASONS)),
  counts: z.object({ staleColumns: z.number().int(), blankColumns: z.number().int(), nearLimitColumns: z.number().int(), brokenLinks: z.number().int() }),
  problems: z.array(problemDto),
});
export type InspectionReportDTO = z.infer<typeof inspectionReportDto>;

export const siteRefOf = (site: Pick<Site, 'id' | 'name' | 'code' | 'domains'>) => ({ id: site.id, name: site.name, ref: site.code ?? site.domains[0] ?? site.id });

const kindLabel = (c: { name?: string; url: string }) => c.name ?? c.url;

/** Every problem of a report in a fixed order: veto lines, then the home page, columns, links, elements. */
export function problemsOf(r: InspectionReport): ProblemDTO[] {
  const out: Omit<ProblemDTO, 'no'>[] = [];
  const stale = r.columns.filter((c) => c.stale);
  const blank = r.columns.filter((c) => c.blank);
  for (const reason of VETO_REASONS.filter((v) => r.veto.includes(v))) {
    const params: Record<string, string | number> = { reason };
    if (reason === 'availability') Object.assign(params, { failed: r.availability.week.failed, probes: r.availability.week.probes, percent: percent(r.availability.week.ratio) });
    if (reason === 'homepage_stale') Object.assign(params, { days: r.homepage.daysSince ?? '—', lastUpdate: r.homepage.lastUpdate ?? '—' });
    if (reason === 'news_columns_stale') Object.assign(params, { count: stale.filter((c) => c.kind !== 'other').length });
    if (reason === 'columns_stale') Object.assign(params, { count: stale.length });
    if (reason === 'columns_blank') Object.assign(params, { count: blank.length });
    out.push({ type: 'veto', veto: true, params });
  }
  if (r.homepage.stale && !r.veto.includes('homepage_stale')) out.push({ type: 'homepage_stale', veto: false, params: { url: r.homepage.url, days: r.homepage.daysSince ?? '—', lastUpdate: r.homepage.lastUpdate ?? '—' } });
  for (const c of stale) out.push({ type: 'column_stale', veto: false, params: { column: kindLabel(c), url: c.url, kind: c.kind, days: c.daysSince ?? '—', limit: c.limitDays, lastUpdate: c.lastUpdate ?? '—' } });
  for (const c of blank) out.push({ type: 'column_blank', veto: false, params: { column: kindLabel(c), url: c.url, kind: c.kind } });
  for (const l of r.brokenLinks) out.push({ type: 'broken_link', veto: false, params: { url: l.url, page: l.page, status: l.status } });
  for (const e of r.elements.missing) out.push({ type: 'element_missing', veto: false, params: { element: e } });
  for (const m of r.elements.mismatched) out.push({ type: 'element_mismatch', veto: false, params: { element: m.element, expected: m.expected, found: m.found } });
  return out.map((p, i) => ({ no: i + 1, ...p }));
}

/** A ratio as a percentage with one decimal, the way the national check writes its 5 % line. */
export const percent = (ratio: number) => `${(Math.round(ratio * 1000) / 10).toFixed(1)}%`;

export function presentInspectionReport(r: InspectionReport, site: Pick<Site, 'id' | 'name' | 'code' | 'domains'>): InspectionReportDTO {
  return {
    site: { ...siteRefOf(site), name: r.siteName || site.name },
    at: r.at.toISOString(),
    availability: { today: { ...r.availability.today }, week: { ...r.availability.week }, veto: r.availability.veto },
    homepage: { url: r.homepage.url, lastUpdate: r.homepage.lastUpdate ?? null, daysSince: r.homepage.daysSince ?? null, stale: r.homepage.stale },
    columns: r.columns.map((c) => ({
      url: c.url,
      name: c.name ?? null,
      kind: c.kind,
      lastUpdate: c.lastUpdate ?? null,
      daysSince: c.daysSince ?? null,
      limitDays: c.limitDays,
      stale: c.stale,
      blank: c.blank,
      nearLimit: c.nearLimit,
    })),
    brokenLinks: r.brokenLinks.map((l) => ({ url: l.url, page: l.page, status: l.status })),
    elements: { missing: [...r.elements.missing], mismatched: r.elements.mismatched.map((m) => ({ ...m })) },
    veto: VETO_REASONS.filter((v) => r.veto.includes(v)),
    counts: {
      staleColumns: r.columns.filter((c) => c.stale).length,
      blankColumns: r.columns.filter((c) => c.blank).length,
      nearLimitColumns: r.columns.filter((c) => c.nearLimit && !c.stale).length,
      brokenLinks: r.brokenLinks.length,
    },
    problems: problemsOf(r),
  };
}

export const dayAvailabilityDto = z.object({ date: z.string(), probes: z.number().int(), failed: z.number().int(), ratio: z.number() });
export type DayAvailabilityDTO = z.infer<typeof dayAvailabilityDto>;

/** A probe counts as failed unless it ended `ok` (a blocked probe is not the site's fault, but not a pass either). */
const failed = (p: Pick<ProbeResult, 'outcome'>) => p.outcome !== 'ok';

/**
 * Availability per China day over the `days` days ending today (today included), oldest first; a day without
 * probes shows 0 of 0, so a gap in probing is visible rather than hidden.
 */
export function availabilityByDay(probes: readonly Pick<ProbeResult, 'at' | 'outcome'>[], now: Date, days: number): DayAvailabilityDTO[] {
  const today = chinaDateOf(now);
  const dates = Array.from({ length: days }, (_, i) => formatDayNumber(dayNumberOf(today) + i - days + 1));
  const byDate = new Map(dates.map((d) => [d, { date: d, probes: 0, failed: 0, ratio: 0 }]));
  for (const p of probes) {
    const row = byDate.get(chinaDateOf(p.at));
    if (!row) continue;
    row.probes += 1;
    if (failed(p)) row.failed += 1;
  }
  return dates.map((d) => {
    const row = byDate.get(d)!;
    return { ...row, ratio: row.probes ? row.failed / row.probes : 0 };
  });
}

/** The sum of several days' figures. */
export function totalOf(days: readonly DayAvailabilityDTO[]): z.infer<typeof figuresDto> {
  const probes = days.reduce((n, d) => n + d.probes, 0);
  const failedCount = days.reduce((n, d) => n + d.failed, 0);
  return { probes, failed: failedCount, ratio: probes ? failedCount / probes : 0 };
}

export const profileDto = z.object({
  site: siteRefDto,
  homeUrls: z.array(z.string()),
  columns: z.array(z.object({ url: z.string(), kind: z.enum(COLUMN_KINDS), name: z.string().nullable(), confirmed: z.boolean() })),
  probesPerDay: z.number().int(),
  crawlDepth: z.number().int(),
  enabled: z.boolean(),
  stored: z.boolean(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type InspectionProfileDTO = z.infer<typeof profileDto>;

export function presentProfile(p: InspectionProfile, site: Pick<Site, 'id' | 'name' | 'code' | 'domains'>, stored: boolean): InspectionProfileDTO {
  return {
    site: siteRefOf(site),
    homeUrls: [...p.homeUrls],
    columns: p.columns.map((c) => ({ url: c.url, kind: c.kind, name: c.name ?? null, confirmed: c.confirmed })),
    probesPerDay: p.probesPerDay,
    crawlDepth: p.crawlDepth,
    enabled: p.enabled,
    stored,
    updatedAt: p.updatedAt ? p.updatedAt.toISOString() : null,
    updatedBy: p.updatedBy ?? null,
  };
}

export const overviewRowDto = z.object({
  site: siteRefDto,
  inspected: z.boolean(),
  at: z.string().nullable(),
  veto: z.array(z.enum(VETO_REASONS)),
  availability: figuresDto.nullable(),
  homepageDaysSince: z.number().int().nullable(),
  staleColumns: z.number().int(),
  blankColumns: z.number().int(),
  nearLimitColumns: z.number().int(),
  brokenLinks: z.number().int(),
  missingElements: z.number().int(),
});
export type OverviewRowDTO = z.infer<typeof overviewRowDto>;

/**
 * One row per site of a subtree, veto risks first (most veto lines first), then sites never inspected (an
 * unknown is a risk too), then the rest by most problems; names break ties so the order is stable.
 */
export function presentOverview(sites: readonly Site[], reports: readonly InspectionReport[]): OverviewRowDTO[] {
  const bySite = new Map(reports.map((r) => [r.siteId, r]));
  const rows = sites.map((s): OverviewRowDTO => {
    const r = bySite.get(s.id);
    if (!r) return { site: siteRefOf(s), inspected: false, at: null, veto: [], availability: null, homepageDaysSince: null, staleColumns: 0, blankColumns: 0, nearLimitColumns: 0, brokenLinks: 0, missingElements: 0 };
    return {
      site: siteRefOf(s),
      inspected: true,
      at: r.at.toISOString(),
      veto: VETO_REASONS.filter((v) => r.veto.includes(v)),
      availability: { ...r.availability.week },
      homepageDaysSince: r.homepage.daysSince ?? null,
      staleColumns: r.columns.filter((c) => c.stale).length,
      blankColumns: r.columns.filter((c) => c.blank).length,
      nearLimitColumns: r.columns.filter((c) => c.nearLimit && !c.stale).length,
      brokenLinks: r.brokenLinks.length,
      missingElements: r.elements.missing.length + r.elements.mismatched.length,
    };
  });
  const weight = (x: OverviewRowDTO) => x.staleColumns + x.blankColumns + x.brokenLinks + x.missingElements;
  const rank = (x: OverviewRowDTO) => (x.veto.length ? 0 : x.inspected ? 2 : 1);
  return rows.sort((a, b) => rank(a) - rank(b) || b.veto.length - a.veto.length || weight(b) - weight(a) || a.site.name.localeCompare(b.site.name, 'zh-CN'));
}
