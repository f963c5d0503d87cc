import { WecomOutboxClaimModel, WecomOutboxDoneModel, WecomOutboxModel, WecomPaceSlotModel, type WecomOutboxDoc } from './wecom-outbox.model';
import { isDuplicateKey as isDup } from './duplicate-key';
import { deleteWecomOutboxFile, WecomOutboxFileModel } from './wecom-outbox-file.model';
import type { OutboxItem, QueuedOutbox, PaceLimits } from '../core/channels/wecom.ports';
export type { OutboxItem, QueuedOutbox, PaceLimits } from '../core/channels/wecom.ports';

let counter = 0;
const nextSeq = (now: Date) => now.getTime() * 1000 + (counter = (counter + 1) % 1000);

/** Which of these ids already finished (moved to wecom_outbox_done): by `_id`, the lookup FerretDB does cheaply. */
async function finishedIds(ids: string[]): Promise<Set<string>> {
  const found = await Promise.all(ids.map((id) => WecomOutboxDoneModel.exists({ _id: id })));
  return new Set(ids.filter((_, i) => found[i]));
}

/**
 * Inserts each item once: an id already queued, or already sent (a re-run of the same answer), is left as
 * it is. The finished check runs before the insert and again after it, for a message that finished in
 * between; what is left of that window is covered by WeCom's own duplicate check on message/send.
 */
export async function enqueueWecomOutbox(items: OutboxItem[], now: Date): Promise<number> {
  if (!items.length) return 0;
  const done = await finishedIds(items.map((it) => it.id));
  const fresh = items.filter((it) => !done.has(it.id));
  if (!fresh.length) return 0;
  const docs: WecomOutboxDoc[] = fresh.map((it) => ({
    _id: it.id,
    kind: it.kind,
    to: it.to,
    payload: it.payload,
    fallback: it.fallback ?? null,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    seq: nextSeq(now),
    leaseUntil: null,
    claim: null,
    claims: 0,
    createdAt: now,
    sentAt: null,
    msgid: null,
    lastError: null,
  }));
  let inserted: string[];
  try {
    await WecomOutboxModel.insertMany(docs, { ordered: false });
    inserted = docs.map((d) => d._id);
  } catch (err) {
    const e = err as { code?: number; insertedDocs?: { _id: string }[]; writeErrors?: { code?: number; err?: { code?: number } }[] };
    const codes = (e.writeErrors ?? []).map((w) => w.code ?? w.err?.code);
    if (!(e.code === 11000 || (codes.length && codes.every((c) => c === 11000)))) throw err;
    inserted = (e.insertedDocs ?? []).map((d) => d._id);
  }
  const finishedMeanwhile = await finishedIds(inserted);
  for (const id of finishedMeanwhile) await WecomOutboxModel.deleteOne({ _id: id, status: 'pending', claims: 0 });
  return inserted.length - finishedMeanwhile.size;
}

/**
 * A recipient with a message due (plain reads: the per-message claim makes it safe).
 * Two simple queries rather than one `$or`, which FerretDB cannot push down to its storage.
 */
export async function nextDueWecomRecipient(now: Date, skip: string[]): Promise<string | undefined> {
  const others = skip.length ? { to: { $nin: skip } } : {};
  const pending = await WecomOutboxModel.findOne({ status: 'pending', nextAttemptAt: { $lte: now }, ...others }, { to: 1 })
    .sort({ nextAttemptAt: 1, seq: 1 })
    .lean<Pick<WecomOutboxDoc, 'to'>>();
  if (pending) return pending.to;
  const stale = await WecomOutboxModel.findOne({ status: 'sending', leaseUntil: { $lte: now }, ...others }, { to: 1 }).lean<Pick<WecomOutboxDoc, 'to'>>();
  return stale?.to;
}

/** The oldest unfinished message of one recipient: the only one of theirs that may be sent next. */
export async function wecomRecipientHead(to: string): Promise<QueuedOutbox | null> {
  return (await wecomRecipientQueue(to, 1))[0] ?? null;
}

/**
 * The oldest `limit` unfinished messages of one recipient, in order. One read serves a run of sends: a
 * search without `_id` reads the whole live outbox on FerretDB v1, so reading it once per message made a
 * backlog cost quadratic time. What was read may go stale; claiming re-checks it (a unique insert).
 */
