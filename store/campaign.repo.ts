import type { CampaignRepo } from '../core/campaigns/campaign.ports';
import type { Campaign, Finding, SiteCheck } from '../core/campaigns/campaign.types';
import { DomainError } from '../core/errors';
import { CampaignModel, SiteCheckModel, type CampaignDoc, type SiteCheckDoc } from './campaign.model';
import { isDuplicateKey } from './duplicate-key';
import { checkDeadlineKeys, checkOpenDeadlines } from '../core/deadlines/check.deadlines';
import { reconcile, settle, type RegisterSource } from './register-writes';

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

/**
 * Site checks in the register of open deadlines (core/deadlines/check.deadlines.ts): each write marks the
 * check `registerDirty` and applies its entry right after; the register's repair applies what a crash left
 * marked and backfills checks stored before the register.
 */
export const checkRegister: RegisterSource<SiteCheck> = {
  name: 'check',
  collection: SiteCheckModel.collection as never,
  idOf: (id) => id,
  projection: { _id: 1, campaignId: 1, unitCode: 1, period: 1, dueDate: 1, site: 1, scopeUnits: 1, status: 1, findings: 1, version: 1, updatedAt: 1 },
  fromDoc: (d) => toCheck(d as unknown as SiteCheckDoc),
  entries: checkOpenDeadlines,
  keys: (c) => checkDeadlineKeys(c.id),
  backfill: { status: { $ne: 'closed' } },
};

/** The checks' repair and backfill (the register's upkeep, and the campaign reminders before they read). */
export const reconcileCheckDeadlines = () => reconcile(checkRegister);

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
    let existing = new Set<number>();
    try {
      await SiteCheckModel.collection.insertMany(checks.map((c) => ({ ...toDoc(c), registerDirty: true })) as never[], { ordered: false });
    } catch (err) {
      // Some existed already (a repeated or repaired opening): the rest went in.
      const e = err as { writeErrors?: { index: number; code?: number }[] | { index: number; code?: number } };
      const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
      if (!writeErrors.length || writeErrors.some((w) => w.code !== 11000)) throw err;
      existing = new Set(writeErrors.map((w) => w.index));
    }
    // The new checks' entries; those that existed keep theirs (a closed one must not open again).
    const inserted = checks.filter((_, i) => !existing.has(i));
    await settle(checkRegister, inserted);
    return inserted.length;
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
    const res = await SiteCheckModel.updateOne({ _id, version: prevVersion }, { $set: { ...set, registerDirty: true } });
    if (res.matchedCount === 0) throw checkChanged(next.site.name);
    // Its entry in the register (closed: cleared); a failure is the repair's.
    await settle(checkRegister, [next]);
  },
};
