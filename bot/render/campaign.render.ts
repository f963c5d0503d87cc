import type { Translate } from '../../core/i18n';
import type { CampaignDTO, CheckDTO, ProgressCountsDTO, UnitProgressDTO } from '../../core/presenters/campaign.presenter';
import type { CheckPeriodChoice } from '../../core/campaigns/campaign.period';
import { text, type Reply } from '../reply';

type R = (out: never, t: Translate) => Reply;

function findingLine(f: CheckDTO['findings'][number], t: Translate): string {
  const state = f.rectifiedAt
    ? t('bot:campaign.finding_state.rectified', { note: f.rectificationNote ?? '' })
    : f.acknowledgedAt
      ? t('bot:campaign.finding_state.acknowledged')
      : t('bot:campaign.finding_state.open');
  return t('bot:campaign.finding_line', { no: f.no, category: t(`bot:campaign.category.${f.category}`), text: f.text, state });
}

export function checkLines(c: CheckDTO, t: Translate): string[] {
  return [
    t('bot:campaign.check_title', { site: c.site.name, period: c.period, status: t(`bot:campaign.status.${c.status}`), due: c.dueDate, campaign: c.campaignId }),
    ...(c.findings.length ? c.findings.map((f) => findingLine(f, t)) : [t('bot:campaign.no_findings')]),
  ];
}

const done = (key: string) => ((out: { check: CheckDTO }, t: Translate) => text([t(`bot:campaign.done.${key}`, { site: out.check.site.name, no: out.check.findings.length }), ...checkLines(out.check, t)].join('\n'))) as R;

function renderOpen(out: { campaign: CampaignDTO; created: boolean; inserted: number; choice?: CheckPeriodChoice }, t: Translate): Reply {
  const c = out.campaign;
  const params = { unit: c.unit.name, period: c.period, sites: c.siteCount, due: c.dueDate, inserted: out.inserted, id: c.id };
  const opened = t(out.created ? 'bot:campaign.opened' : 'bot:campaign.already_open', params);
  return text(out.choice ? `${opened}\n${whyThisQuarter(out.choice, t)}` : opened);
}

/** Why this quarter (campaign.period.ts), and how to name another one. */
function whyThisQuarter(c: CheckPeriodChoice, t: Translate): string {
  const params = { period: c.period, windowStart: c.windowStart, due: c.dueDate, days: c.daysPastDue, next: c.next?.period ?? '', nextStart: c.next?.windowStart ?? '' };
  return t(`bot:campaign_period.${c.reason}`, params);
}

const countsParams = (p: ProgressCountsDTO) => ({ ...p });

function renderProgress(out: { campaign: CampaignDTO; today: string; totals: ProgressCountsDTO; byUnit: UnitProgressDTO[] }, t: Translate): Reply {
  const c = out.campaign;
  return text(
    [
      t('bot:campaign.progress_title', { unit: c.unit.name, period: c.period, due: c.dueDate }),
      t('bot:campaign.progress_totals', countsParams(out.totals)),
      ...out.byUnit.map(({ unit, ...counts }) => t('bot:campaign.progress_unit', { ...countsParams(counts), unit: unit.name })),
    ].join('\n'),
  );
}

function renderShow(out: { site: { name: string }; checks: CheckDTO[] }, t: Translate): Reply {
  if (!out.checks.length) return text(t('bot:campaign.no_checks', { site: out.site.name }));
  return text(out.checks.flatMap((c) => checkLines(c, t)).join('\n'));
}

export const campaignRenderers = new Map<string, R>([
  ['campaign.open', renderOpen as R],
  ['campaign.progress', renderProgress as R],
  ['campaign.show', renderShow as R],
  ['campaign.finding', done('finding')],
  ['campaign.pass', done('pass')],
  ['campaign.ack', done('ack')],
  ['campaign.rectify', done('rectify')],
  ['campaign.close', done('close')],
]);
