import mongoose, { Schema } from 'mongoose';
import { DomainError } from '../core/errors';
import { isDuplicateKey } from './duplicate-key';

/**
 * Why claims: a conditional `updateOne({_id, version})` is atomic on MongoDB, but on FerretDB v1 two racing
 * writers can both match it (measured: 19 of 30 rounds with 8 writers), and `$inc` can lose updates. An insert
 * with a unique `_id` is atomic on both. So a writer first inserts `<collection>:<id>@<version>.<attempt>`;
 * only the one that inserted it goes on to the single-document update.
 */
export interface VersionClaimDoc {
  _id: string;
  collectionName: string;
  docId: string;
  fromVersion: number;
  attempt: number;
  at: Date;
}

export const VersionClaimModel = mongoose.model<VersionClaimDoc>(
  'VersionClaim',
  new Schema<VersionClaimDoc>({ _id: String, collectionName: String, docId: String, fromVersion: Number, attempt: Number, at: Date }, { versionKey: false }),
  'version_claims',
);

/** A claim older than this, whose writer never moved the version on, was left by a crash and may be retried. */
export const STALE_CLAIM_MS = 60_000;

/**
 * Lets exactly one writer move document `docId` of `collectionName` on from `version`. Throws `conflict()` for
 * the others. A claim left by a crashed writer (stale, version unchanged) is superseded by the next attempt.
 */
export async function claimVersion(
  collectionName: string,
  docId: string,
  version: number,
  readVersion: () => Promise<number | undefined>,
  conflict: () => Error = () => new DomainError('changed_concurrently', { id: docId }, 409),
): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const at = new Date();
    const _id = `${collectionName}:${docId}@${version}.${attempt}`;
    try {
      await VersionClaimModel.create({ _id, collectionName, docId, fromVersion: version, attempt, at });
      return;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const [existing, current] = await Promise.all([VersionClaimModel.findById(_id).lean<VersionClaimDoc>(), readVersion()]);
      const stale = existing && at.getTime() - new Date(existing.at).getTime() > STALE_CLAIM_MS;
      if (!stale || current !== version) throw conflict();
    }
  }
  throw conflict();
}
