import type { SiteRepo, UnitRepo } from '../registry/registry.ports';
import type { Level, Site, SiteKind, Unit } from '../registry/types';
import { chinaDateOf } from '../calendar/civil-date';
import { DEFAULT_OBLIGATION_CONFIG, type ObligationConfig, type ObligationId } from './obligation.config';
import type { ObligationAck, ObligationRepo } from './obligation.ports';
import { isTracked } from './tracking';
import {
  SUBJECT_OF,
  addDaysTo,
  appliesToSite,
  daysBetween,
  enabledObligations,
  obligationKey,
  occurrencesDueBetween,
  type Occurrence,
  type SubjectKind,
} from './obligation.schedule';

/** Sites that still carry duties: everything opened and not closed. */
/**
 * The ports the obligation rules read: named here rather than taken from `Deps`, so that the digest types
 * reminder planning imports stay leaves (core/no-circles.test.ts).
 */
export interface ObligationDeps {
  sites: SiteRepo;
  units: UnitRepo;
  obligations?: ObligationRepo;
}

export const ACTIVE_SITE_STATUSES: Site['status'][] = ['online', 'temp_offline', 'closing'];

/** A site or a supervising unit, with what permissions and escalation need. */
export interface ObligationSubject {
  kind: SubjectKind;
  id: string;
  name: string;
  /** 网站标识码 or main domain (sites), unit code (units): what a person types in chat. */
  ref: string;
  /** Sites: level and kind decide whether the sealed copy applies. */
  level?: Level;
  siteKind?: SiteKind;
  /** Who is told when it is overdue: the site's supervising unit, the unit's parent (null: the province admins). */
  escalateTo: string | null;
}

export type ItemStatus = 'upcoming' | 'open' | 'overdue' | 'acknowledged';

export interface ObligationItem extends Occurrence {
  key: string;
  subject: ObligationSubject;
  status: ItemStatus;
  /** Days past the due day (0 until then). */
  daysOverdue: number;
  ack: ObligationAck | null;
}

export const siteSubject = (s: Site): ObligationSubject => ({
  kind: 'site',
  id: s.id,
  name: s.name,
  ref: s.code ?? s.domains[0] ?? s.id,
  level: s.level,
  siteKind: s.kind,
  escalateTo: s.supervisingUnit,
});

export const unitSubject = (u: Unit): ObligationSubject => ({ kind: 'unit', id: u.code, name: u.name, ref: u.code, escalateTo: u.parentCode });

const configOf = (deps: ObligationDeps): ObligationConfig => deps.obligations?.config() ?? DEFAULT_OBLIGATION_CONFIG;

/** Every subject of the deployment: active sites and the units that supervise them. Two queries. */
export async function allSubjects(deps: ObligationDeps): Promise<ObligationSubject[]> {
  const sites = await deps.sites.find({ statuses: ACTIVE_SITE_STATUSES });
  const units = await deps.units.getMany([...new Set(sites.map((s) => s.supervisingUnit))]);
  return [...sites.map(siteSubject), ...units.map(unitSubject)];
}

/**
 * The occurrences due in `from`..`to` for each subject it binds, with their acknowledgements (one query) and
 * status as of `today`. The mailbox check only ever appears for `today`.
 */
export async function obligationItems(
  deps: ObligationDeps,
  subjects: readonly ObligationSubject[],
  today: string,
  range: { from: string; to: string },
  only?: ObligationId[],
): Promise<ObligationItem[]> {
  const cfg = configOf(deps);
  const since = (await deps.obligations?.trackingSince()) ?? null;
  const items: ObligationItem[] = [];
  for (const obligation of enabledObligations(cfg)) {
    if (only && !only.includes(obligation)) continue;
    const due = obligation === 'mailbox_check' ? occurrencesDueBetween(cfg, obligation, today, today) : occurrencesDueBetween(cfg, obligation, range.from, range.to);
    // Due before the deployment started tracking: nobody missed it here, so it is neither overdue nor escalated.
    const occurrences = due.filter((o) => isTracked(o.dueDate, since));
    if (!occurrences.length) continue;
    for (const subject of subjects) {
      if (subject.kind !== SUBJECT_OF[obligation]) continue;
      if (subject.kind === 'site' && !appliesToSite(cfg, obligation, { level: subject.level!, kind: subject.siteKind! })) continue;
      for (const o of occurrences) {
        const daysOverdue = Math.max(0, daysBetween(o.dueDate, today));
        const status: ItemStatus = o.dueDate < today ? 'overdue' : o.windowStart <= today ? 'open' : 'upcoming';
        items.push({ ...o, key: obligationKey(obligation, subject.id, o.period), subject, status, daysOverdue, ack: null });
      }
    }
  }
  const acks = items.length && deps.obligations ? await deps.obligations.acksByKeys(items.map((i) => i.key)) : new Map<string, ObligationAck>();
  for (const item of items) {
    const ack = acks.get(item.key);
    if (ack) Object.assign(item, { ack, status: 'acknowledged' as const, daysOverdue: 0 });
  }
  return items.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.subject.name.localeCompare(b.subject.name) || a.obligation.localeCompare(b.obligation));
}

export interface DueReport {
  today: string;
  /** Due from today to the horizon, not yet acknowledged: reminders. */
  dueSoon: ObligationItem[];
  /** Past due and not acknowledged (mailbox excluded): reminders to the subject, escalations after `escalateAfterDays`. */
  overdue: ObligationItem[];
  /** Quiet daily items for the digest (art. 23 mailbox check), not acknowledged today. */
  digest: ObligationItem[];
}

/**
 * What the reminder engine should say today about recurring obligations. Plain function for a job: it reads
 * the registry and the acknowledgements in three bulk queries and writes nothing, so running it twice is harmless.
 */
export async function obligationsDue(deps: ObligationDeps, now: Date): Promise<DueReport> {
  const cfg = configOf(deps);
  const today = chinaDateOf(now);
  const items = await obligationItems(deps, await allSubjects(deps), today, { from: addDaysTo(today, -cfg.lookbackDays), to: addDaysTo(today, cfg.horizonDays) });
  const open = items.filter((i) => i.status !== 'acknowledged');
  return {
    today,
    dueSoon: open.filter((i) => i.obligation !== 'mailbox_check' && i.dueDate >= today),
    overdue: open.filter((i) => i.obligation !== 'mailbox_check' && i.dueDate < today),
    digest: open.filter((i) => i.obligation === 'mailbox_check'),
  };
}

/** One overdue occurrence to escalate, once: `key` is stable, so a job can dedupe its notification on it. */
export interface Escalation {
  key: string;
  item: ObligationItem;
  /** The unit whose supervisors hear of it; null means the province admins. */
  toUnit: string | null;
}

/** Overdue occurrences past the grace days, each with whom to escalate to (art. 37: the supervising side). */
export async function obligationEscalations(deps: ObligationDeps, now: Date): Promise<Escalation[]> {
  const cfg = configOf(deps);
  const { overdue } = await obligationsDue(deps, now);
  return overdue.filter((i) => i.daysOverdue >= cfg.escalateAfterDays).map((item) => ({ key: `escalate:${item.key}`, item, toUnit: item.subject.escalateTo }));
}
