import type { WorkingCalendar } from '../calendar';
import type { PersonRef } from '../complaints/complaint.ports';
import type { DeadlineRegister } from '../deadlines/deadline.ports';
import { registeredObligations } from '../deadlines/obligation.deadlines';
import { DEFAULT_OBLIGATION_CONFIG, type ObligationId } from './obligation.config';
import type { ObligationItem, ObligationSubject } from './obligation.due';
import type { ObligationRepo } from './obligation.ports';
import { addDaysTo } from './obligation.schedule';
import { windowStanding, type WindowStanding } from './obligation.window';

/** At most this many obligation lines in one digest; the rest is a count and a pointer to `obligations`. */
export const DIGEST_OBLIGATION_LINES = 8;

export type DigestLineState = 'overdue' | 'due_today' | 'due_soon';

/** One obligation line of a digest, as stored on the notification (plain JSON, rendered in the reader's locale). */
export interface DigestObligationLine {
  obligation: ObligationId;
  subject: string;
  period: string;
  dueDate: string;
  state: DigestLineState;
  /** Overdue: calendar days past the due day; due soon: working days left after today. */
  days: number;
}

/** The obligations part of one person's digest. */
export interface ObligationDigest {
  overdue: number;
  dueToday: number;
  dueSoon: number;
  top: DigestObligationLine[];
  /** A "working days left" count relied on a year without an official holiday schedule. */
  provisional: boolean;
}

/** An obligation occurrence worth a digest line today. */
export interface DigestEntry {
  item: ObligationItem;
  state: DigestLineState;
  days: number;
  provisional: boolean;
}

/**
 * The recurring obligations (mailbox check aside: it has its own line) that a digest on `today` mentions:
 * those not acknowledged that are overdue (within the look-back), due today, or due within the reminder
 * window of `remindWorkingDays` working days. Reads the register of open deadlines only (its obligation
 * entries, registered for the day by core/deadlines/obligation.deadlines.ts `registerObligations`).
 */
export async function obligationsForDigest(deps: { deadlines: Pick<DeadlineRegister, 'dueBy'>; obligations?: Pick<ObligationRepo, 'config'> }, cal: WorkingCalendar, today: string): Promise<DigestEntry[]> {
  const cfg = deps.obligations?.config() ?? DEFAULT_OBLIGATION_CONFIG;
  const n = cfg.remindWorkingDays;
  const from = addDaysTo(today, -cfg.lookbackDays);
  const items = await registeredObligations(deps, today);
  const standing = new Map<string, WindowStanding>();
  const out: DigestEntry[] = [];
  for (const item of items) {
    if (item.status === 'acknowledged' || item.obligation === 'mailbox_check' || item.dueDate < from) continue;
    if (item.dueDate < today) {
      out.push({ item, state: 'overdue', days: item.daysOverdue, provisional: false });
      continue;
    }
    let s = standing.get(item.dueDate);
    if (!s) standing.set(item.dueDate, (s = windowStanding(cal, today, item.dueDate, n)));
    if (!s.inWindow) continue;
    out.push({ item, state: item.dueDate === today ? 'due_today' : 'due_soon', days: s.workingDaysLeft, provisional: s.provisional });
  }
  return out;
}

/** Who answers for each subject: site admins per site, supervisors per unit, and the province admins for the top unit. */
export interface Responsible {
  siteAdmins: ReadonlyMap<string, readonly PersonRef[]>;
  supervisors: ReadonlyMap<string, readonly PersonRef[]>;
  provinceAdmins: readonly PersonRef[];
}

/**
 * The people an obligation of `subject` is reminded to — the same people `canAcknowledgeObligation` lets
 * acknowledge it: a site's admins; a unit's supervisors, and for the unit at the top the province admins.
 */
export function responsibleFor(subject: Pick<ObligationSubject, 'kind' | 'id' | 'escalateTo'>, r: Responsible): PersonRef[] {
  const people = subject.kind === 'site' ? [...(r.siteAdmins.get(subject.id) ?? [])] : [...(r.supervisors.get(subject.id) ?? []), ...(subject.escalateTo === null ? r.provinceAdmins : [])];
  return people.filter((p, i) => people.findIndex((q) => q.userid === p.userid) === i);
}

const STATE_ORDER: Record<DigestLineState, number> = { overdue: 0, due_today: 1, due_soon: 2 };

/** Overdue first (longest first), then due today, then by due day; stable by subject and obligation. */
function compareEntries(a: DigestEntry, b: DigestEntry): number {
  return (
    STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
    (a.state === 'overdue' ? b.days - a.days : a.item.dueDate.localeCompare(b.item.dueDate)) ||
    a.item.subject.name.localeCompare(b.item.subject.name) ||
    a.item.obligation.localeCompare(b.item.obligation) ||
    a.item.period.localeCompare(b.item.period)
  );
}

/** One obligations digest per responsible person (keyed by userid), with the first `limit` lines. Pure. */
export function buildObligationDigests(entries: readonly DigestEntry[], r: Responsible, limit = DIGEST_OBLIGATION_LINES): Map<string, { locale: string; digest: ObligationDigest }> {
  const byPerson = new Map<string, { locale: string; entries: DigestEntry[] }>();
  for (const e of entries) {
    for (const p of responsibleFor(e.item.subject, r)) {
      const slot = byPerson.get(p.userid) ?? { locale: p.locale, entries: [] };
      slot.entries.push(e);
      byPerson.set(p.userid, slot);
    }
  }
  const out = new Map<string, { locale: string; digest: ObligationDigest }>();
  for (const [userid, { locale, entries: mine }] of byPerson) {
    mine.sort(compareEntries);
    out.set(userid, {
      locale,
      digest: {
        overdue: mine.filter((e) => e.state === 'overdue').length,
        dueToday: mine.filter((e) => e.state === 'due_today').length,
        dueSoon: mine.filter((e) => e.state === 'due_soon').length,
        top: mine.slice(0, limit).map((e) => ({ obligation: e.item.obligation, subject: e.item.subject.name, period: e.item.period, dueDate: e.item.dueDate, state: e.state, days: e.days })),
        provisional: mine.some((e) => e.provisional),
      },
    });
  }
  return out;
}
