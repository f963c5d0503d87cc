import type { CrawlResult, InspectionProfile, InspectionReport, ProbeResult } from './inspection.types';

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
  profileOf(siteId: string): Promise<InspectionProfile | undefined>;
  saveProfile(profile: InspectionProfile): Promise<void>;
  /** Records a probe once (a probe slot is `${siteId}:${slotStart ISO}`: two instances cannot both record it). */
  recordProbe(slot: string, result: ProbeResult): Promise<boolean>;
  probesSince(siteId: string, since: Date): Promise<ProbeResult[]>;
  /** The latest crawl of a site. */
  latestCrawl(siteId: string): Promise<CrawlResult | undefined>;
  saveCrawl(result: CrawlResult): Promise<void>;
  /** The latest judged report of each of these sites (for 巡检概况 and the digest). */
  latestReports(siteIds: string[]): Promise<InspectionReport[]>;
  saveReport(report: InspectionReport): Promise<void>;
}
