import type { PersonRef } from '../complaints/complaint.ports';
import { stageOf } from '../complaints/complaint.types';
import { toDueRow } from '../deadlines/complaint.deadlines';
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
