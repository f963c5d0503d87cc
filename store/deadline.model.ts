import mongoose, { Schema, type Model } from 'mongoose';
import { kindOfId, type CachedPeople, type DeadlineKind, type OpenDeadline, type RegisteredDeadline } from '../core/deadlines/deadline.types';
import { isDuplicateKey } from './duplicate-key';

/**
 * One open deadline (core/deadlines). Open deadlines only: an entry is deleted when its deadline closes, so
 * the collection stays as small as the work in hand (thousands, not the hundreds of thousands of reports) —
 * on the embedded FerretDB only `_id` lookups use an index, and every other filter reads the whole collection.
 * For the same reason each kind has its own collection (`deadlines` for error reports, `deadlines_<kind>` for
 * the others): a reader reads the entries of its kind, so the error-report sweep never reads the tens of
 * thousands of obligation and check entries of a national deployment.
 *
 * Few fields on purpose: FerretDB (SQLite) decodes every field of every document a query reads, so its cost
 * follows the number of fields, not the bytes. Measured on 5,000 entries: the entry as 15 fields with nested
 * people took 3.3–4.1 s to read, the same with what only readers need packed into one JSON text 0.8–1.4 s,
 * on the same loaded machine. The fields a query or a guard names stay fields; the rest is `entry`.
 */
export interface DeadlineDoc {
  _id: string;
  kind: string;
  dueAt: Date;
  /** The subject's version the entry was set from: the guard of every write. */
  version: number;
  /** The rest of the entry ({@link EntryFields}) as JSON text. */
  entry: string;
  /** The people who act ({@link CachedPeople}, `at` as ISO text) as JSON text, as a job last resolved them; null until then. */
  people: string | null;
}

/** What `entry` holds (`detail` only for the kinds that have one). */
type EntryFields = Omit<OpenDeadline, 'id' | 'kind' | 'dueAt' | 'version'>;

const deadlineSchema = new Schema<DeadlineDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    dueAt: { type: Date, required: true },
    version: { type: Number, required: true },
    entry: { type: String, required: true },
    people: { type: String, default: null },
  },
  { versionKey: false },
);
// On MongoDB the due lists read this index; on FerretDB the collection is small enough to read whole.
deadlineSchema.index({ kind: 1, dueAt: 1 });

/** The error reports' entries: the register's first kind, in the collection it always had. */
export const DeadlineModel = mongoose.model<DeadlineDoc>('Deadline', deadlineSchema, 'deadlines');

const MODELS: Record<DeadlineKind, Model<DeadlineDoc>> = {
  complaint: DeadlineModel,
  review: mongoose.model<DeadlineDoc>('ReviewDeadline', deadlineSchema, 'deadlines_review'),
  outage: mongoose.model<DeadlineDoc>('OutageDeadline', deadlineSchema, 'deadlines_outage'),
  obligation: mongoose.model<DeadlineDoc>('ObligationDeadline', deadlineSchema, 'deadlines_obligation'),
  check: mongoose.model<DeadlineDoc>('CheckDeadline', deadlineSchema, 'deadlines_check'),
};

/** The collection of one kind's entries. */
export const deadlineModel = (kind: DeadlineKind): Model<DeadlineDoc> => MODELS[kind];

/** One kind's open entries ending at or before `until` (all of them without), oldest deadline first. */
export async function readDeadlines(kind: DeadlineKind, until?: Date): Promise<RegisteredDeadline[]> {
  const docs = await deadlineModel(kind)
    .collection.find(until ? { kind, dueAt: { $lte: until } } : { kind }, { batchSize: 5000 })
    .sort({ dueAt: 1, _id: 1 })
    .toArray();
  return docs.map((d) => toRegisteredDeadline(d as unknown as DeadlineDoc));
}

export const peopleText = (p: CachedPeople | null | undefined): string | null => (p ? JSON.stringify({ key: p.key, at: p.at.toISOString(), list: p.list }) : null);

