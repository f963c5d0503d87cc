import type { AnnualReportRepo, RequestRow, StoredFigures } from '../core/annual-report/annual-report.types';
import { DomainError } from '../core/errors';
import { AnnualFiguresModel, type AnnualFiguresDoc } from './annual-report.model';
import { RequestModel } from './request.model';
import { isDuplicateKey } from './duplicate-key';
import { siteNoticeAckRows } from './notice-stats.repo';

const idOf = (siteId: string, year: number) => `${siteId}:${year}`;
const changed = (id: string) => new DomainError('annual_report_changed', { id }, 409);

const toStored = (d: AnnualFiguresDoc): StoredFigures => ({ siteId: d.siteId, year: d.year, figures: d.figures ?? {}, version: d.version, updatedAt: d.updatedAt, updatedBy: d.updatedBy });

/** Entered figures in `annual_report_figures`; requests (`requests`) and notices (store/notice-stats.repo.ts) are read-only. */
export const annualReportRepo: AnnualReportRepo = {
  async getFigures(siteId, year) {
    const d = await AnnualFiguresModel.findById(idOf(siteId, year)).lean<AnnualFiguresDoc>();
    return d ? toStored(d) : undefined;
  },
  async saveFigures(siteId, year, patch, by, now) {
    const _id = idOf(siteId, year);
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await AnnualFiguresModel.findById(_id).lean<AnnualFiguresDoc>();
      if (!current) {
        const doc = { _id, siteId, year, figures: { ...patch } as Record<string, number>, version: 0, updatedAt: now, updatedBy: by };
        try {
          await AnnualFiguresModel.create(doc);
          return toStored(doc);
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          continue; // someone created it meanwhile: merge into theirs
        }
      }
      const figures = { ...current.figures, ...patch } as Record<string, number>;
      const res = await AnnualFiguresModel.updateOne({ _id, version: current.version }, { $set: { figures, version: current.version + 1, updatedAt: now, updatedBy: by } });
      if (res.matchedCount === 0) throw changed(_id);
      return { siteId, year, figures, version: current.version + 1, updatedAt: now, updatedBy: by };
    }
    throw changed(_id);
  },
  async requestRows(siteId, year) {
    const docs = await RequestModel.find({ 'site.id': siteId, year }, { type: 1, status: 1, payload: 1 }).lean<{ _id: string; type: RequestRow['type']; status: string; payload?: { start?: string; end?: string } }[]>();
    return docs.map((d) => ({ id: d._id, type: d.type, status: d.status, start: d.payload?.start ?? null, end: d.payload?.end ?? null }));
  },
  noticeAckRows: siteNoticeAckRows,
};
