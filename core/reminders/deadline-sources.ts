import type { PersonRef } from '../complaints/complaint.ports';
import { stageOf } from '../complaints/complaint.types';
import { toDueRow } from '../deadlines/complaint.deadlines';
import { audiencesOf, peopleOfAudience } from '../deadlines/deadline.types';
import { toReviewDue } from '../deadlines/request.deadlines';
import type { Deps } from '../ports';
import type { DeadlineItem } from './reminder.plan';

/**
 * Every open error-report deadline that ends by tonight (China time), as deadline items: read from the register
 * of open deadlines (never the reports), the people in bulk, the parent units in one more query — never a
 * query per site. Who acts: the supervising unit's supervisors transfer, the site's admins answer, province admins
 * assign the unmatched. Who hears when a deadline passes: for an answer, the supervising unit's supervisors;
 * for a transfer, the supervisors of the unit above the supervising one (province admins at the top); for
 * the unmatched queue, province admins.
 */
export async function complaintDeadlines(deps: Pick<Deps, 'deadlines' | 'complaints' | 'calendar' | 'units'>, now: Date): Promise<DeadlineItem[]> {
  const calendar = await deps.calendar.current();
  const endOfToday = calendar.endOfLocalDay(calendar.localDateOf(now));
  const rows = (await deps.deadlines.dueBy({ kind: 'complaint', until: endOfToday })).map(toDueRow);
  if (!rows.length) return [];
  const sites = new Set<string>();
  const units = new Set<string>();
  for (const r of rows) {
    if (r.siteId) sites.add(r.siteId);
    if (r.supervisingUnit) units.add(r.supervisingUnit);
  }
  const parents = new Map((await deps.units.getMany([...units])).map((u) => [u.code, u.parentCode]));
  const allUnits = new Set([...units, ...[...parents.values()].filter((c): c is string => Boolean(c))]);
  const who = await deps.complaints.responsible([...sites], [...allUnits], true);
  const supervisorsOf = (code: string | null | undefined): PersonRef[] => (code ? (who.supervisors.get(code) ?? []) : []);
  return rows.map((r) => {
    const stage = stageOf(r.state);
    const recipients = r.state === 'transferred' ? (who.siteAdmins.get(r.siteId ?? '') ?? []) : r.state === 'received' ? supervisorsOf(r.supervisingUnit) : who.provinceAdmins;
    let escalateTo: PersonRef[];
    if (r.state === 'transferred') escalateTo = supervisorsOf(r.supervisingUnit);
    else if (r.state === 'received') escalateTo = supervisorsOf(parents.get(r.supervisingUnit ?? ''));
    else escalateTo = who.provinceAdmins;
    if (!escalateTo.length) escalateTo = who.provinceAdmins;
    return {
      subject: { kind: 'complaint', id: r.id },
      stage,
      dueDate: calendar.localDateOf(new Date(r.dueAt.getTime() - 1)),
      dueAt: r.dueAt,
      params: { platformId: r.platformId, site: r.siteName ?? '—', stage },
      recipients,
      escalateTo,
    };
  });
}

const REVIEW_TEMPLATES = { start: 'bot:review_reminders.start', before_end: 'bot:review_reminders.before_end', escalation: 'bot:review_reminders.escalation' };

/**
 * Every open approval step's review deadline that ends by tonight (China time), as deadline items: read from
 * the register of open deadlines (never the requests), the people in bulk, the parent units in one more
 * query. Who acts: the step's deciders (its assignee after a 转办, else its unit's supervisors, and the
 * province admins at the root step). Who hears when it passes: the supervisors of the unit above the step's
 * (province admins at the top, or when the unit above has none).
 */
export async function reviewDeadlines(deps: Pick<Deps, 'deadlines' | 'complaints' | 'calendar' | 'units' | 'users'>, now: Date): Promise<DeadlineItem[]> {
  const calendar = await deps.calendar.current();
  const endOfToday = calendar.endOfLocalDay(calendar.localDateOf(now));
  const rows = (await deps.deadlines.dueBy({ kind: 'review', until: endOfToday })).map((e) => ({ e, r: toReviewDue(e) }));
  if (!rows.length) return [];
  const { units, users } = audiencesOf(rows.map((x) => x.e));
  const parents = new Map((await deps.units.getMany([...new Set(rows.map((x) => x.r.unitCode))])).map((u) => [u.code, u.parentCode]));
  const above = [...new Set([...parents.values()].filter((c): c is string => Boolean(c)))];
  // Province admins always: they hear of an overdue step whose unit has nobody above it.
  const who = await deps.complaints.responsible([], [...new Set([...units, ...above])], true);
  const named = users.length ? (await deps.users.byIds(users)).filter((u) => u.active).map((u): PersonRef => ({ userid: u.userid, name: u.name, locale: u.locale })) : [];
  return rows.map(({ e, r }) => {
    const parent = parents.get(r.unitCode);
    const escalateTo = parent ? (who.supervisors.get(parent) ?? []) : [];
    return {
      subject: { kind: 'request', id: r.requestId },
      stage: e.stage,
      dueDate: r.dueDate ?? calendar.localDateOf(new Date(r.dueAt.getTime() - 1)),
      dueAt: r.dueAt,
      params: { id: r.requestId, type: r.type, site: r.siteName ?? '—', unit: r.unitName },
      recipients: peopleOfAudience(e.acts, { ...who, users: named }),
      escalateTo: escalateTo.length ? escalateTo : who.provinceAdmins,
      templates: REVIEW_TEMPLATES,
    };
  });
}
