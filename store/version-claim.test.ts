import mongoose, { Schema } from 'mongoose';
import { useTestDatabase } from '../test/db';
import { claimVersion, VersionClaimModel, STALE_CLAIM_MS } from './version-claim';

useTestDatabase();

const Doc = mongoose.model('ClaimProbe', new Schema({ _id: String, version: Number, value: Number }, { versionKey: false }), 'claim_probes');

/** The guarded write every versioned repository does: claim, then the single-document update. */
async function write(id: string, version: number, value: number): Promise<boolean> {
  try {
    await claimVersion('claim_probes', id, version, async () => (await Doc.findById(id).lean<{ version: number }>())?.version);
  } catch {
    return false;
  }
  const res = await Doc.updateOne({ _id: id, version }, { $set: { version: version + 1, value } });
  return res.matchedCount === 1;
}

describe('#version claims', () => {
  it('lets exactly one of eight racing writers move a document on, round after round', async () => {
    await Doc.create({ _id: 'd1', version: 0, value: 0 });
    for (let round = 0; round < 10; round++) {
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => write('d1', round, i)));
      expect(results.filter(Boolean)).toHaveLength(1);
    }
    expect(await Doc.findById('d1').lean()).toMatchObject({ version: 10 });
  });

  it('refuses a writer that read an old version', async () => {
    await Doc.create({ _id: 'd2', version: 3, value: 0 });
    expect(await write('d2', 2, 1)).toBe(false);
    expect(await write('d2', 3, 1)).toBe(true);
  });

  it('lets the next writer through when a crashed writer left its claim behind', async () => {
    await Doc.create({ _id: 'd3', version: 0, value: 0 });
    await VersionClaimModel.create({ _id: 'claim_probes:d3@0.0', collectionName: 'claim_probes', docId: 'd3', fromVersion: 0, attempt: 0, at: new Date(Date.now() - STALE_CLAIM_MS - 1000) });
    expect(await write('d3', 0, 7)).toBe(true);
    expect(await Doc.findById('d3').lean()).toMatchObject({ version: 1, value: 7 });
  });
});