function parsePeople(text: string | null | undefined): CachedPeople | null {
  if (!text) return null;
  const p = JSON.parse(text) as { key: string; at: string; list: CachedPeople['list'] };
  return { key: p.key, at: new Date(p.at), list: p.list };
}

export function toRegisteredDeadline(d: Pick<DeadlineDoc, '_id' | 'kind' | 'dueAt' | 'version' | 'entry' | 'people'>): RegisteredDeadline {
  const e = JSON.parse(d.entry) as EntryFields;
  return { ...e, id: d._id, kind: d.kind as RegisteredDeadline['kind'], dueAt: d.dueAt, version: d.version, people: parsePeople(d.people) };
}

/** The JSON text of what readers need beyond the queried fields: the same entry always gives the same text. */
export function entryText(e: OpenDeadline): string {
  const fields: EntryFields = { subjectId: e.subjectId, stage: e.stage, state: e.state, ref: e.ref, siteId: e.siteId, siteName: e.siteName, unitCode: e.unitCode, scopeUnits: e.scopeUnits, acts: e.acts, ...(e.detail ? { detail: e.detail } : {}) };
  return JSON.stringify(fields);
}

/**
 * Applies subjects' register entries in bulk: `sets` are upserted by `_id` (with the people who act when the
 * caller resolved them), `clears` deleted by `_id`. Each write is guarded by the subject's version, so a writer
 * that read an older version never overwrites or deletes what a newer one wrote (its upsert then meets the
 * unique `_id` and is dropped). Idempotent: applying the same entries again changes nothing.
 */
export async function applyDeadlines(sets: readonly (OpenDeadline & { people?: CachedPeople | null })[], clears: readonly { id: string; version: number }[]): Promise<void> {
  if (!sets.length && !clears.length) return;
  const byKind = new Map<DeadlineKind, unknown[]>();
  const add = (kind: DeadlineKind, op: unknown) => byKind.set(kind, [...(byKind.get(kind) ?? []), op]);
  for (const e of sets) {
    add(e.kind, {
      updateOne: {
        filter: { _id: e.id, version: { $lte: e.version } },
        // Unless resolved by the caller, the people are resolved again by a job (the audience may have changed);
        // readers resolve them meanwhile.
        update: { $set: { kind: e.kind, dueAt: e.dueAt, version: e.version, entry: entryText(e), people: peopleText(e.people) } },
        upsert: true,
      },
    });
  }
  for (const c of clears) add(kindOfId(c.id), { deleteOne: { filter: { _id: c.id, version: { $lte: c.version } } } });
  for (const [kind, ops] of byKind) {
    for (let i = 0; i < ops.length; i += BULK_CHUNK) {
      try {
        await deadlineModel(kind).collection.bulkWrite(ops.slice(i, i + BULK_CHUNK) as never[], { ordered: false });
      } catch (err) {
        const e = err as { writeErrors?: { code: number }[] | { code: number } };
        const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
        // Only "a newer version is there already" is expected; anything else is the caller's to retry.
        if (!writeErrors.length || writeErrors.some((w) => !isDuplicateKey(w))) throw err;
      }
    }
  }
}

/**
 * Statements per bulk write command. The embedded FerretDB (v1.24, SQLite) never answers an update command
 * whose statements match 100 documents or more (measured: 90 answer in 0.1 s, 100 hang), so bulk writes that
 * may match existing documents are sent in commands of this many.
 */
export const BULK_CHUNK = 50;

/** `bulkWrite` in commands of at most BULK_CHUNK statements; the counts of every command summed. */
export async function bulkWriteInChunks(collection: { bulkWrite(ops: never[], opts: { ordered: boolean }): Promise<{ matchedCount: number }> }, ops: readonly unknown[]): Promise<{ matchedCount: number }> {
  let matchedCount = 0;
  for (let i = 0; i < ops.length; i += BULK_CHUNK) matchedCount += (await collection.bulkWrite(ops.slice(i, i + BULK_CHUNK) as never[], { ordered: false })).matchedCount;
  return { matchedCount };
}
