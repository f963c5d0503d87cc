import { z } from 'zod';
import type { NoticePeople } from '../notices/notice.types';
import { strictInt } from '../strict-input';

const count = strictInt({ min: 0, max: 1e13, message: 'annual_report_figure_invalid' });

/**
 * The figures of art. 36 the system cannot know and the site admin enters: items published, total visits,
 * services offered and their volume, online interviews, surveys, special topics. Each may be entered alone.
 */
export const annualFiguresSchema = z
  .object({
    itemsPublished: count,
    visits: count,
    services: count,
    serviceVolume: count,
    interviews: count,
    surveys: count,
    specialTopics: count,
  })
  .partial()
  .strict();
export type AnnualFigures = z.output<typeof annualFiguresSchema>;
export const FIGURE_KEYS = Object.keys(annualFiguresSchema.shape) as (keyof AnnualFigures)[];

/** The entered figures as stored: one document per site and year, every write version-guarded. */
export interface StoredFigures {
  siteId: string;
  year: number;
  figures: AnnualFigures;
  version: number;
  updatedAt: Date;
  updatedBy: { userid: string; name: string };
}

/** What the annual report needs of a site's requests (art. 13–17) in a year. */
export interface RequestRow {
  id: string;
  type: 'opening' | 'change_record' | 'temp_offline' | 'emergency_shutdown' | 'closure';
  status: string;
  start: string | null;
  end: string | null;
}

export interface AnnualReportRepo {
  getFigures(siteId: string, year: number): Promise<StoredFigures | undefined>;
  /** Merges `patch` into the stored figures (creating them), as one exactly-once versioned write. */
  saveFigures(siteId: string, year: number, patch: AnnualFigures, by: { userid: string; name: string }, now: Date): Promise<StoredFigures>;
  /** The site's requests counted in `year`, in one query. */
  requestRows(siteId: string, year: number): Promise<RequestRow[]>;
  /**
   * Notices asking for acknowledgement that went out in [from, before) to at least one of the site's admins,
   * with those admins and their acknowledgements (store/notice-stats.repo.ts).
   */
  noticeAckRows(siteId: string, from: Date, before: Date): Promise<NoticeAckRow[]>;
}

/** One notice that asked for acknowledgement, as seen from one site: what the notice figures are counted from. */
export interface NoticeAckRow {
  id: string;
  /** When it went out: its publication, or its creation while still publishing. */
  sentAt: Date;
  /** Whom it addressed (see core/notices resolveAudience): the sender's subtree (`unitCode`) or selected units. */
  audience: { people: NoticePeople; units: string[] };
  unitCode: string | null;
  /** The site's admins it was sent to (its stored `notice:<id>` messages). */
  recipients: string[];
  /** Acknowledgements by the site's admins, whenever made. */
  acks: { userid: string; at: Date }[];
}

/**
 * The site's record with supervisors' notices (通知/通报) of the year: those asking for acknowledgement
 * that reached its admins, how many of them the site acknowledged, and how many on time (see
 * annual-report.notices.ts for the exact rule).
 */
export interface NoticeFigures {
  received: number;
  acknowledged: number;
  acknowledgedOnTime: number;
  /** acknowledged / received, 0–1; null when none was received. */
  ackRate: number | null;
  /** acknowledged on time / received, 0–1; null when none was received. */
  onTimeRate: number | null;
}

export interface MonthFigures {
  month: number;
  received: number;
  answered: number;
  answeredOnTime: number;
  /** answered on time / answered, 0–1; null when nothing received that month was answered. */
  onTimeRate: number | null;
}

export interface OfflinePeriod {
  requestId: string;
  type: 'temp_offline' | 'emergency_shutdown';
  start: string;
  end: string;
  /** Days within the report year. */
  days: number;
}

/**
 * The daily inspection's figures for the year (art. 28; the national table's 网站可用性): 首页可用性 from every
 * probe of the year, 链接可用性 from the latest crawl (its date says which). Null where nothing was measured.
 */
export interface InspectionFigures {
  probes: number;
  failedProbes: number;
  /** Probes that opened the home page / all probes, 0–1; null without probes. */
  availability: number | null;
  /** When the broken links below were counted (the latest crawl); null when the site was never crawled. */
  linksInspectedAt: Date | null;
  linksChecked: number | null;
  brokenLinks: number | null;
  /** Broken links on the home page, and on the other pages (the national table counts them apart). */
  homepageBrokenLinks: number | null;
  otherBrokenLinks: number | null;
}

export const NO_INSPECTION_FIGURES: InspectionFigures = {
  probes: 0,
  failedProbes: 0,
  availability: null,
  linksInspectedAt: null,
  linksChecked: null,
  brokenLinks: null,
  homepageBrokenLinks: null,
  otherBrokenLinks: null,
};

/** The annual report draft of one site and year: the system's own data plus what the admin entered. */
export interface AnnualReportDraft {
  site: { id: string; name: string; ref: string; hostUnit: string; hostUnitName: string };
  year: number;
  generatedAt: Date;
  complaints: {
    received: number;
    transferred: number;
    transferredOnTime: number;
    answered: number;
    answeredOnTime: number;
    onTimeRate: number | null;
    untrue: number;
    published: number;
    meanHandlingDays: number | null;
  };
  monthly: MonthFigures[];
  requests: { changeRecords: number; tempOffline: number; emergencyShutdowns: number; offlineDays: number; offlinePeriods: OfflinePeriod[] };
  checks: { checks: number; findings: number; rectified: number };
  obligations: { securitySelfChecks: number; specialMeeting: boolean };
  /** Supervisors' notices that asked the site's admins for acknowledgement. */
  notices: NoticeFigures;
  /** The daily inspection: availability over the year and the latest broken links (art. 28). */
  inspection: InspectionFigures;
  figures: AnnualFigures;
  figuresUpdatedAt: Date | null;
  figuresUpdatedBy: string | null;
}
