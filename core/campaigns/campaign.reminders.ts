import { isTracked } from '../obligations/tracking';
import type { WorkingCalendar } from '../calendar';
import type { PersonRef } from '../complaints/complaint.ports';
import { addDaysTo, daysBetween } from '../obligations/obligation.schedule';
import { toCheckRow, checkRowOf, type CheckRow } from '../deadlines/check.deadlines';
import { registeredObligations } from '../deadlines/obligation.deadlines';
import { whenOf, windowStanding } from '../obligations/obligation.window';
import type { Deps } from '../ports';
import { chinaDateOf, chinaInstant, chinaStartOf } from '../calendar/civil-date';
import { afterQuietHours } from '../reminders/quiet-hours';
import type { NotificationIntent } from '../reminders/reminder.plan';
import type { ReminderSettings } from '../reminders/reminder.settings';
import { acknowledgeIfComplete, campaignIdOf, campaignRepoOf } from './campaign.service';
import type { Campaign, CheckSite, SiteCheck } from './campaign.types';

/** What is still open in a campaign, counted over its checks not yet closed. */
export interface CampaignTally {
  /** Sites in the campaign (its checks, closed ones included). */
  sites: number;
  /** Checks not closed. */
  open: number;
  /** Sites not yet checked: the checker's part. */
  pending: number;
  /** Checked, every finding rectified, not closed: the supervisor's part. */
  toClose: number;
  /** Findings not acknowledged by the site, and acknowledged but not rectified: the site admins' part. */
  toAck: number;
  toRectify: number;
}

/** A site whose admins still owe answers to findings. */
export interface SiteOwing {
  site: CheckSite;
  toAck: number;
  toRectify: number;
}

/** Counts the open work of a campaign from its open checks (closed checks have nothing open). Pure. */
export function tallyOf(campaign: Pick<Campaign, 'siteCount'>, openChecks: readonly SiteCheck[], totalChecks = campaign.siteCount): { tally: CampaignTally; owing: SiteOwing[] } {
  return tallyOfRows(openChecks.map(checkRowOf), totalChecks);
}

/** The same from the open checks as the register of open deadlines holds them (core/deadlines/check.deadlines.ts). Pure. */
export function tallyOfRows(openChecks: readonly CheckRow[], totalChecks: number): { tally: CampaignTally; owing: SiteOwing[] } {
  const tally: CampaignTally = { sites: totalChecks, open: 0, pending: 0, toClose: 0, toAck: 0, toRectify: 0 };
  const owing: SiteOwing[] = [];
  for (const c of openChecks) {
    if (c.status === 'closed') continue;
    tally.open++;
    if (c.status === 'pending') tally.pending++;
    const { toAck, toRectify } = c;
    if (c.status === 'checked' && toAck + toRectify === 0) tally.toClose++;
    tally.toAck += toAck;
    tally.toRectify += toRectify;
    if (toAck + toRectify) owing.push({ site: c.site, toAck, toRectify });
  }
  owing.sort((a, b) => a.site.name.localeCompare(b.site.name));
  return { tally, owing };
}

export type CampaignPhase =
  /** Within the last working days before the publication deadline (and on it), on a working day. */
  | { kind: 'remind'; workingDaysLeft: number; provisional: boolean }
  /** Past the deadline by at least the grace days and still open: tell the unit above. */
  | { kind: 'escalate'; daysOverdue: number };

/** One open campaign that someone must hear about today. */
export interface CampaignDuty {
  campaign: Campaign;
  phase: CampaignPhase;
  tally: CampaignTally;
  owing: SiteOwing[];
  /** The unit above the campaign's unit (its supervisors hear the escalation); null: the province admins. */
  parentUnit: string | null;
}

/**
 * The open quarterly check campaigns (art. 32) to remind or escalate about on `now`'s China-local day:
 * those whose publication deadline is `remindWorkingDays` working days away or less (reminders, working days
 * only), and those past it by `escalateAfterDays` or more, within the look-back (escalations). Reads the
 * register of open deadlines: its open site checks, grouped by campaign, then each campaign concerned by its
 * id. A campaign whose checks are all closed is complete: if its unit's quarterly_check obligation is still
 * open in the register (the close that completed it did not get to the acknowledgement), it is acknowledged
 * here (`acknowledged`). Writes only those acknowledgements.
 */
