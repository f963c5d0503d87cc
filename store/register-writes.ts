import type { Collection, Document } from 'mongodb';
import type { OpenDeadline } from '../core/deadlines/deadline.types';
import { applyDeadlines, bulkWriteInChunks } from './deadline.model';

/**
 * A workflow whose documents keep register entries (core/deadlines): its version-guarded write sets
 * `registerDirty`, then the entries are applied here and the mark removed. The same code applies them right
 * after the write, from the dispatcher or job that repairs a crash between the two writes, and for the
 * backfill of a database older than the register.
 */
export interface RegisterSource<S extends { id: string; version: number }> {
  name: string;
  collection: Collection<Document>;
  /** The `_id` value of a subject id. */
  idOf(id: string): unknown;
  /** The fields `fromDoc` reads: the repair reads only these. */
  projection: Record<string, 1>;
  fromDoc(d: Document): S;
  /** The entries the subject should have (pure, core/deadlines). */
  entries(s: S): OpenDeadline[];
  /** Every key it may hold: those not set are cleared. */
  keys(s: S): string[];
  /** The subjects stored before the register (never marked) that may hold an entry. */
  backfill: Document;
}

/** The register writes that make the register say what these subjects say: their entries set, their other keys cleared. */
export function registerWrites<S extends { id: string; version: number }>(src: RegisterSource<S>, list: readonly S[]): { sets: OpenDeadline[]; clears: { id: string; version: number }[] } {
  const sets = list.flatMap((s) => src.entries(s));
  const open = new Set(sets.map((e) => e.id));
  const clears = list.flatMap((s) => src.keys(s).filter((k) => !open.has(k)).map((id) => ({ id, version: s.version })));
  return { sets, clears };
}

const unmark = <S extends { id: string; version: number }>(src: RegisterSource<S>, list: readonly S[]) =>
  bulkWriteInChunks(
    src.collection as never,
    list.map((s) => ({ updateOne: { filter: { _id: src.idOf(s.id), version: s.version }, update: { $set: { registerDirty: false } } } })),
  );

/** Applies one subject's entries from its stored version until that version is still the stored one. */
export async function settleOne<S extends { id: string; version: number }>(src: RegisterSource<S>, id: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const d = await src.collection.findOne({ _id: src.idOf(id) } as Document, { projection: src.projection });
    if (!d) return;
    const s = src.fromDoc(d);
    const { sets, clears } = registerWrites(src, [s]);
    await applyDeadlines(sets, clears);
    const res = await src.collection.updateOne({ _id: src.idOf(id), version: s.version } as Document, { $set: { registerDirty: false } });
    if (res.matchedCount === 1) return;
  }
  throw new Error(`${src.name} ${id} keeps changing; its register entries are left to the repair`);
}

/**
 * Applies the entries of subjects just written (the effect their write carries), then clears their mark
 * guarded by the version applied. A subject someone wrote again meanwhile is read again and applied from its
 * newest version, so the last writer's deadlines are what stays. A failure leaves the mark set (the subject's
 * own write stands) and answers false: the repair applies it later.
 */
export async function settle<S extends { id: string; version: number }>(src: RegisterSource<S>, list: readonly S[]): Promise<boolean> {
  if (!list.length) return true;
  try {
    const { sets, clears } = registerWrites(src, list);
    await applyDeadlines(sets, clears);
    if ((await unmark(src, list)).matchedCount === list.length) return true;
    // Someone wrote one of them meanwhile: apply each again from what is stored now.
    for (const s of list) await settleOne(src, s.id);
    return true;
  } catch {
    return false;
  }
}

/**
 * The repair and backfill: applies the entries of every subject whose write was not followed by its register
 * write (`registerDirty`) and of every subject stored before the register that may hold one (never marked), in
 * batches. Idempotent: a second run finds nothing to do. It reads the workflow's collection, so it runs now
 * and then (a job), never per read.
 */
export async function reconcile<S extends { id: string; version: number }>(src: RegisterSource<S>, batch = 500): Promise<{ applied: number }> {
  const filter = { $or: [{ registerDirty: true }, { $and: [{ registerDirty: { $exists: false } }, src.backfill] }] };
  // Read first, then write: the projected rows are small, and no cursor stays open across our own writes.
  const found = await src.collection.find(filter, { projection: src.projection, batchSize: 5000 }).toArray();
  let applied = 0;
  for (let i = 0; i < found.length; i += batch) {
    const list = found.slice(i, i + batch).map((d) => src.fromDoc(d));
    const { sets, clears } = registerWrites(src, list);
    await applyDeadlines(sets, clears);
    if ((await unmark(src, list)).matchedCount < list.length) for (const s of list) await settleOne(src, s.id);
    applied += list.length;
  }
  return { applied };
}
