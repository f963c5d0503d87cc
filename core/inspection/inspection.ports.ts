import type { AvailabilityFigures, CrawlResult, InspectionProfile, InspectionReport, InspectionSettings, ProbeResult } from './inspection.types';
import type { InspectionSchedule } from './inspection.config';

/** Progress of a crawl, for the shell's progress bar and the logs. */
export interface CrawlProgress {
  pages: number;
  links: number;
  /** What it is doing now (a URL). */
  current?: string;
}

/**
 * The website inspector (inspect/): the only code that fetches other people's websites. It fetches only the
 * site's registered domains and refuses loopback, private, link-local and metadata addresses unless
 * `STEWARD_INSPECT_RESOLVE` sends a host name elsewhere.
 */
export interface SiteInspector {
  /** One availability probe of a URL on the site's domains. Never throws for the site's faults: they are outcomes. */
  probe(siteId: string, url: string, domains: string[], opts?: { timeoutMs?: number }): Promise<ProbeResult>;
  /** Freshness of the home page and key columns, broken links to `crawlDepth`, required elements, discovered columns. */
  crawl(
    profile: InspectionProfile,
    site: { domains: string[]; code?: string; hostUnit: string; hostUnitName?: string },
    opts?: { onProgress?: (p: CrawlProgress) => void; signal?: AbortSignal },
  ): Promise<CrawlResult>;
}

/** Profiles, probe records and crawl results (store/inspection.repo.ts). */
export interface InspectionRepo {
  /** The deployment's rules (`STEWARD_INSPECTION`, validated at start; DEFAULT_INSPECTION_SETTINGS unless set). */
  readonly settings: InspectionSettings;
  /** When and how hard the jobs work (crawl window, concurrency limits). */
  readonly schedule: InspectionSchedule;
  profileOf(siteId: string): Promise<InspectionProfile | undefined>;
  /** Every saved profile (the probe job's one read; a site without one uses `defaultProfileFor`). */
  profiles(): Promise<InspectionProfile[]>;
  saveProfile(profile: InspectionProfile): Promise<void>;
  /** Records a probe once (a probe slot is `${siteId}:${slotStart ISO}`: two instances cannot both record it). */
  recordProbe(slot: string, result: ProbeResult): Promise<boolean>;
  /** Claims a probe slot before probing, so of two instances only one fetches it; false when another has. */
  claimProbe(slot: string, by: string): Promise<boolean>;
  /** Deletes the probe records of these sites' China days before `beforeDay` (`YYYY-MM-DD`), looking back `days` days. */
  pruneProbes(siteIds: readonly string[], beforeDay: string, days: number): Promise<number>;
  /**
   * Claims tonight's crawl of a site until `until` (the end of the crawl window): false when a claim of another
   * run still holds. A crawl that died keeps its claim; the site is crawled the next night.
   */
  claimCrawl(siteId: string, now: Date, until: Date): Promise<boolean>;
  probesSince(siteId: string, since: Date): Promise<ProbeResult[]>;
  /** Probes and failures of a whole China year (kept after the probe records are pruned): the annual report's 首页可用性. */
  yearAvailability(siteId: string, year: number): Promise<AvailabilityFigures>;
  /** The latest crawl of a site. */
  latestCrawl(siteId: string): Promise<CrawlResult | undefined>;
  saveCrawl(result: CrawlResult): Promise<void>;
  /** The latest judged report of each of these sites (for 巡检概况 and the digest). */
  latestReports(siteIds: string[]): Promise<InspectionReport[]>;
  saveReport(report: InspectionReport): Promise<void>;
}