export async function campaignDuties(deps: Deps, cal: WorkingCalendar, now: Date): Promise<{ today: string; duties: CampaignDuty[]; acknowledged: string[] }> {
  const cfg = deps.obligations.config();
  const today = cal.localDateOf(now);
  if (!cfg.quarterly_check.enabled) return { today, duties: [], acknowledged: [] };
  const repo = campaignRepoOf(deps);
  const since = await deps.obligations.trackingSince();
  const n = cfg.remindWorkingDays;
  const from = addDaysTo(today, -cfg.lookbackDays);
  const to = addDaysTo(today, n * 2 + 14);
  const workingDay = cal.isWorkingDay(today);
  const openByCampaign = new Map<string, CheckRow[]>();
  for (const e of await deps.deadlines.dueBy({ kind: 'check', until: chinaStartOf(addDaysTo(to, 1)) })) {
    const row = toCheckRow(e);
    if (row.dueDate < from) continue;
    openByCampaign.set(row.campaignId, [...(openByCampaign.get(row.campaignId) ?? []), row]);
  }
  const found: { campaign: Campaign; phase: CampaignPhase; open: CheckRow[] }[] = [];
  for (const [id, open] of openByCampaign) {
    const due = open[0]!.dueDate;
    let phase: CampaignPhase | undefined;
    if (today <= due) {
      if (!workingDay) continue;
      const w = windowStanding(cal, today, due, n);
      if (w.inWindow) phase = { kind: 'remind', workingDaysLeft: w.workingDaysLeft, provisional: w.provisional };
    } else if (isTracked(due, since) && daysBetween(due, today) >= cfg.escalateAfterDays) {
      // (A quarter due before tracking started is not escalated: core/obligations/tracking.ts.)
      phase = { kind: 'escalate', daysOverdue: daysBetween(due, today) };
    }
    if (!phase) continue;
    const campaign = await repo.getCampaign(id);
    if (campaign) found.push({ campaign, phase, open });
  }
  const acknowledged: string[] = [];
  for (const item of await registeredObligations(deps, today)) {
    if (item.obligation !== 'quarterly_check' || item.dueDate < from || item.dueDate > to) continue;
    const id = campaignIdOf(item.subject.id, item.period);
    if (openByCampaign.has(id)) continue;
    if ((await acknowledgeIfComplete(deps, id, 'job'))?.created) acknowledged.push(id);
  }
  const units = new Map((await deps.units.getMany([...new Set(found.map((f) => f.campaign.unitCode))])).map((u) => [u.code, u]));
  const duties = found.map(({ campaign, phase, open }) => ({ campaign, phase, ...tallyOfRows(open, Math.max(open.length, campaign.siteCount)), parentUnit: units.get(campaign.unitCode)?.parentCode ?? null }));
  return { today, duties, acknowledged };
}

/** Who hears what: supervisors per unit, admins per site, and the province admins (top unit, escalations from it). */
export interface CampaignPeople {
  supervisors: ReadonlyMap<string, readonly PersonRef[]>;
  siteAdmins: ReadonlyMap<string, readonly PersonRef[]>;
  provinceAdmins: readonly PersonRef[];
}

const unique = (people: readonly PersonRef[]) => people.filter((p, i) => people.findIndex((q) => q.userid === p.userid) === i);

/** The units and sites whose people `planCampaignReminders` needs for these duties. */
export function peopleNeeded(duties: readonly CampaignDuty[]): { units: string[]; sites: string[]; provinceAdmins: boolean } {
  const units = new Set<string>();
  const sites = new Set<string>();
  let provinceAdmins = false;
  for (const d of duties) {
    if (d.phase.kind === 'remind') {
      units.add(d.campaign.unitCode);
      if (d.parentUnit === null) provinceAdmins = true;
      for (const o of d.owing) sites.add(o.site.id);
    } else if (d.parentUnit) units.add(d.parentUnit);
    else provinceAdmins = true;
  }
  return { units: [...units], sites: [...sites], provinceAdmins };
}

const SITES_NAMED = 5;

