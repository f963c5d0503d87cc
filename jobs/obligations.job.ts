import { campaignIdOf, openDueCampaigns } from '../core/campaigns/campaign.service';
import type { Locale } from '../core/i18n';
import type { NoticeMessage, NoticeRecipient } from '../core/notices/notice.types';
import type { Escalation } from '../core/obligations/obligation.due';
import { registeredEscalations, registerObligations } from '../core/deadlines/obligation.deadlines';
import { SUPPORTED_LOCALES } from '../core/config.schema';
import { translatorFor } from '../lib/i18n';
import type { JobEnv, JobSpec } from './job';

const localeOf = (l: string): Locale => ((SUPPORTED_LOCALES as readonly string[]).includes(l) ? (l as Locale) : 'zh-CN');

function escalationMessage(e: Escalation, p: NoticeRecipient): NoticeMessage {
  const t = translatorFor(localeOf(p.locale));
  return {
    key: e.key,
    userid: p.userid,
    locale: p.locale,
    kind: 'escalation',
    template: 'bot:notices.obligation_escalation',
    params: { obligation: t(`bot:obligation.name.${e.item.obligation}`), subject: e.item.subject.name, period: e.item.period, due: e.item.dueDate, days: String(e.item.daysOverdue) },
    subject: { kind: 'obligation', id: e.item.key },
    data: null,
  };
}

/**
 * A unit's overdue quarterly check that has a campaign is escalated by the campaign-reminders job, with its
 * counts (sites unchecked, findings open): the obligation's own escalation would tell the same people the
 * same thing with less, so it is left out. Without a campaign it stays.
 */
async function withoutCampaignEscalations(deps: JobEnv['deps'], escalations: Escalation[]): Promise<Escalation[]> {
  const quarterly = escalations.filter((e) => e.item.obligation === 'quarterly_check');
  if (!quarterly.length) return escalations;
  const withCampaign = new Set<string>();
  // By id, one unit's quarter at a time: never a read of every campaign's checks.
  for (const e of quarterly) {
    const id = campaignIdOf(e.item.subject.id, e.item.period);
    if (await deps.campaigns.getCampaign(id)) withCampaign.add(id);
  }
  return escalations.filter((e) => e.item.obligation !== 'quarterly_check' || !withCampaign.has(campaignIdOf(e.item.subject.id, e.item.period)));
}

/**
 * The recurring obligations' daily work: open the quarter's check campaigns once their window starts
 * (`openDueCampaigns`, idempotent), and escalate overdue obligations past the grace days to the supervisors
 * of the unit above (province admins at the top), each escalation stored once per person under its stable
 * key — except a quarter's check that has a campaign, which the campaign-reminders job escalates. A daily marker spares later runs the scan; the unique keys are what make it exactly-once.
 */
export async function runObligations(env: Pick<JobEnv, 'deps'>, now: Date): Promise<{ opened: string[]; escalations: number; inserted: number; skipped?: string }> {
  const calendar = await env.deps.calendar.current();
  const marker = `obligations:${calendar.localDateOf(now)}`;
  if (await env.deps.runs.done(marker)) return { opened: [], escalations: 0, inserted: 0, skipped: 'done' };
  const { opened } = await openDueCampaigns(env.deps, now);
  // Read from the register of open deadlines, once the day's obligations are registered there.
  await registerObligations(env.deps, now);
  const escalations = await withoutCampaignEscalations(env.deps, await registeredEscalations(env.deps, now));
  const toUnits = [...new Set(escalations.flatMap((e) => (e.toUnit ? [e.toUnit] : [])))];
  const supervisors = await env.deps.people.supervisorsByUnit(toUnits);
  const province = escalations.some((e) => e.toUnit === null) ? await env.deps.people.activeProvinceAdmins() : [];
  const messages = escalations.flatMap((e) => (e.toUnit ? (supervisors.get(e.toUnit) ?? []) : province).map((p) => escalationMessage(e, p)));
  const { inserted } = await env.deps.notices.store(messages, now);
  await env.deps.runs.mark(marker, now);
  return { opened, escalations: escalations.length, inserted };
}

export const obligationsJob: JobSpec = { name: 'obligations', run: runObligations };
