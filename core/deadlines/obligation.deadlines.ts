import { chinaDateOf, chinaStartOf } from '../calendar/civil-date';
import { DEFAULT_OBLIGATION_CONFIG, type ObligationConfig, type ObligationId } from '../obligations/obligation.config';
import { ACTIVE_SITE_STATUSES, obligationItems, siteSubject, unitSubject, type Escalation, type ItemStatus, type ObligationDeps, type ObligationItem, type ObligationSubject } from '../obligations/obligation.due';
import type { ObligationRepo } from '../obligations/obligation.ports';
import { addDaysTo, daysBetween, enabledObligations } from '../obligations/obligation.schedule';
import type { Level, SiteKind } from '../registry/types';
import type { DeadlineRegister } from './deadline.ports';
import { deadlineId, type OpenDeadline, type RegisteredDeadline } from './deadline.types';

/** The stage of an obligation occurrence's entry: one deadline per occurrence. */
const DUE_STAGE = 'due';

/** The register key of an occurrence (`obligation:<obligation>:<subject>:<period>:due`), from its acknowledgement key. */
export const obligationDeadlineId = (ackKey: string) => deadlineId('obligation', ackKey, DUE_STAGE);

const configOf = (deps: Pick<ObligationDeps, 'obligations'>): ObligationConfig => deps.obligations?.config() ?? DEFAULT_OBLIGATION_CONFIG;

/**
 * How far ahead of a due day an occurrence is in the register: wide enough for the reminder window of
 * `remindWorkingDays` working days across a holiday week (the readers test the window exactly).
 */
export const obligationReachDays = (cfg: Pick<ObligationConfig, 'remindWorkingDays'>) => cfg.remindWorkingDays * 2 + 14;

/**
 * The days whose occurrences are open in the register on `today`: due from `lookbackDays` ago (older ones are
 * no longer reminded of or escalated) to the reach of the reminders. What the digest, the escalations and the
 * quarterly check campaigns read.
 */
export function obligationRegisterRange(cfg: ObligationConfig, today: string): { from: string; to: string } {
  return { from: addDaysTo(today, -cfg.lookbackDays), to: addDaysTo(today, obligationReachDays(cfg)) };
}

/** The register entry of one occurrence not yet acknowledged: due at the end of its due day (China time). */
export function obligationDeadline(item: Pick<ObligationItem, 'obligation' | 'period' | 'windowStart' | 'dueDate' | 'key' | 'subject'>, scopeUnits: readonly string[]): OpenDeadline {
  const s = item.subject;
  return {
    id: obligationDeadlineId(item.key),
    kind: 'obligation',
    subjectId: item.key,
    stage: DUE_STAGE,
    state: 'open',
    ref: s.ref,
    dueAt: chinaStartOf(addDaysTo(item.dueDate, 1)),
    siteId: s.kind === 'site' ? s.id : null,
    siteName: s.name,
    unitCode: s.kind === 'unit' ? s.id : s.escalateTo,
    scopeUnits: [...scopeUnits],
    acts: s.kind === 'site' ? { kind: 'site_admins', siteId: s.id } : s.escalateTo === null ? { kind: 'province_admins' } : { kind: 'supervisors', unitCode: s.id },
    version: 0,
    detail: {
      obligation: item.obligation,
      period: item.period,
      windowStart: item.windowStart,
      dueDate: item.dueDate,
      subjectKind: s.kind,
      subjectId: s.id,
      escalateTo: s.escalateTo,
      level: s.level ?? null,
      siteKind: s.siteKind ?? null,
    },
  };
}

/** An obligation entry as the occurrence it stands for, with its status as of `today` (never acknowledged: that closes it). */
export function toObligationItem(e: Pick<RegisteredDeadline, 'subjectId' | 'siteName' | 'ref' | 'detail'>, today: string): ObligationItem {
  const d = e.detail ?? {};
  const dueDate = String(d.dueDate);
  const windowStart = String(d.windowStart);
  const subject: ObligationSubject = {
    kind: d.subjectKind === 'unit' ? 'unit' : 'site',
    id: String(d.subjectId),
    name: e.siteName ?? String(d.subjectId),
    ref: e.ref,
    ...(d.level ? { level: d.level as Level } : {}),
    ...(d.siteKind ? { siteKind: d.siteKind as SiteKind } : {}),
    escalateTo: typeof d.escalateTo === 'string' ? d.escalateTo : null,
  };
  const status: ItemStatus = dueDate < today ? 'overdue' : windowStart <= today ? 'open' : 'upcoming';
  return { obligation: d.obligation as ObligationId, period: String(d.period), windowStart, dueDate, key: e.subjectId, subject, status, daysOverdue: Math.max(0, daysBetween(dueDate, today)), ack: null };
}

