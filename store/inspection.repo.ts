import { chinaDateOf, chinaStartOf, dayNumberOf, formatDayNumber } from '../core/calendar/civil-date';
import { parseInspectionConfig, type InspectionConfig } from '../core/inspection/inspection.config';
import type { InspectionRepo } from '../core/inspection/inspection.ports';
import type { CrawlResult, InspectionProfile, InspectionReport, ProbeResult } from '../core/inspection/inspection.types';
import { parseProbeSlot } from '../core/inspection/probe-plan';
import { BULK_CHUNK } from './deadline.model';
import { isDuplicateKey } from './duplicate-key';
import { probeYear, tallyProbe } from './inspection-tally.model';
import { CrawlModel, InspectionProfileModel, ProbeDayModel, ReportModel, type CrawlDoc, type ProbeDayDoc, type ReportDoc } from './inspection.model';

const dayDocId = (siteId: string, day: string) => `${siteId}|${day}`;

/** The day document and the key of a probe slot: `t<seconds after China midnight>`. */
function slotPlace(slot: string): { id: string; key: string } {
  const parsed = parseProbeSlot(slot);
  if (!parsed) throw new RangeError(`not a probe slot: ${slot}`);
  const day = chinaDateOf(parsed.at);
  const seconds = Math.floor((parsed.at.getTime() - chinaStartOf(day).getTime()) / 1000);
  return { id: dayDocId(parsed.siteId, day), key: `t${seconds}` };
}

/**
 * Sets `<map>.<key>` on a day document unless it is set: true when this call set it. The upsert creates the
 * day's document; when it meets an existing one whose key is taken it fails on the unique `_id`, and when two
 * first slots of a day race to create it, the loser tries again without the upsert — only "the key is taken"
 * ever answers false.
 */
async function setOnce(id: string, map: 'c' | 'p', key: string, value: string): Promise<boolean> {
  const path = `${map}.${key}`;
  try {
    const r = await ProbeDayModel.collection.updateOne({ _id: id, [path]: { $exists: false } } as never, { $set: { [path]: value } }, { upsert: true });
    return r.matchedCount + r.upsertedCount > 0;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const r = await ProbeDayModel.collection.updateOne({ _id: id, [path]: { $exists: false } } as never, { $set: { [path]: value } });
    return r.matchedCount > 0;
  }
}

type StoredProbe = Omit<ProbeResult, 'siteId' | 'at'> & { at: string };

function probesOf(siteId: string, doc: ProbeDayDoc | null): ProbeResult[] {
  return Object.values(doc?.p ?? {}).map((text) => {
    const p = JSON.parse(text) as StoredProbe;
    return { ...p, siteId, at: new Date(p.at) };
  });
}

function toProfile(d: { _id: string; profile: string }): InspectionProfile {
  const p = JSON.parse(d.profile) as Omit<InspectionProfile, 'siteId' | 'updatedAt'> & { updatedAt?: string };
  return { ...p, siteId: d._id, ...(p.updatedAt ? { updatedAt: new Date(p.updatedAt) } : {}) } as InspectionProfile;
}

function toCrawl(text: string): CrawlResult {
  const c = JSON.parse(text) as CrawlResult & { at: string };
  return { ...c, at: new Date(c.at) };
}

function toReport(d: Pick<ReportDoc, 'report'>): InspectionReport {
  const r = JSON.parse(d.report) as InspectionReport & { at: string };
  return { ...r, at: new Date(r.at) };
}

/** Above this many sites `latestReports` reads the (one document per site) collection once instead of one `_id` at a time. */
const MANY = 8;