function siteList(owing: readonly SiteOwing[], locale: string): string {
  const names = owing.slice(0, SITES_NAMED).map((o) => o.site.name).join(locale === 'en' ? ', ' : '、');
  return owing.length > SITES_NAMED ? `${names} (+${owing.length - SITES_NAMED})` : names;
}

/**
 * The day's reminders and the escalations for these duties. Before the deadline, once per person per day:
 * the supervisors of the campaign's unit (the checkers; the province admins too at the top) while sites are
 * unchecked or checks wait to be closed — `campaign-reminder:<campaign>:<date>:check`; each site admin whose
 * sites have findings not acknowledged or not rectified, all their sites in one message —
 * `campaign-reminder:<campaign>:<date>:findings`. After it, once per person for the campaign: the supervisors
 * of the unit above (the province admins at the top) — `campaign-escalation:<campaign>`. Pure: the same
 * input gives the same keys on every instance, and the notifications' unique (key, userid) stores each once.
 */
export function planCampaignReminders(duties: readonly CampaignDuty[], people: CampaignPeople, today: string, now: Date, s: ReminderSettings): NotificationIntent[] {
  const out: NotificationIntent[] = [];
  const late = now.getTime() - chinaInstant(today, s.digestAt).getTime() > s.lateAfterMs;
  const quietEnd = afterQuietHours(now, s.quietHours);
  for (const d of duties) {
    const c = d.campaign;
    const subject = { kind: 'campaign' as const, id: c.id };
    const base = { unit: c.unitName, period: c.period, due: c.dueDate, sites: String(d.tally.sites), pending: String(d.tally.pending), openFindings: String(d.tally.toAck + d.tally.toRectify) };
    if (d.phase.kind === 'escalate') {
      const to = d.parentUnit ? (people.supervisors.get(d.parentUnit) ?? []) : people.provinceAdmins;
      for (const p of unique(to)) {
        out.push({
          key: `campaign-escalation:${c.id}`,
          userid: p.userid,
          locale: p.locale,
          kind: 'escalation',
          template: 'bot:campaign_reminder.escalation',
          params: { ...base, days: String(d.phase.daysOverdue), open: String(d.tally.open) },
          subject,
          late: false,
          notBefore: now,
        });
      }
      continue;
    }
    // A reminder that quiet hours would push into tomorrow says nothing tomorrow's would not.
    if (chinaDateOf(quietEnd) !== today) continue;
    const when = whenOf(today, c.dueDate, d.phase.workingDaysLeft);
    const timing = { when, left: String(d.phase.workingDaysLeft) };
    // In a year without an official holiday schedule the count of working days is a guess: the message says so.
    const variant = d.phase.provisional ? '_provisional' : '';
    if (d.tally.pending + d.tally.toClose > 0) {
      const checkers = [...(people.supervisors.get(c.unitCode) ?? []), ...(d.parentUnit === null ? people.provinceAdmins : [])];
      for (const p of unique(checkers)) {
        out.push({
          key: `campaign-reminder:${c.id}:${today}:check`,
          userid: p.userid,
          locale: p.locale,
          kind: 'reminder',
          template: `bot:campaign_reminder.check${variant}`,
          params: { ...base, ...timing, toClose: String(d.tally.toClose) },
          subject,
          late,
          notBefore: quietEnd,
        });
      }
    }
    const byAdmin = new Map<string, { person: PersonRef; owing: SiteOwing[] }>();
    for (const o of d.owing) {
      for (const p of people.siteAdmins.get(o.site.id) ?? []) {
        const slot = byAdmin.get(p.userid) ?? { person: p, owing: [] };
        slot.owing.push(o);
        byAdmin.set(p.userid, slot);
      }
    }
    for (const { person: p, owing } of byAdmin.values()) {
      out.push({
        key: `campaign-reminder:${c.id}:${today}:findings`,
        userid: p.userid,
        locale: p.locale,
        kind: 'reminder',
        template: `bot:campaign_reminder.findings${variant}`,
        params: {
          ...base,
          ...timing,
          toAck: String(owing.reduce((n, o) => n + o.toAck, 0)),
          toRectify: String(owing.reduce((n, o) => n + o.toRectify, 0)),
          siteList: siteList(owing, p.locale),
        },
        subject,
        late,
        notBefore: quietEnd,
      });
    }
  }
  return out;
}