/** The open occurrences the register holds, as of `today`, in due order (then subject, then obligation). */
export async function registeredObligations(deps: { deadlines: Pick<DeadlineRegister, 'dueBy'> }, today: string): Promise<ObligationItem[]> {
  const items = (await deps.deadlines.dueBy({ kind: 'obligation' })).map((e) => toObligationItem(e, today));
  return items.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.subject.name.localeCompare(b.subject.name) || a.obligation.localeCompare(b.obligation));
}

/** The run marker of a day's registration: what spares the day's later readers the registry scan. */
export const registeredMarker = (today: string) => `register-obligations:${today}`;

/**
 * Opens the recurring obligations' deadlines in the register. Their deadlines open by the calendar, not by a
 * write: once a day (the first reader of the day runs it) every occurrence due within the register's range
 * (`obligationRegisterRange`) of every active site and supervising unit it binds, not acknowledged, is set;
 * what fell out of the range, was acknowledged or lost its subject (a closed site) is cleared. An
 * acknowledgement clears its own entry as it is stored (store/obligation.repo.ts); the acknowledgements are read
 * again after the write, so one stored meanwhile is not set back. The art. 23 mailbox check is not a deadline
 * anyone is reminded of (a quiet digest line for every site admin), so it is not registered. Reads the
 * registry and the acknowledgements; idempotent; the day's marker spares later runs.
 */
export async function registerObligations(
  deps: ObligationDeps & { deadlines: Pick<DeadlineRegister, 'replace' | 'close'>; runs: { done(id: string): Promise<boolean>; mark(id: string, at: Date): Promise<void> } },
  now: Date,
): Promise<{ set: number; cleared: number; skipped?: 'done' }> {
  const today = chinaDateOf(now);
  const marker = registeredMarker(today);
  if (await deps.runs.done(marker)) return { set: 0, cleared: 0, skipped: 'done' };
  const cfg = configOf(deps);
  const sites = await deps.sites.find({ statuses: ACTIVE_SITE_STATUSES });
  const units = await deps.units.getMany([...new Set(sites.map((s) => s.supervisingUnit))]);
  const scopes = new Map<string, readonly string[]>([...sites.map((s) => [`site:${s.id}`, s.scopeUnits] as const), ...units.map((u) => [`unit:${u.code}`, [...u.ancestors, u.code]] as const)]);
  const subjects = [...sites.map(siteSubject), ...units.map(unitSubject)];
  const only = enabledObligations(cfg).filter((o) => o !== 'mailbox_check');
  const items = await obligationItems(deps, subjects, today, obligationRegisterRange(cfg, today), only);
  const open = items.filter((i) => i.status !== 'acknowledged');
  const entries = open.map((i) => obligationDeadline(i, scopes.get(`${i.subject.kind}:${i.subject.id}`) ?? []));
  const res = await deps.deadlines.replace('obligation', entries);
  // An acknowledgement stored between the first read and the write above had its entry set back: clear it.
  if (open.length && deps.obligations) {
    const acked = await deps.obligations.acksByKeys(open.map((i) => i.key));
    if (acked.size) await deps.deadlines.close([...acked.keys()].map(obligationDeadlineId));
  }
  await deps.runs.mark(marker, now);
  return res;
}

/**
 * The overdue occurrences to escalate (art. 37: to the supervising side), from the register: past due by
 * `escalateAfterDays` or more, each with whom to tell. The same as `obligationEscalations`, which computes
 * them from the registry, once the day's registration ran.
 */
export async function registeredEscalations(deps: { deadlines: Pick<DeadlineRegister, 'dueBy'>; obligations?: Pick<ObligationRepo, 'config'> }, now: Date): Promise<Escalation[]> {
  const cfg = deps.obligations?.config() ?? DEFAULT_OBLIGATION_CONFIG;
  const today = chinaDateOf(now);
  const from = addDaysTo(today, -cfg.lookbackDays);
  return (await registeredObligations(deps, today))
    .filter((i) => i.status === 'overdue' && i.dueDate >= from && i.daysOverdue >= cfg.escalateAfterDays)
    .map((item) => ({ key: `escalate:${item.key}`, item, toUnit: item.subject.escalateTo }));
}