/** The inspection repository with these settings (tests choose their own; production reads `STEWARD_INSPECTION`). */
export function inspectionRepoWith(config: InspectionConfig): InspectionRepo {
  return {
    settings: config.settings,
    schedule: config.schedule,
    async profileOf(siteId) {
      const d = await InspectionProfileModel.findById(siteId).lean();
      return d ? toProfile(d) : undefined;
    },
    async profiles() {
      return (await InspectionProfileModel.find({}).lean()).map(toProfile);
    },
    async saveProfile(profile) {
      const { siteId, ...rest } = profile;
      await InspectionProfileModel.updateOne({ _id: siteId }, { $set: { profile: JSON.stringify(rest) } }, { upsert: true });
    },
    async claimProbe(slot, by) {
      const { id, key } = slotPlace(slot);
      return setOnce(id, 'c', key, by);
    },
    async recordProbe(slot, result) {
      const { id, key } = slotPlace(slot);
      const { siteId: _site, ...rest } = result;
      const recorded = await setOnce(id, 'p', key, JSON.stringify({ ...rest, at: result.at.toISOString() }));
      // The year's count for the annual report (art. 36) outlives the pruned records: counted once, with the record.
      if (recorded) await tallyProbe(result.siteId, result.at, result.outcome === 'ok');
      return recorded;
    },
    async yearAvailability(siteId, year) {
      const { probes, failed } = await probeYear(siteId, year);
      return { probes, failed, ratio: probes ? failed / probes : 0 };
    },
    async probesSince(siteId, since) {
      // A week and a day at most: the veto line looks back 7 China days, today included.
      const first = dayNumberOf(chinaDateOf(since));
      const ids = Array.from({ length: 9 }, (_, i) => dayDocId(siteId, formatDayNumber(first + i)));
      const docs = await Promise.all(ids.map((id) => ProbeDayModel.findById(id, { p: 1 }).lean<ProbeDayDoc>()));
      return docs
        .flatMap((d) => probesOf(siteId, d))
        .filter((p) => p.at >= since)
        .sort((a, b) => a.at.getTime() - b.at.getTime());
    },
    async pruneProbes(siteIds, beforeDay, days) {
      const last = dayNumberOf(beforeDay) - 1;
      const ids = siteIds.flatMap((s) => Array.from({ length: days }, (_, i) => dayDocId(s, formatDayNumber(last - i))));
      let deleted = 0;
      for (let i = 0; i < ids.length; i += BULK_CHUNK) {
        const ops = ids.slice(i, i + BULK_CHUNK).map((id) => ({ deleteOne: { filter: { _id: id } } }));
        deleted += (await ProbeDayModel.collection.bulkWrite(ops as never[], { ordered: false })).deletedCount;
      }
      return deleted;
    },
    async latestCrawl(siteId) {
      const d = await CrawlModel.findById(siteId, { crawl: 1 }).lean<CrawlDoc>();
      return d?.crawl ? toCrawl(d.crawl) : undefined;
    },
    async saveCrawl(result) {
      await CrawlModel.updateOne({ _id: result.siteId }, { $set: { at: result.at, crawl: JSON.stringify(result) } }, { upsert: true });
    },
    async claimCrawl(siteId, now, until) {
      try {
        const r = await CrawlModel.collection.updateOne(
          { _id: siteId, $or: [{ leaseUntil: { $exists: false } }, { leaseUntil: null }, { leaseUntil: { $lte: now } }] } as never,
          { $set: { leaseUntil: until } },
          { upsert: true },
        );
        return r.matchedCount + r.upsertedCount > 0;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async latestReports(siteIds) {
      if (!siteIds.length) return [];
      const wanted = new Set(siteIds);
      const docs =
        wanted.size <= MANY
          ? (await Promise.all([...wanted].map((id) => ReportModel.findById(id, { report: 1 }).lean<ReportDoc>()))).filter((d): d is ReportDoc => d !== null)
          : (await ReportModel.find({}, { report: 1 }).lean<ReportDoc[]>()).filter((d) => wanted.has(d._id));
      return docs.map(toReport);
    },
    async saveReport(report) {
      await ReportModel.updateOne({ _id: report.siteId }, { $set: { at: report.at, report: JSON.stringify(report) } }, { upsert: true });
    },
  };
}

let fromEnv: InspectionRepo | undefined;

/** The production repo, with the settings of `STEWARD_INSPECTION` (validated at start by core/config.schema.ts). */
export function inspectionRepo(): InspectionRepo {
  return (fromEnv ??= inspectionRepoWith(parseInspectionConfig(process.env.STEWARD_INSPECTION)));
}
