/**
 * The daily website inspection (art. 28) and the national check's veto lines (国办秘函〔2019〕19号, see
 * ../shared/reference/gov-website-rules.md §1). These are the shapes shared by the fetcher (inspect/), the
 * rules (core/inspection), the store, the jobs and the surfaces (chat, REST, CLI, mini-program).
 * Dates of publication are civil dates in China time, `YYYY-MM-DD`.
 */

/**
 * A key column's kind, which sets how long it may go without a new item:
 * `news` 动态/要闻 (14 days), `notice` 通知公告 and `policy` 政策文件 (6 months), `other` (1 year by default).
 */
export const COLUMN_KINDS = ['news', 'notice', 'policy', 'other'] as const;
export type ColumnKind = (typeof COLUMN_KINDS)[number];

/** A key column of a site: where it is, what kind, and whether the site admin confirmed it (discovered ones start unconfirmed). */
export interface InspectionColumn {
  url: string;
  kind: ColumnKind;
  name?: string;
  confirmed: boolean;
}

/** What the inspection checks on one site; kept beside the registry, one per site. */
export interface InspectionProfile {
  siteId: string;
  /** `http://` or `https://` URLs on the site's registered domains; by default `https://<first domain>/`. */
  homeUrls: string[];
  columns: InspectionColumn[];
  /** Probes a day (default 20), evenly spaced from `offsetMinutes` after China midnight. */
  probesPerDay: number;
  offsetMinutes: number;
  /** How deep the broken-link crawl goes below the home page (default 1: the home page and the pages it links to). */
  crawlDepth: number;
  enabled: boolean;
  updatedAt?: Date;
  updatedBy?: string;
}

/** How one availability probe ended. `blocked`: the address is refused by the SSRF guard (not the site's fault, but not a pass). */
export const PROBE_OUTCOMES = ['ok', 'timeout', 'dns', 'refused', 'tls', 'http', 'blocked', 'error'] as const;
export type ProbeOutcome = (typeof PROBE_OUTCOMES)[number];

/** One availability probe of a site's home page (15 s limit by default). */
export interface ProbeResult {
  siteId: string;
  url: string;
  at: Date;
  outcome: ProbeOutcome;
  /** The HTTP status when one arrived (`http` outcome: ≥ 400). */
  status?: number;
  /** Time to the first byte of the response, and to its end (or to the failure). */
  ttfbMs?: number;
  totalMs: number;
  /** A short technical reason for a failure (never a secret). */
  detail?: string;
}

/** The elements a government home page must carry (national rules §1, art. 20). */
export const REQUIRED_ELEMENTS = ['error_report_entry', 'party_gov_mark', 'site_id_code', 'icp_record', 'police_record', 'host_unit', 'contact'] as const;
export type RequiredElement = (typeof REQUIRED_ELEMENTS)[number];

export interface ElementMismatch {
  element: RequiredElement;
  expected: string;
  found: string;
}

/** What the crawler read on the home page about required elements. */
export interface ElementFindings {
  missing: RequiredElement[];
  mismatched: ElementMismatch[];
  /** What was found, for the report (e.g. `{site_id_code: '1301000001', icp_record: '冀ICP备…'}`). */
  found: Partial<Record<RequiredElement, string>>;
}

/** A link that does not work: where it points, the page it sits on, and its status (an HTTP code, or a probe outcome such as `timeout`). */
export interface BrokenLink {
  url: string;
  page: string;
  status: number | ProbeOutcome;
}

/** The freshness of one page (home page or column): its newest publication date, and whether it is blank (no items at all). */
export interface PageFreshness {
  url: string;
  /** False when the page could not be fetched or is not HTML; then the dates below are unknown. */
  fetched: boolean;
  status?: number | ProbeOutcome;
  lastUpdate?: string;
  /** Dated items found (list items, PubDate metas). */
  items: number;
  blank: boolean;
}

/** A column found in the home page's navigation, for the site admin to confirm. */
export interface DiscoveredColumn {
  url: string;
  name: string;
  kind: ColumnKind;
}

/** What one crawl of a site produced (inspect/ → store): the raw facts, before the rules judge them. */
export interface CrawlResult {
  siteId: string;
  at: Date;
  homepage: PageFreshness;
  columns: Array<PageFreshness & { kind: ColumnKind; name?: string }>;
  brokenLinks: BrokenLink[];
  elements: ElementFindings;
  discovered: DiscoveredColumn[];
  /** Pages fetched and links checked, for the report and the benchmark. */
  pages: number;
  links: number;
  durationMs: number;
}

/** Deployment settings of the inspection (config `inspection.*`), with the national defaults. */
export interface InspectionSettings {
  probesPerDay: number;
  probeTimeoutMs: number;
  /** Days a column of each kind may go without a new item. */
  columnLimitDays: Record<ColumnKind, number>;
  /** The home page's limit (14 days). */
  homepageLimitDays: number;
  /** A column is "close to its limit" this many days before it. */
  nearLimitDays: number;
  /** All probes failing this long while `online` and uncovered → 疑似未经审批关停. */
  downAlertMinutes: number;
  /** Veto lines of the national check. */
  veto: { failureRatio: number; minProbesPerDay: number; staleNewsColumns: number; staleColumns: number; blankColumns: number };
}

export const DEFAULT_INSPECTION_SETTINGS: InspectionSettings = {
  probesPerDay: 20,
  probeTimeoutMs: 15_000,
  columnLimitDays: { news: 14, notice: 183, policy: 183, other: 365 },
  homepageLimitDays: 14,
  nearLimitDays: 3,
  downAlertMinutes: 120,
  veto: { failureRatio: 0.05, minProbesPerDay: 20, staleNewsColumns: 5, staleColumns: 10, blankColumns: 5 },
};

/** A column as judged: days since its last update against its limit. */
export interface JudgedColumn {
  url: string;
  name?: string;
  kind: ColumnKind;
  lastUpdate?: string;
  daysSince?: number;
  limitDays: number;
  stale: boolean;
  blank: boolean;
  nearLimit: boolean;
}

export interface AvailabilityFigures {
  probes: number;
  failed: number;
  ratio: number;
}

export type VetoReason = 'availability' | 'homepage_stale' | 'news_columns_stale' | 'columns_stale' | 'columns_blank';

/** The inspection report of one site (core/inspection judges a crawl and the probes): what every surface shows. */
export interface InspectionReport {
  siteId: string;
  siteName: string;
  at: Date;
  availability: { today: AvailabilityFigures; week: AvailabilityFigures; veto: boolean };
  homepage: { url: string; lastUpdate?: string; daysSince?: number; stale: boolean };
  columns: JudgedColumn[];
  brokenLinks: BrokenLink[];
  elements: { missing: RequiredElement[]; mismatched: ElementMismatch[] };
  veto: VetoReason[];
}

/** Alerts that meet the workflows (art. 14, 37): what no commercial monitor can say. */
export type InspectionAlertKind =
  /** Every probe failed for `downAlertMinutes`, the registry says online, and no approved offline or filed emergency shutdown covers now. */
  | 'suspected_unapproved_shutdown'
  /** Still down after an approved offline window ended. */
  | 'not_restored_after_window'
  /** A veto line is reached: sent at once, not in the digest. */
  | 'veto_risk';
