import type { CampaignRepo } from '../core/campaigns/campaign.ports';
import type { Campaign, Finding, SiteCheck } from '../core/campaigns/campaign.types';
import { DomainError } from '../core/errors';
import { CampaignModel, SiteCheckModel, type CampaignDoc, type SiteCheckDoc } from './campaign.model';
import { isDuplicateKey } from './duplicate-key';

const toCampaign = (d: CampaignDoc): Campaign => ({
  id: d._id,
  unitCode: d.unitCode,
  unitName: d.unitName,
  period: d.period,
  scope: d.scope,
  dueDate: d.dueDate,
  openedAt: d.openedAt,
  openedBy: { userid: d.openedBy.userid, name: d.openedBy.name },
  siteCount: d.siteCount,
});

const date = (v: unknown): Date | null => (v ? new Date(v as string) : null);

const toFinding = (f: Finding): Finding => ({
  ...f,
  at: new Date(f.at),
  acknowledgedAt: date(f.acknowledgedAt),
  rectifiedAt: date(f.rectifiedAt),
  acknowledgedBy: f.acknowledgedBy ?? null,
  rectifiedBy: f.rectifiedBy ?? null,
  rectificationNote: f.rectificationNote ?? null,
});

const toCheck = (d: SiteCheckDoc): SiteCheck => ({
  id: d._id,
  campaignId: d.campaignId,
  unitCode: d.unitCode,
  period: d.period,
  dueDate: d.dueDate,
  site: d.site,
  scopeUnits: d.scopeUnits ?? [],
  status: d.status,
  findings: (d.findings ?? []).map(toFinding),
  checkedAt: d.checkedAt ?? null,
  checkedBy: d.checkedBy ?? null,
  closedAt: d.closedAt ?? null,
  closedBy: d.closedBy ?? null,
  version: d.version,
  updatedAt: d.updatedAt,
});

const toDoc = ({ id, ...rest }: SiteCheck): SiteCheckDoc => ({ _id: id, ...rest });

export const checkChanged = (site: string) => new DomainError('campaign_check_changed', { site }, 409);

/** Campaigns in `campaigns`, site checks in `campaign_checks`; a check write matches the version it read. */
export const campaignRepo: CampaignRepo = {
  async createCampaign(c) {
    const { id, ...rest } = c;
    try {
      await CampaignModel.create({ _id: id, ...rest });
      return { created: true, campaign: c };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await CampaignModel.findById(id).lean<CampaignDoc>();
      if (!existing) throw err;
      return { created: false, campaign: toCampaign(existing) };
    }
  },
  async getCampaign(id) {
    const d = await CampaignModel.findById(id).lean<CampaignDoc>();
    return d ? toCampaign(d) : undefined;
  },
  async campaignsOf(period) {
    const campaigns = (await CampaignModel.find({ period }).lean<CampaignDoc[]>()).map(toCampaign);
    if (!campaigns.length) return [];
    const counts = new Map<string, number>();
    for (const r of await SiteCheckModel.find({ period }, { campaignId: 1 }).lean<{ campaignId: string }[]>()) counts.set(r.campaignId, (counts.get(r.campaignId) ?? 0) + 1);
    return campaigns.map((campaign) => ({ campaign, checks: counts.get(campaign.id) ?? 0 }));
  },
  async insertChecks(checks) {
    if (!checks.length) return 0;
    try {
      const res = await SiteCheckModel.insertMany(checks.map(toDoc), { ordered: false, rawResult: true });
      return (res as unknown as { insertedCount: number }).insertedCount;
    } catch (err) {
      // Some existed already (a repeated or repaired opening): the rest went in.
      const e = err as { code?: number; insertedDocs?: unknown[]; result?: { insertedCount?: number }; writeErrors?: { code?: number }[] };
      const dupOnly = isDuplicateKey(err) || (e.writeErrors ?? []).every((w) => w.code === 11000);
      if (!dupOnly) throw err;
      return e.result?.insertedCount ?? e.insertedDocs?.length ?? 0;
    }
  },
  async checksOfCampaign(campaignId) {
    return (await SiteCheckModel.find({ campaignId }).lean<SiteCheckDoc[]>()).map(toCheck);
  },
  async openChecksOfPeriod(period) {
    return (await SiteCheckModel.find({ period, status: { $ne: 'closed' } }).lean<SiteCheckDoc[]>()).map(toCheck);
  },
  async checksOfSite(siteId, opts = {}) {
    const filter: Record<string, unknown> = { 'site.id': siteId };
    if (opts.openOnly) filter.status = { $ne: 'closed' };
    if (opts.periodPrefix) filter.period = { $regex: `^${opts.periodPrefix.replace(/[^\w-]/g, '')}` };
    return (await SiteCheckModel.find(filter).sort({ period: -1, _id: 1 }).lean<SiteCheckDoc[]>()).map(toCheck);
  },
  async saveCheck(prevVersion, next) {
    const { _id, ...set } = toDoc(next);
    const res = await SiteCheckModel.updateOne({ _id, version: prevVersion }, { $set: set });
    if (res.matchedCount === 0) throw checkChanged(next.site.name);
  },
};
