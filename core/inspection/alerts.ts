import { chinaDateOf, chinaDateTimeOf } from '../calendar/civil-date';
import type { PersonRef } from '../complaints/complaint.ports';
import type { NotificationIntent } from '../reminders/reminder.plan';
import type { OutageCover } from '../requests/outage-cover';
import type { Site, SiteStatus } from '../registry/types';
import type { InspectionAlertKind, InspectionReport, InspectionSettings, ProbeResult, VetoReason } from './inspection.types';

/** The current run of failed probes: from its first failure to its last, and the last success before it. */
export interface DownRun {
  since: Date;
  lastAt: Date;
  failed: number;
  lastOk?: Date;
}

/** The failures at the end of a site's probes (any order in, judged by time); undefined when the latest probe passed or there is none. */
export function downRunOf(probes: readonly ProbeResult[]): DownRun | undefined {
  const sorted = [...probes].sort((a, b) => a.at.getTime() - b.at.getTime());
  let i = sorted.length - 1;
  if (i < 0 || sorted[i]!.outcome === 'ok') return undefined;
  const lastAt = sorted[i]!.at;
  while (i > 0 && sorted[i - 1]!.outcome !== 'ok') i--;
  const lastOk = i > 0 ? sorted[i - 1]!.at : undefined;
  return { since: sorted[i]!.at, lastAt, failed: sorted.length - i, ...(lastOk ? { lastOk } : {}) };
}

/**
 * Down long enough to ask the approvals: every probe failed for `downAlertMinutes` (at least two probes, so a
 * single blip never raises it). Cheap, so a probe run asks the requests only for the rare site that is.
 */
export function downLongEnough(run: DownRun | undefined, now: Date, settings: Pick<InspectionSettings, 'downAlertMinutes'>): run is DownRun {
  return !!run && run.failed >= 2 && now.getTime() - run.since.getTime() >= settings.downAlertMinutes * 60_000;
}

export interface OutageDecision {
  kind: Extract<InspectionAlertKind, 'suspected_unapproved_shutdown' | 'not_restored_after_window'>;
  /** What makes the alert once: the outage's first failure, or the request whose window ended. */
  episode: string;
  since: Date;
  requestId?: string;
}

/**
 * Meets the probes with the approvals (art. 14, 15, 37). Failures during an approved temporary offline window
 * or a filed emergency shutdown are expected: nothing. A site that has not passed a probe since its approved
 * window ended, `downAlertMinutes` after the end: 超期未恢复上线 (once per window). Otherwise a site the
 * registry says is `online` and every probe failed for `downAlertMinutes`: 疑似未经审批关停 (once per outage).
 */
export function decideOutage(input: { status: SiteStatus; run: DownRun | undefined; cover: OutageCover; now: Date; settings: Pick<InspectionSettings, 'downAlertMinutes'> }): OutageDecision | undefined {
  const { run, cover, now, settings } = input;
  if (!run || cover.covering) return undefined;
  const grace = settings.downAlertMinutes * 60_000;
  const ended = cover.ended;
  if (ended && (!run.lastOk || run.lastOk < ended.endedAt) && run.lastAt >= ended.endedAt) {
    if (now.getTime() - ended.endedAt.getTime() < grace) return undefined;
    return { kind: 'not_restored_after_window', episode: ended.requestId, since: ended.endedAt, requestId: ended.requestId };
  }
  if (input.status !== 'online' || !downLongEnough(run, now, settings)) return undefined;
  return { kind: 'suspected_unapproved_shutdown', episode: run.since.toISOString(), since: run.since };
}

/** The site a person types in a command: its 网站标识码, else its main domain. */
export const siteRefOf = (site: Pick<Site, 'code' | 'domains' | 'id'>): string => site.code ?? site.domains[0] ?? site.id;

function intents(people: readonly PersonRef[], base: Omit<NotificationIntent, 'userid' | 'locale'>): NotificationIntent[] {
  const seen = new Set<string>();
  const out: NotificationIntent[] = [];
  for (const p of people) {
    if (seen.has(p.userid)) continue;
    seen.add(p.userid);
    out.push({ ...base, userid: p.userid, locale: p.locale });
  }
  return out;
}

/**
 * The outage alert to its people: the site's admins and the supervisors above it. Sent at any hour
 * (`escalation`): art. 28 asks for a 24-hour duty, and an unapproved shutdown is the kind of fact it is for.
 * The message carries the command that files the emergency report (art. 15).
 */
export function outageAlertIntents(site: Pick<Site, 'id' | 'name' | 'code' | 'domains'>, decision: OutageDecision, people: readonly PersonRef[], now: Date): NotificationIntent[] {
  const ref = siteRefOf(site);
  return intents(people, {
    key: `inspection:${decision.kind}:${site.id}:${decision.episode}`,
    kind: 'escalation',
    template: `bot:inspection_alerts.${decision.kind}`,
    params: {
      site: site.name,
      ref,
      since: chinaDateTimeOf(decision.since),
      hours: String(Math.max(1, Math.floor((now.getTime() - decision.since.getTime()) / 3_600_000))),
      today: chinaDateOf(now),
      ...(decision.requestId ? { request: decision.requestId } : {}),
    },
    subject: { kind: 'site', id: site.id },
    late: false,
    notBefore: now,
  });
}

/**
 * A veto line reached goes out at once, not in the digest: once per site, reason and China day, however many
 * inspections run that day (`warning`: held through the quiet hours like every non-urgent message).
 */
export function vetoAlertIntents(site: Pick<Site, 'id' | 'name' | 'code' | 'domains'>, report: Pick<InspectionReport, 'veto' | 'availability' | 'homepage' | 'columns'>, people: readonly PersonRef[], now: Date): NotificationIntent[] {
  const today = chinaDateOf(now);
  return report.veto.flatMap((reason: VetoReason) =>
    intents(people, {
      key: `inspection:veto_risk:${site.id}:${reason}:${today}`,
      kind: 'warning',
      template: 'bot:inspection_alerts.veto_risk',
      params: { site: site.name, ref: siteRefOf(site), reason, detail: vetoDetail(reason, report), today },
      subject: { kind: 'site', id: site.id },
      late: false,
      notBefore: now,
    }),
  );
}

/** The figure behind a veto reason, for the message (`7/140`, `16`, `5`). */
function vetoDetail(reason: VetoReason, r: Pick<InspectionReport, 'availability' | 'homepage' | 'columns'>): string {
  switch (reason) {
    case 'availability':
      return `${r.availability.week.failed}/${r.availability.week.probes}`;
    case 'homepage_stale':
      return r.homepage.daysSince === undefined ? '?' : String(r.homepage.daysSince);
    case 'news_columns_stale':
      return String(r.columns.filter((c) => c.stale && c.kind !== 'other').length);
    case 'columns_stale':
      return String(r.columns.filter((c) => c.stale).length);
    case 'columns_blank':
      return String(r.columns.filter((c) => c.blank).length);
  }
}
