import type { mongo } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';

export interface InsertBatcherOptions {
  /** Most documents per `insertMany` (default 500). */
  maxBatch?: number;
}

interface Pending<T> {
  doc: T;
  resolve(first: boolean): void;
  reject(err: unknown): void;
}

interface WriteErrorLike {
  index: number;
  code?: number;
}

/** The per-document failures of an unordered `insertMany`, or undefined when the whole call failed. */
function writeErrorsOf(err: unknown): WriteErrorLike[] | undefined {
  const raw = (err as { writeErrors?: WriteErrorLike | WriteErrorLike[] } | null)?.writeErrors;
  if (!raw) return undefined;
  return Array.isArray(raw) ? raw : [raw];
}

/**
 * Group commit for unique-key inserts ("first one wins" claims). Callers insert one document each and learn
 * whether theirs was the first with that `_id`; under load the documents that arrive while one `insertMany`
 * is in flight go out together in the next, unordered, so each one still wins or loses on its own key.
 *
 * Why: a claim is the one write on a latency-critical path (the WeCom callback must answer before it runs
 * anything). One insert per request costs a database round trip and, on FerretDB's SQLite backend, a commit
 * each; a batch of a hundred costs about as much as one. When requests come one at a time nothing waits:
 * a lone insert goes out at once.
 */
export function createInsertBatcher<T extends mongo.Document>(collection: () => mongo.Collection<T>, opts: InsertBatcherOptions = {}) {
  const maxBatch = opts.maxBatch ?? 500;
  let queue: Pending<T>[] = [];
  let flushing = false;

  async function flush(): Promise<void> {
    flushing = true;
    try {
      while (queue.length) {
        const batch = queue.slice(0, maxBatch);
        queue = queue.slice(batch.length);
        await write(batch);
      }
    } finally {
      flushing = false;
    }
  }

  async function write(batch: Pending<T>[]): Promise<void> {
    try {
      await collection().insertMany(
        batch.map((p) => p.doc as mongo.OptionalUnlessRequiredId<T>),
        { ordered: false },
      );
      for (const p of batch) p.resolve(true);
    } catch (err) {
      const failed = writeErrorsOf(err);
      // No per-document errors means the server never answered for the documents (a connection closed
      // mid-batch surfaces as a bulk write error with an empty list): none may count as stored.
      if (!failed?.length) {
        for (const p of batch) p.reject(err);
        return;
      }
      const byIndex = new Map(failed.map((w) => [w.index, w]));
      batch.forEach((p, i) => {
        const w = byIndex.get(i);
        if (!w) p.resolve(true);
        else if (isDuplicateKey(w)) p.resolve(false);
        else p.reject(Object.assign(new Error(`insert failed: code ${w.code ?? 'unknown'}`), { code: w.code }));
      });
    }
  }

  return {
    /** True when this document is the first with its `_id`; false for a duplicate. Other failures reject. */
    insert(doc: T): Promise<boolean> {
      return new Promise<boolean>((resolve, reject) => {
        queue.push({ doc, resolve, reject });
        if (!flushing) void flush();
      });
    },
  };
}
