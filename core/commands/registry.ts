import type { AnyCommand } from './command';
import { complaintActionCommands } from './complaint.command';
import { complaintReportCommands } from './complaint-report.command';
import { calendarCommands } from './calendar.command';
import { helpCommand } from './help.command';
import { meShow } from './me.command';
import { localeSet } from './locale.command';
import { siteListMine, siteShow } from './site.command';
import { requestCommands } from './requests/index';
import { notificationCommands } from './notification.command';
import { mpBindingCode } from './mp.command';
import { bindingCommands } from './binding.command';
import { obligationCommands } from './obligation.command';
import { campaignCommands } from './campaign.command';
import { annualReportCommands } from './annual-report.command';
import { noticeCommands } from './notice.command';
import { wecomCommands } from './wecom.command';
import { inspectionCommands } from './inspection.command';

/**
 * Every command the system knows. Chat, card buttons, REST routes and jobs all look commands up here, so
 * a feature added here is reachable everywhere. Later modules add theirs with `registerCommands`.
 */
const commands: AnyCommand[] = [];

export function registerCommands(...specs: AnyCommand[]): void {
  for (const spec of specs) {
    if (commands.some((c) => c.id === spec.id)) throw new Error(`command ${spec.id} registered twice`);
    commands.push(spec);
  }
}

export function allCommands(): readonly AnyCommand[] {
  return commands;
}

export function commandById(id: string): AnyCommand | undefined {
  return commands.find((c) => c.id === id);
}

registerCommands(helpCommand(allCommands), meShow, siteListMine, siteShow);
registerCommands(localeSet);
registerCommands(...calendarCommands);
// Report commands first: their fixed paths (/complaints/due, /stats) must win over /complaints/:ref.
registerCommands(...complaintReportCommands, ...complaintActionCommands);
registerCommands(...requestCommands);
registerCommands(...notificationCommands);
registerCommands(mpBindingCode);
registerCommands(...bindingCommands);
registerCommands(...obligationCommands, ...campaignCommands, ...annualReportCommands);
registerCommands(...noticeCommands);
registerCommands(...wecomCommands);
registerCommands(...inspectionCommands);
