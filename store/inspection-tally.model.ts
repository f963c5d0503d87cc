import mongoose, { Schema } from 'mongoose';

/**
 * A site's probes counted per China year, `_id` `<siteId>|<YYYY>`: the probe records themselves are pruned
 * after about ten days, but the annual report (art. 36, 首页可用性) needs the whole year. One `$inc` per
 * recorded probe, read by `_id` (the only indexed read on the embedded FerretDB).
 */
export interface ProbeYearDoc {
  _id: string;
  probes: number;
  failed: number;
}

export const ProbeYearModel = mongoose.model<ProbeYearDoc>(
  'InspectionProbeYear',
  new Schema<ProbeYearDoc>({ _id: { type: String, required: true }, probes: { type: Number, default: 0 }, failed: { type: Number, default: 0 } }, { versionKey: false }),
  'inspection_probe_years',
);

export const probeYearId = (siteId: string, year: number) => `${siteId}|${year}`;

/** Counts one recorded probe into its site's year (the caller records each probe slot once). */
export async function tallyProbe(siteId: string, at: Date, ok: boolean): Promise<void> {
  const year = new Date(at.getTime() + 8 * 3600_000).getUTCFullYear();
  await ProbeYearModel.collection.updateOne({ _id: probeYearId(siteId, year) } as never, { $inc: { probes: 1, failed: ok ? 0 : 1 } }, { upsert: true });
}

/** A site's probes and failures of one China year (zero when none were recorded). */
export async function probeYear(siteId: string, year: number): Promise<{ probes: number; failed: number }> {
  const d = await ProbeYearModel.findById(probeYearId(siteId, year)).lean<ProbeYearDoc>();
  return { probes: d?.probes ?? 0, failed: d?.failed ?? 0 };
}
