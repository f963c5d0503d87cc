import type { ComplaintScope, PersonRef } from '../core/complaints/complaint.ports';
import type { DeadlineRegister } from '../core/deadlines/deadline.ports';
import { audienceKey, type RegisteredDeadline } from '../core/deadlines/deadline.types';
import { reconcileComplaintDeadlines } from './complaint.repo';
import { audiencePeople } from './people.repo';
import { bulkWriteInChunks, DeadlineModel, peopleText, toRegisteredDeadline, type DeadlineDoc } from './deadline.model';
import { MetaModel } from './meta.model';

/** The meta marker of the last full check of every entry's people: entries checked then count as resolved then. */
const PEOPLE_CHECKED = 'deadlines:people-checked';

/** The repair scans the reports collection: at start (the first run of the process) and then at most this often. */
export const REPAIR_EVERY_MS = 60 * 60 * 1000;
/** Every entry's people are checked again this often (a role given or taken away), well within PEOPLE_MAX_AGE_MS. */
export const PEOPLE_CHECK_EVERY_MS = 20 * 60 * 1000;

/** Whether an entry is within a scope: read whole and filtered here, the register being small (see deadline.model.ts). */
function inScope(e: RegisteredDeadline, scope: ComplaintScope | undefined): boolean {
  if (!scope || scope.all) return true;
  if (e.siteId !== null && scope.siteIds.includes(e.siteId)) return true;
  return e.scopeUnits.some((u) => scope.scopeUnits.includes(u));
}

const samePeople = (a: readonly PersonRef[], b: readonly PersonRef[]) =>
  a.length === b.length && a.every((p, i) => p.userid === b[i]!.userid && p.name === b[i]!.name && p.locale === b[i]!.locale);

/**
 * Resolves the people who act on register entries, in one query per role kind whatever their number, and
 * stores them on the entries whose people are missing or changed. `all` checks every entry (and, when it
 * finishes, marks them all checked now); otherwise only entries never resolved since they were last set.
 * Runs in a job, never on a workflow's write path.
 */
export async function refreshDeadlinePeople(now: Date, opts: { all: boolean }): Promise<{ checked: number; written: number }> {
  const docs = (await DeadlineModel.collection.find(opts.all ? {} : { people: null }).toArray()) as unknown as DeadlineDoc[];
  const entries = docs.map(toRegisteredDeadline);
  const peopleOf = entries.length ? await audiencePeople(entries) : null;
  const ops = [];
  for (const [i, e] of peopleOf ? entries.entries() : []) {
    const list = peopleOf!(e.acts);
    const key = audienceKey(e.acts);
    if (e.people && e.people.key === key && samePeople(e.people.list, list)) continue;
    // Guarded by the entry read: an entry set anew meanwhile (people null again) is resolved on the next run.
    ops.push({ updateOne: { filter: { _id: e.id, version: e.version, entry: docs[i]!.entry }, update: { $set: { people: peopleText({ key, at: now, list }) } } } });
  }
  await bulkWriteInChunks(DeadlineModel.collection as never, ops);
  if (opts.all) await MetaModel.updateOne({ _id: PEOPLE_CHECKED }, { $set: { at: now } }, { upsert: true });
  return { checked: docs.length, written: ops.length };
}

let lastRepairAt: number | null = null;
let lastPeopleCheckAt: number | null = null;

/**
 * The register's upkeep, for the complaint-outbox job: the repair and backfill of reports whose register write
 * is missing (at the process's first run, then hourly), people for entries set since the last run, and a check
 * of everyone's people every PEOPLE_CHECK_EVERY_MS. Idempotent; any number of instances may run it.
 */
export async function maintainDeadlines(now: Date): Promise<{ applied: number; resolved: number; checked: number }> {
  const t = now.getTime();
  let applied = 0;
  if (lastRepairAt === null || t - lastRepairAt >= REPAIR_EVERY_MS || t < lastRepairAt) {
    applied = (await reconcileComplaintDeadlines(now)).applied;
    lastRepairAt = t;
  }
  const all = lastPeopleCheckAt === null || t - lastPeopleCheckAt >= PEOPLE_CHECK_EVERY_MS || t < lastPeopleCheckAt;
  const people = await refreshDeadlinePeople(now, { all });
  if (all) lastPeopleCheckAt = t;
  return { applied, resolved: people.written, checked: all ? people.checked : 0 };
}

/** The register as the core's port. */
export const deadlineRegister: DeadlineRegister = {
  async dueBy(q) {
    const [docs, checked] = await Promise.all([
      DeadlineModel.collection.find({ kind: q.kind, dueAt: { $lte: q.until } }, { batchSize: 5000 }).sort({ dueAt: 1 }).toArray(),
      MetaModel.findById(PEOPLE_CHECKED).lean(),
    ]);
    const out: RegisteredDeadline[] = [];
    for (const d of docs) {
      const e = toRegisteredDeadline(d as unknown as DeadlineDoc);
      if (!inScope(e, q.scope)) continue;
      // People resolved before the last full check were confirmed by it: they are as fresh as the check.
      if (e.people && checked && checked.at.getTime() > e.people.at.getTime()) e.people = { ...e.people, at: checked.at };
      out.push(e);
    }
    return out;
  },
  maintain: maintainDeadlines,
};