export async function wecomRecipientQueue(to: string, limit: number): Promise<QueuedOutbox[]> {
  return WecomOutboxModel.find({ to, status: { $in: ['pending', 'sending'] } }, { _id: 1, status: 1, nextAttemptAt: 1, leaseUntil: 1, claims: 1, attempts: 1 })
    .sort({ seq: 1 })
    .limit(limit)
    .lean<QueuedOutbox[]>();
}

export function isDue(doc: Pick<WecomOutboxDoc, 'status' | 'nextAttemptAt' | 'leaseUntil'>, now: Date): boolean {
  if (doc.status === 'pending') return doc.nextAttemptAt.getTime() <= now.getTime();
  return doc.status === 'sending' && (doc.leaseUntil?.getTime() ?? 0) <= now.getTime();
}

/**
 * Claims a due message seen as `seen`: inserts claim number `claims + 1` (unique, so one drainer wins even
 * on FerretDB v1), then marks the message `sending` with a lease. A message whose sender crashed mid-send is
 * claimed again once its lease ran out (WeCom's duplicate check is the second guard against a double send).
 * Null when another drainer won or the message moved on since it was read.
 *
 * Every write here and in `finishWecomOutbox` selects by `_id` alone: FerretDB v1 reads the whole live
 * outbox for any other filter, several times per message, which made a backlog cost quadratic time. The
 * claim number is what makes the write safe: whoever inserted claim `n + 1` is the only one who may move
 * the message from `n`.
 */
export async function claimWecomOutbox(seen: QueuedOutbox, now: Date, leaseMs: number): Promise<WecomOutboxDoc | null> {
  if (!isDue(seen, now)) return null;
  const claim = `${seen._id}:${seen.claims + 1}`;
  try {
    await WecomOutboxClaimModel.create({ _id: claim, at: now });
  } catch (err) {
    if (isDup(err)) return null;
    throw err;
  }
  // A lease that ran out may belong to a drainer that died between archiving the message and deleting it.
  if (seen.status === 'sending' && (await WecomOutboxDoneModel.exists({ _id: seen._id }))) {
    await WecomOutboxModel.deleteOne({ _id: seen._id });
    return null;
  }
  return WecomOutboxModel.findOneAndUpdate(
    { _id: seen._id },
    { $set: { status: 'sending', leaseUntil: new Date(now.getTime() + leaseMs), claim, claims: seen.claims + 1 }, $inc: { attempts: 1 } },
    { returnDocument: 'after' },
  ).lean<WecomOutboxDoc>();
}

/**
 * Finishes a claimed message; a no-op when our lease was lost and another claim owns it now (checked by a
 * read first: the claim is ours alone for its whole lease, a minute, far longer than read-then-write). A
 * message that is `sent` or `failed` moves to wecom_outbox_done as it is written (insert, then delete: a
 * crash in between leaves a copy in the live outbox whose next claim finds it finished and drops it).
 */
export async function finishWecomOutbox(
  doc: Pick<WecomOutboxDoc, '_id' | 'claim'>,
  set: Partial<Pick<WecomOutboxDoc, 'status' | 'nextAttemptAt' | 'sentAt' | 'msgid' | 'lastError'>>,
  opts: { uncountAttempt?: boolean } = {},
): Promise<boolean> {
  const live = await WecomOutboxModel.findById(doc._id).lean<WecomOutboxDoc>();
  if (!live || live.status !== 'sending' || live.claim !== doc.claim) return false;
  const attempts = live.attempts - (opts.uncountAttempt ? 1 : 0);
  if (set.status === 'sent' || set.status === 'failed') {
    try {
      await WecomOutboxDoneModel.collection.insertOne({ ...live, ...set, attempts, leaseUntil: null, claim: null } as never);
    } catch (err) {
      if (!isDup(err)) throw err;
    }
    await WecomOutboxModel.deleteOne({ _id: doc._id });
    return true;
  }
  await WecomOutboxModel.updateOne({ _id: doc._id }, { $set: { ...set, attempts, leaseUntil: null, claim: null } });
  return true;
}

