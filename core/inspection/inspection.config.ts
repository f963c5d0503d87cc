import { z } from 'zod';
import { parseHhmm } from '../calendar/civil-date';
import { DEFAULT_INSPECTION_SETTINGS, type InspectionSettings } from './inspection.types';

/**
 * When and how hard the inspection jobs work (jobs/inspection-*.job.ts): the nightly crawl window in China
 * time, the concurrency limits (a deployment of 14,000 sites must not open 14,000 connections at once, and one
 * host must not be hammered), how long probe records are kept.
 */
export interface InspectionSchedule {
  /** Crawls run between these China times (`HH:MM`); the window may pass midnight (`23:00`–`05:00`). */
  crawlFrom: string;
  crawlTo: string;
  /** Probes and crawl fetches in flight at once, in one instance. */
  globalConcurrency: number;
  /** …and to one host. */
  perHostConcurrency: number;
  /** A probe slot missed by more than this (no instance ran) is skipped, not probed late. */
  probeCatchUpMinutes: number;
  /** Probe records older than this many days are pruned (the veto line looks back 7). */
  keepProbeDays: number;
}

export const DEFAULT_INSPECTION_SCHEDULE: InspectionSchedule = {
  crawlFrom: '01:00',
  crawlTo: '05:00',
  globalConcurrency: 32,
  perHostConcurrency: 2,
  probeCatchUpMinutes: 10,
  keepProbeDays: 10,
};

export interface InspectionConfig {
  settings: InspectionSettings;
  schedule: InspectionSchedule;
}

export const DEFAULT_INSPECTION_CONFIG: InspectionConfig = { settings: DEFAULT_INSPECTION_SETTINGS, schedule: DEFAULT_INSPECTION_SCHEDULE };

const days = z.number().int().min(1).max(3650);
const hhmm = z.string().refine((v) => {
  try {
    parseHhmm(v);
    return true;
  } catch {
    return false;
  }
}, 'like 01:00 (China time)');

/**
 * `STEWARD_INSPECTION`: a JSON object whose every part is optional and keeps its national default, e.g.
 * `{"probesPerDay":24,"columnLimitDays":{"other":180},"downAlertMinutes":60,"crawlFrom":"00:30"}`.
 */
const inspectionConfigSchema = z
  .object({
    probesPerDay: z.number().int().min(1).max(1440).optional(),
    probeTimeoutMs: z.number().int().min(1000).max(120_000).optional(),
    columnLimitDays: z.object({ news: days.optional(), notice: days.optional(), policy: days.optional(), other: days.optional() }).strict().optional(),
    homepageLimitDays: days.optional(),
    nearLimitDays: z.number().int().min(0).max(365).optional(),
    downAlertMinutes: z.number().int().min(5).max(10_080).optional(),
    veto: z
      .object({
        failureRatio: z.number().min(0).max(1).optional(),
        minProbesPerDay: z.number().int().min(1).max(1440).optional(),
        staleNewsColumns: z.number().int().min(1).optional(),
        staleColumns: z.number().int().min(1).optional(),
        blankColumns: z.number().int().min(1).optional(),
      })
      .strict()
      .optional(),
    crawlFrom: hhmm.optional(),
    crawlTo: hhmm.optional(),
    globalConcurrency: z.number().int().min(1).max(1000).optional(),
    perHostConcurrency: z.number().int().min(1).max(100).optional(),
    probeCatchUpMinutes: z.number().int().min(0).max(1440).optional(),
    keepProbeDays: z.number().int().min(8).max(400).optional(),
  })
  .strict();

/** The deployment's inspection settings from `STEWARD_INSPECTION` (JSON), defaults when empty; throws a readable error on a typo. */
export function parseInspectionConfig(text: string | undefined): InspectionConfig {
  if (!text || !text.trim()) return DEFAULT_INSPECTION_CONFIG;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error('STEWARD_INSPECTION is not valid JSON');
  }
  const parsed = inspectionConfigSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`STEWARD_INSPECTION: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const v = parsed.data;
  const d = DEFAULT_INSPECTION_SETTINGS;
  const s = DEFAULT_INSPECTION_SCHEDULE;
  const settings: InspectionSettings = {
    probesPerDay: v.probesPerDay ?? d.probesPerDay,
    probeTimeoutMs: v.probeTimeoutMs ?? d.probeTimeoutMs,
    columnLimitDays: { ...d.columnLimitDays, ...stripUndefined(v.columnLimitDays ?? {}) },
    homepageLimitDays: v.homepageLimitDays ?? d.homepageLimitDays,
    nearLimitDays: v.nearLimitDays ?? d.nearLimitDays,
    downAlertMinutes: v.downAlertMinutes ?? d.downAlertMinutes,
    veto: { ...d.veto, ...stripUndefined(v.veto ?? {}) },
  };
  const schedule: InspectionSchedule = {
    crawlFrom: v.crawlFrom ?? s.crawlFrom,
    crawlTo: v.crawlTo ?? s.crawlTo,
    globalConcurrency: v.globalConcurrency ?? s.globalConcurrency,
    perHostConcurrency: v.perHostConcurrency ?? s.perHostConcurrency,
    probeCatchUpMinutes: v.probeCatchUpMinutes ?? s.probeCatchUpMinutes,
    keepProbeDays: v.keepProbeDays ?? s.keepProbeDays,
  };
  return { settings, schedule };
}

function stripUndefined<T extends object>(o: T): { [K in keyof T]-?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]-?: Exclude<T[K], undefined> };
}
