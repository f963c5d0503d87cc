import type { CalendarProvider } from '../calendar/calendar.ports';
import type { ComplaintRepo, DueRow, PersonRef } from './complaint.ports';
import { stageOf, type Stage } from './complaint.types';
import { toDueRow } from '../deadlines/complaint.deadlines';
import type { DeadlineRegister } from '../deadlines/deadline.ports';
import { freshPeople } from '../deadlines/deadline.types';

/** One report waiting for someone, as a reminder lists it. */
export interface DueItem {
  id: string;
  platformId: string;
  siteId: string | null;
  siteName: string | null;
  stage: Stage;
  dueAt: Date;
}

export interface PersonDue {
  person: PersonRef;
  dueToday: DueItem[];
  overdue: DueItem[];
}

export interface SweepResult {
  at: Date;
  /** China-local date the sweep counted "today" in. */
  today: string;
  people: PersonDue[];
  /** Due or overdue reports nobody is bound to act on (no site admin / supervisor registered): escalate these. */
  unowned: { item: DueItem; overdue: boolean }[];
  /** How many open deadlines the register returned. */
  scanned: number;
}

/**
 * Splits open reports into overdue (deadline passed) and due today (deadline is the end of today, China time).
 * Deadlines are day ends, so anything with `dueAt` ≤ end of today is one or the other.
 */
export function classifyDue(dueAt: Date, now: Date, endOfToday: Date): 'overdue' | 'due_today' | null {
  if (dueAt.getTime() <= now.getTime()) return 'overdue';
  if (dueAt.getTime() <= endOfToday.getTime()) return 'due_today';
  return null;
}

export const toDueItem = (r: Pick<DueRow, 'id' | 'platformId' | 'siteId' | 'siteName' | 'state' | 'dueAt'>): DueItem => ({
  id: r.id,
  platformId: r.platformId,
  siteId: r.siteId,
  siteName: r.siteName,
  stage: stageOf(r.state),
  dueAt: r.dueAt,
});

/**
 * For each responsible person, what is due today and what is overdue. Reads the register of open deadlines
 * only (never the reports), then the people: those the register holds resolved and fresh are used as they
 * are, the rest are looked up in bulk (one query per role kind), so the sweep's cost follows the number of
 * open deadlines, not of reports ever received. Who acts: the supervisors bound to the site's supervising unit
 * transfer, the site's admins answer, province admins assign the unmatched queue. A job calls this; it reads
 * only and may run any number of times.
 */
export async function sweepDue(deps: { deadlines: DeadlineRegister; complaints: Pick<ComplaintRepo, 'responsible'>; calendar: CalendarProvider }, now: Date): Promise<SweepResult> {
  const calendar = await deps.calendar.current();
  const today = calendar.localDateOf(now);
  const endOfToday = calendar.endOfLocalDay(today);
  const entries = await deps.deadlines.dueBy({ kind: 'complaint', until: endOfToday });
  const cached = entries.map((e) => freshPeople(e, now));
  const siteIds = new Set<string>();
  const units = new Set<string>();
  let anyUnmatched = false;
  entries.forEach((e, i) => {
    if (cached[i] || !e.acts) return;
    if (e.acts.kind === 'site_admins') siteIds.add(e.acts.siteId);
    else if (e.acts.kind === 'supervisors') units.add(e.acts.unitCode);
    else anyUnmatched = true;
  });
  const who = siteIds.size || units.size || anyUnmatched ? await deps.complaints.responsible([...siteIds], [...units], anyUnmatched) : null;
  const byPerson = new Map<string, PersonDue>();
  const unowned: SweepResult['unowned'] = [];
  entries.forEach((e, i) => {
    const kind = classifyDue(e.dueAt, now, endOfToday);
    if (!kind) return;
    const a = e.acts;
    const people =
      cached[i] ?? (!a || !who ? undefined : a.kind === 'site_admins' ? who.siteAdmins.get(a.siteId) : a.kind === 'supervisors' ? who.supervisors.get(a.unitCode) : who.provinceAdmins);
    const item = toDueItem(toDueRow(e));
    if (!people?.length) {
      unowned.push({ item, overdue: kind === 'overdue' });
      return;
    }
    for (const person of people) {
      let entry = byPerson.get(person.userid);
      if (!entry) byPerson.set(person.userid, (entry = { person, dueToday: [], overdue: [] }));
      (kind === 'overdue' ? entry.overdue : entry.dueToday).push(item);
    }
  });
  const people = [...byPerson.values()].sort((a, b) => a.person.userid.localeCompare(b.person.userid));
  return { at: now, today, people, unowned, scanned: entries.length };
}

/** One message per person per day ("3 due today, 1 overdue") instead of a ping per report. */
export interface Digest {
  userid: string;
  locale: string;
  today: string;
  dueToday: number;
  overdue: number;
  /** The most urgent few (oldest deadline first), for the message body; the rest are counted. */
  top: DueItem[];
}

export const DIGEST_TOP = 5;

/** Builds the digests of a sweep: DTOs without text, rendered by the channel in each person's locale. */
export function buildDigests(sweep: SweepResult, top = DIGEST_TOP): Digest[] {
  return sweep.people.map(({ person, dueToday, overdue }) => ({
    userid: person.userid,
    locale: person.locale,
    today: sweep.today,
    dueToday: dueToday.length,
    overdue: overdue.length,
    // Rows come in deadline order, so the first overdue ones are the oldest.
    top: [...overdue.slice(0, top), ...dueToday.slice(0, Math.max(0, top - overdue.length))],
  }));
}