/** A message wherever it is now: queued, being sent, or finished. */
export async function findWecomOutbox(id: string): Promise<WecomOutboxDoc | null> {
  return (await WecomOutboxModel.findById(id).lean<WecomOutboxDoc>()) ?? (await WecomOutboxDoneModel.findById(id).lean<WecomOutboxDoc>());
}

/** Finished messages matching `filter` (tests, audit). */
export async function countFinishedWecomOutbox(filter: Record<string, unknown>): Promise<number> {
  return WecomOutboxDoneModel.countDocuments(filter);
}

/** Pushes every pending message of one recipient to `until`, so drainers stop claiming them in vain. */
export async function deferWecomRecipient(to: string, until: Date): Promise<void> {
  await WecomOutboxModel.updateMany({ to, status: 'pending', nextAttemptAt: { $lt: until } }, { $set: { nextAttemptAt: until } });
}

/**
 * The highest slot number this process saw per recipient. Finding it in the database takes a sort over the
 * recipient's slots, which FerretDB v1 answers by reading every slot there is; from a known number the next
 * free one is found by `_id`. Only a hint: the unique insert decides, and a number taken by another instance
 * is skipped past.
 */
const lastSlotSeen = new Map<string, number>();

async function lastSlot(to: string): Promise<number> {
  let k = lastSlotSeen.get(to);
  if (k === undefined) {
    const last = await WecomPaceSlotModel.findOne({ to }, { k: 1 }).sort({ k: -1 }).lean<{ k: number }>();
    k = last?.k ?? 0;
  }
  while (await WecomPaceSlotModel.exists({ _id: `${to}:${k + 1}` })) k++;
  lastSlotSeen.set(to, k);
  return k;
}

/**
 * Takes the next send slot of one recipient under WeCom's sliding limits (per minute, per hour), shared by
 * every instance: `{ok:true}`, or the time the next slot frees up.
 */
export async function reserveWecomSendSlot(to: string, now: number, limits: PaceLimits): Promise<{ ok: true } | { ok: false; retryAt: number }> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const k = (await lastSlot(to)) + 1;
    for (const [back, windowMs] of [
      [limits.perMinute, limits.minuteMs],
      [limits.perHour, limits.hourMs],
    ] as const) {
      if (k - back < 1) continue;
      const ref = await WecomPaceSlotModel.findById(`${to}:${k - back}`, { at: 1 }).lean<{ at: number }>();
      if (ref && ref.at > now - windowMs) return { ok: false, retryAt: ref.at + windowMs + 1 };
    }
    try {
      await WecomPaceSlotModel.create({ _id: `${to}:${k}`, to, k, at: now });
      lastSlotSeen.set(to, k);
      return { ok: true };
    } catch (err) {
      if (!isDup(err)) throw err;
    }
  }
  return { ok: false, retryAt: now + 20 };
}

/** Forgets slots and claims older than `before` (a daily job; FerretDB v1 has no TTL index). */
export async function pruneWecomOutbox(before: Date): Promise<void> {
  await WecomPaceSlotModel.deleteMany({ at: { $lt: before.getTime() } });
  await WecomOutboxClaimModel.deleteMany({ at: { $lt: before } });
  await WecomOutboxDoneModel.deleteMany({ createdAt: { $lt: before } });
  await WecomOutboxModel.deleteMany({ status: { $in: ['sent', 'failed'] }, createdAt: { $lt: before } });
  // Files are deleted when their message finishes; these are left over from a crash in between.
  const files = await WecomOutboxFileModel.find({ createdAt: { $lt: before } }, { _id: 1 }).lean<{ _id: string }[]>();
  for (const f of files) {
    const msg = await findWecomOutbox(f._id);
    if (!msg || msg.status === 'sent' || msg.status === 'failed') await deleteWecomOutboxFile(f._id);
  }
}

/** Counts by status, for /metrics and tests. */
export async function wecomOutboxCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const model of [WecomOutboxModel, WecomOutboxDoneModel]) {
    const rows = await model.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$status', n: { $sum: 1 } } }]);
    for (const r of rows) counts[r._id] = (counts[r._id] ?? 0) + r.n;
  }
  return counts;
}
