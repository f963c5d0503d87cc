import type { Campaign, SiteCheck } from './campaign.types';

/** Storage of campaigns and their per-site checks. Every change of a check is one version-guarded document write. */
export interface CampaignRepo {
  /** Inserts the campaign under its unique id; when it exists already, returns the stored one and `created: false`. */
  createCampaign(c: Campaign): Promise<{ created: boolean; campaign: Campaign }>;
  getCampaign(id: string): Promise<Campaign | undefined>;
  /** Every campaign of a quarter, with how many checks each holds (to repair a half-finished opening). */
  campaignsOf(period: string): Promise<{ campaign: Campaign; checks: number }[]>;
  /** Bulk insert; checks that exist already (same `<campaign>:<site>` id) are skipped. Returns how many were new. */
  insertChecks(checks: SiteCheck[]): Promise<number>;
  checksOfCampaign(campaignId: string): Promise<SiteCheck[]>;
  /** Every check of a quarter not yet closed, across its campaigns, in one query (the reminder job's scan). */
  openChecksOfPeriod(period: string): Promise<SiteCheck[]>;
  /** A site's checks, newest period first; `openOnly` leaves out closed ones; `periodPrefix` like `2026-`. */
  checksOfSite(siteId: string, opts?: { openOnly?: boolean; periodPrefix?: string }): Promise<SiteCheck[]>;
  /** Writes `next` if the stored version is still `prevVersion` (throws `campaign_check_changed` otherwise). */
  saveCheck(prevVersion: number, next: SiteCheck): Promise<void>;
}
