import type { ComplaintScope, PersonRef } from '../core/complaints/complaint.ports';
import type { DeadlineRegister } from '../core/deadlines/deadline.ports';
import { audienceKey, type OpenDeadline, type RegisteredDeadline } from '../core/deadlines/deadline.types';
import { outageCovers, toSiteOutage } from '../core/deadlines/request.deadlines';
import { reconcileComplaintDeadlines } from './complaint.repo';
import { reconcileCheckDeadlines } from './campaign.repo';
import { reconcileRequestDeadlines } from './request-deadlines';
import { audiencePeople } from './people.repo';
import { applyDeadlines, bulkWriteInChunks, DeadlineModel, deadlineModel, entryText, peopleText, readDeadlines, toRegisteredDeadline, type DeadlineDoc } from './deadline.model';
import { MetaModel } from './meta.model';

/** The meta marker of the last full check of every entry's people: entries checked then count as resolved then. */
const PEOPLE_CHECKED = 'deadlines:people-checked';

/** The repair scans the workflows' collections: at start (the first run of the process) and then at most this often. */
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
 * Resolves the people who act on the error reports' register entries (the sweep reads thousands of them several
 * times a day; the other kinds' readers resolve theirs in bulk as they read), in one query per role kind
 * whatever their number, and stores them on the entries whose people are missing or changed. `all` checks
 * every entry (and, when it finishes, marks them all checked now); otherwise only entries never resolved since
 * they were last set. Runs in a job, never on a workflow's write path.
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
 * The register's upkeep, for the complaint-outbox job: the repair and backfill of error reports, requests and
 * site checks whose register write is missing (at the process's first run, then hourly), people for
 * error-report entries set since the last run, and a check of everyone's people every PEOPLE_CHECK_EVERY_MS.
 * (Obligations open by the calendar: their registration is core/deadlines/obligation.deadlines.ts.)
 * Idempotent; any number of instances may run it.
 */
export async function maintainDeadlines(now: Date): Promise<{ applied: number; resolved: number; checked: number }> {
  const t = now.getTime();
  let applied = 0;
  if (lastRepairAt === null || t - lastRepairAt >= REPAIR_EVERY_MS || t < lastRepairAt) {
    applied = (await reconcileComplaintDeadlines(now)).applied;
    applied += (await reconcileRequestDeadlines()).applied;
    applied += (await reconcileCheckDeadlines()).applied;
    lastRepairAt = t;
  }
  const all = lastPeopleCheckAt === null || t - lastPeopleCheckAt >= PEOPLE_CHECK_EVERY_MS || t < lastPeopleCheckAt;
  const people = await refreshDeadlinePeople(now, { all });
  if (all) lastPeopleCheckAt = t;
  return { applied, resolved: people.written, checked: all ? people.checked : 0 };
}

/**
 * For a kind whose deadlines open by the calendar (obligations): makes its entries exactly `entries`, writing
 * only what differs from what is stored (a day's registration rewrites a few entries, not tens of thousands).
 */
async function replaceKind(kind: OpenDeadline['kind'], entries: readonly OpenDeadline[]): Promise<{ set: number; cleared: number }> {
  const stored = new Map<string, { dueAt: Date; entry: string; version: number }>();
  for (const d of await deadlineModel(kind).collection.find({}, { projection: { _id: 1, dueAt: 1, entry: 1, version: 1 }, batchSize: 5000 }).toArray()) {
    stored.set(String(d._id), { dueAt: d.dueAt as Date, entry: d.entry as string, version: d.version as number });
  }
  const wanted = new Set(entries.map((e) => e.id));
  const sets = entries.filter((e) => {
    const s = stored.get(e.id);
    return !s || s.dueAt.getTime() !== e.dueAt.getTime() || s.entry !== entryText(e) || s.version !== e.version;
  });
  const clears = [...stored.entries()].filter(([id]) => !wanted.has(id)).map(([id]) => ({ id, version: Number.MAX_SAFE_INTEGER }));
  await applyDeadlines(sets, clears);
  return { set: sets.length, cleared: clears.length };
}

/** The register as the core's port. */
export const deadlineRegister: DeadlineRegister = {
  async dueBy(q) {
    const [entries, checked] = await Promise.all([readDeadlines(q.kind, q.until), q.kind === 'complaint' ? MetaModel.findById(PEOPLE_CHECKED).lean() : null]);
    const out: RegisteredDeadline[] = [];
    for (const e of entries) {
      if (!inScope(e, q.scope)) continue;
      // People resolved before the last full check were confirmed by it: they are as fresh as the check.
      if (e.people && checked && checked.at.getTime() > e.people.at.getTime()) e.people = { ...e.people, at: checked.at };
      out.push(e);
    }
    return out;
  },
  async coveringOutage(siteId, now) {
    // The open outages are few (each ends with its window, or when the site is reported back): read them all.
    const covering = (await readDeadlines('outage')).filter((e) => e.siteId === siteId).map(toSiteOutage).filter((o) => outageCovers(o, now));
    return covering[0] ?? null;
  },
  async openOutages() {
    return (await readDeadlines('outage')).map(toSiteOutage);
  },
  replace: replaceKind,
  async close(ids) {
    await applyDeadlines([], ids.map((id) => ({ id, version: Number.MAX_SAFE_INTEGER })));
  },
  async repair(kind) {
    return kind === 'check' ? reconcileCheckDeadlines() : reconcileRequestDeadlines();
  },
  maintain: maintainDeadlines,
};
