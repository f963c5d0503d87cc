import type { Translate } from '../../core/i18n';
import { describeError } from '../../core/presenters/error.presenter';
import { text, type Reply } from '../reply';
import { renderCalendarDeadline, renderCalendarStatus } from './calendar.render';
import { renderMe, renderSite, renderSiteList } from './registry.render';
import { requestRenderers } from './request.render';
import type { MpBindingCodeDTO } from '../../core/commands/mp.command';
import { bindingRenderers } from './binding.render';
import { renderNotificationList } from './notification.render';
import { obligationRenderers } from './obligation.render';
import { campaignRenderers } from './campaign.render';
import { annualReportRenderers } from './annual-report.render';
import { noticeRenderers } from './notice.render';
import { wecomRenderers } from './wecom.render';
import { inspectionRenderers } from './inspection.render';
import { renderLocale } from './locale.render';
import { renderComplaint, renderComplaintDone, renderComplaintList, renderDueToday, renderIntake, renderOverdue, renderPublished, renderStats } from './complaint.render';

type Renderer = (out: never, t: Translate) => Reply;

/** How each command's result reads in chat. A test checks every chat command has one. */
const renderers = new Map<string, Renderer>();

export function registerRenderer(commandId: string, render: Renderer): void {
  renderers.set(commandId, render);
}

export function hasRenderer(commandId: string): boolean {
  return renderers.has(commandId);
}

export function renderResult(commandId: string, out: unknown, t: Translate): Reply {
  const render = renderers.get(commandId);
  if (!render) throw new Error(`no chat renderer for ${commandId}`);
  return (render as (o: unknown, t: Translate) => Reply)(out, t);
}

export function renderError(err: unknown, t: Translate, requestId: string): Reply {
  return text(t('bot:error_prefix') + describeError(err, t, requestId).message);
}

registerRenderer('help', ((out: { commands: { id: string; word: string; args: string[] }[] }, t: Translate) =>
  text(
    [
      t('bot:help_title'),
      ...out.commands.map((c) =>
        t('bot:help_line', {
          usage: [c.word, ...c.args.map((a) => t(`commands:${c.id}.args.${a}`))].join(' '),
          summary: t(`commands:${c.id}.summary`),
        }),
      ),
    ].join('\n'),
  )) as Renderer);
registerRenderer('site.mine', renderSiteList as Renderer);
registerRenderer('site.show', renderSite as Renderer);
registerRenderer('me.show', renderMe as Renderer);
registerRenderer('me.locale', renderLocale as Renderer);
registerRenderer('calendar.status', renderCalendarStatus as Renderer);
registerRenderer('calendar.year', renderCalendarStatus as Renderer);
registerRenderer('calendar.deadline', renderCalendarDeadline as Renderer);
registerRenderer('complaint.show', renderComplaint as Renderer);
for (const id of ['transfer', 'answer', 'untrue', 'publish', 'close', 'return', 'reassign', 'assign', 'reopen']) registerRenderer(`complaint.${id}`, renderComplaintDone as Renderer);
registerRenderer('complaint.intake', renderIntake as Renderer);
registerRenderer('complaint.list', renderComplaintList as Renderer);
registerRenderer('complaint.due', renderDueToday as Renderer);
registerRenderer('complaint.overdue', renderOverdue as Renderer);
registerRenderer('complaint.stats', renderStats as Renderer);
registerRenderer('complaint.published', renderPublished as Renderer);
for (const [id, render] of requestRenderers) registerRenderer(id, render as Renderer);
for (const [id, render] of bindingRenderers) registerRenderer(id, render as Renderer);
registerRenderer('mp.code', ((out: { binding: MpBindingCodeDTO }, t: Translate) =>
  text(t('bot:miniprogram.binding_code', { code: out.binding.code, minutes: out.binding.minutes }))) as Renderer);
registerRenderer('notification.mine', renderNotificationList as Renderer);
for (const [id, render] of [...obligationRenderers, ...campaignRenderers, ...annualReportRenderers]) registerRenderer(id, render as Renderer);
for (const [id, render] of noticeRenderers) registerRenderer(id, render as Renderer);
for (const [id, render] of wecomRenderers) registerRenderer(id, render as Renderer);
for (const [id, render] of inspectionRenderers) registerRenderer(id, render as Renderer);
