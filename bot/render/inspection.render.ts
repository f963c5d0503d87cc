import { chinaDateTimeOf } from '../../core/calendar/civil-date';
import type { Translate } from '../../core/i18n';
import { problemText, statusText } from '../../core/inspection/problem-text';
import type { CheckDTO } from '../../core/presenters/campaign.presenter';
import {
  percent,
  type BrokenLinkDTO,
  type DayAvailabilityDTO,
  type InspectionProfileDTO,
  type InspectionReportDTO,
  type JudgedColumnDTO,
  type OverviewRowDTO,
  type ProblemDTO,
} from '../../core/presenters/inspection.presenter';
import { text, type Reply } from '../reply';
import { checkLines } from './campaign.render';

type R = (out: never, t: Translate) => Reply;
type SiteRef = { id: string; name: string; ref: string };
type Figures = { probes: number; failed: number; ratio: number };

/** Chat answers stay readable: long lists end with how many more there are and where to see them all. */
const MAX_PROBLEMS = 20;
const MAX_LINKS = 30;
const MAX_SITES = 30;

const V = (key: string, params?: Record<string, unknown>) => [`bot:inspect_view.${key}`, params] as const;
const when = (iso: string) => chinaDateTimeOf(new Date(iso));
const figures = (f: Figures) => ({ probes: f.probes, failed: f.failed, percent: percent(f.ratio) });
const kindWord = (kind: string, t: Translate) => t(`bot:inspect_view.kind.${kind}`);

function more(total: number, shown: number, t: Translate): string[] {
  return total > shown ? [t(...V('more', { count: total - shown }))] : [];
}

function homepageLine(h: InspectionReportDTO['homepage'], t: Translate, limitDays?: number): string {
  if (!h.lastUpdate) return t(...V('homepage_unknown', { url: h.url }));
  return t(...V(h.stale ? 'homepage_stale' : 'homepage_ok', { url: h.url, lastUpdate: h.lastUpdate, days: h.daysSince ?? 0, limit: limitDays ?? '' }));
}

function columnLine(c: JudgedColumnDTO, t: Translate): string {
  const params = { name: c.name ?? c.url, kind: kindWord(c.kind, t), days: c.daysSince ?? '—', limit: c.limitDays, lastUpdate: c.lastUpdate ?? '—' };
  if (c.blank) return t(...V('column_blank', params));
  if (c.stale) return t(...V(c.lastUpdate ? 'column_stale' : 'column_undated', params));
  if (!c.lastUpdate) return t(...V('column_unfetched', params));
  return t(...V(c.nearLimit ? 'column_near' : 'column_ok', params));
}

function problemLines(problems: readonly ProblemDTO[], t: Translate): string[] {
  if (!problems.length) return [t(...V('no_problems'))];
  const shown = problems.slice(0, MAX_PROBLEMS);
  return [
    t(...V('problems_title', { count: problems.length })),
    ...shown.map((p) => t(...V('problem_line', { no: p.no, tag: p.veto ? t(...V('veto_tag')) : '', text: problemText(p, t) }))),
    ...more(problems.length, shown.length, t),
  ];
}

/** The report as a chat answer: figures first, then the numbered problems a supervisor may turn into findings. */
export function reportLines(r: InspectionReportDTO, t: Translate): string[] {
  const ref = r.site.ref;
  const elements = [...r.elements.missing.map((e) => t(`bot:inspect_view.element.${e}`)), ...r.elements.mismatched.map((m) => t(...V('mismatch_short', { element: t(`bot:inspect_view.element.${m.element}`), expected: m.expected, found: m.found })))];
  return [
    t(...V('report_title', { site: r.site.name, at: when(r.at) })),
    ...(r.veto.length ? [t(...V('veto_line', { reasons: r.veto.map((v) => t(`bot:inspect_view.veto.${v}`)).join('；') }))] : []),
    t(...V('availability_line', { today: t(...V('figures', figures(r.availability.today))), week: t(...V('figures', figures(r.availability.week))) })),
    homepageLine(r.homepage, t),
    t(...V('columns_summary', { total: r.columns.length, stale: r.counts.staleColumns, blank: r.counts.blankColumns, near: r.counts.nearLimitColumns, site: ref })),
    t(...V('links_summary', { count: r.counts.brokenLinks, site: ref })),
    elements.length ? t(...V('elements_missing', { list: elements.join('、') })) : t(...V('elements_ok')),
    ...problemLines(r.problems, t),
    ...(r.problems.length ? [t(...V('finding_hint', { site: ref }))] : []),
  ];
}

function renderRun(out: { report: InspectionReportDTO }, t: Translate): Reply {
  return text([t(...V('run_done')), ...reportLines(out.report, t)].join('\n'));
}

function renderReport(out: { site: SiteRef; report: InspectionReportDTO | null; days: DayAvailabilityDTO[]; total: Figures }, t: Translate): Reply {
  const days = [
    t(...V('days_title', { days: out.days.length, ...figures(out.total) })),
    ...out.days.map((d) => t(...V(d.probes ? 'day_line' : 'day_none', { date: d.date, ...figures(d) }))),
  ];
  if (!out.report) return text([t(...V('never_inspected', { site: out.site.name, ref: out.site.ref })), ...days].join('\n'));
  return text([...reportLines(out.report, t), ...days].join('\n'));
}

function renderLinks(out: { site: SiteRef; at: string | null; brokenLinks: BrokenLinkDTO[]; pages: number | null; links: number | null }, t: Translate): Reply {
  if (!out.at) return text(t(...V('never_inspected', { site: out.site.name, ref: out.site.ref })));
  const head = t(...V('links_title', { site: out.site.name, at: when(out.at), count: out.brokenLinks.length, pages: out.pages ?? '—', links: out.links ?? '—' }));
  if (!out.brokenLinks.length) return text([head, t(...V('links_none'))].join('\n'));
  const shown = out.brokenLinks.slice(0, MAX_LINKS);
  return text([head, ...shown.map((l, i) => t(...V('link_line', { no: i + 1, url: l.url, page: l.page, status: statusText(l.status, t) }))), ...more(out.brokenLinks.length, shown.length, t)].join('\n'));
}

interface ColumnsOut {
  site: SiteRef;
  at: string | null;
  homepage: (InspectionReportDTO['homepage'] & { limitDays: number }) | null;
  columns: JudgedColumnDTO[];
  notYetInspected: { url: string; name: string | null; kind: string }[];
  pending: { no: number; url: string; name: string; kind: string }[];
}

function renderColumns(out: ColumnsOut, t: Translate): Reply {
  const lines: string[] = [];
  if (out.at && out.homepage) {
    lines.push(t(...V('columns_title', { site: out.site.name, at: when(out.at) })), homepageLine(out.homepage, t, out.homepage.limitDays));
    if (out.columns.length) lines.push(...out.columns.map((c) => columnLine(c, t)));
    else lines.push(t(...V('no_key_columns', { site: out.site.ref })));
  } else lines.push(t(...V('never_inspected', { site: out.site.name, ref: out.site.ref })));
  if (out.notYetInspected.length) lines.push(t(...V('not_yet_inspected', { list: out.notYetInspected.map((c) => `${c.name ?? c.url}［${kindWord(c.kind, t)}］`).join('、'), site: out.site.ref })));
  if (out.pending.length) {
    lines.push(t(...V('pending_title', { count: out.pending.length })));
    lines.push(...out.pending.map((p) => t(...V('pending_line', { no: p.no, name: p.name, url: p.url, kind: kindWord(p.kind, t) }))));
    lines.push(t(...V('pending_hint', { site: out.site.ref })));
  }
  return text(lines.join('\n'));
}

function overviewLine(r: OverviewRowDTO, t: Translate): string {
  if (!r.inspected) return t(...V('overview_never', { site: r.site.name, ref: r.site.ref }));
  const params = {
    site: r.site.name,
    ref: r.site.ref,
    availability: r.availability ? percent(1 - r.availability.ratio) : '—',
    home: r.homepageDaysSince ?? '—',
    stale: r.staleColumns,
    blank: r.blankColumns,
    near: r.nearLimitColumns,
    links: r.brokenLinks,
    elements: r.missingElements,
  };
  const line = t(...V('overview_line', params));
  return r.veto.length ? t(...V('overview_veto', { line, reasons: r.veto.map((v) => t(`bot:inspect_view.veto.${v}`)).join('；') })) : line;
}

function renderOverview(out: { unit: { code: string; name: string }; totals: { sites: number; inspected: number; vetoRisk: number; withProblems: number }; sites: OverviewRowDTO[]; truncated: boolean }, t: Translate): Reply {
  const shown = out.sites.slice(0, MAX_SITES);
  return text(
    [
      t(...V('overview_title', { unit: out.unit.name, ...out.totals })),
      ...shown.map((r, i) => `${i + 1}. ${overviewLine(r, t)}`),
      ...more(out.totals.sites, shown.length, t),
      t(...V('overview_hint', { unit: out.unit.code })),
    ].join('\n'),
  );
}

export function profileLines(p: InspectionProfileDTO, t: Translate): string[] {
  return [
    t(...V('profile_title', { site: p.site.name, state: t(...V(p.stored ? 'profile_saved' : 'profile_default')) })),
    t(...V('profile_home', { urls: p.homeUrls.join('  ') || '—' })),
    ...(p.columns.length
      ? p.columns.map((c) => t(...V(c.confirmed ? 'profile_column' : 'profile_column_pending', { name: c.name ?? c.url, url: c.url, kind: kindWord(c.kind, t) })))
      : [t(...V('no_key_columns', { site: p.site.ref }))]),
    t(...V('profile_probes', { probes: p.probesPerDay, depth: p.crawlDepth })),
    t(...V('profile_hint', { site: p.site.ref })),
  ];
}

const renderProfile = (out: { profile: InspectionProfileDTO }, t: Translate) => text(profileLines(out.profile, t).join('\n'));
const saved = (key: string) => ((out: { profile: InspectionProfileDTO; added?: boolean; confirmed?: { name: string | null; url: string }[] }, t: Translate) =>
  text([t(...V(`saved.${key === 'column' ? (out.added ? 'column_added' : 'column_changed') : key}`, { count: out.confirmed?.length ?? 0, list: (out.confirmed ?? []).map((c) => c.name ?? c.url).join('、') })), ...profileLines(out.profile, t)].join('\n'))) as R;

function renderFinding(out: { check: CheckDTO; problem: ProblemDTO }, t: Translate): Reply {
  return text([t(...V('finding_done', { no: out.problem.no, site: out.check.site.name, finding: out.check.findings.length })), ...checkLines(out.check, t)].join('\n'));
}

function renderExport(out: { fileName: string; mime: string; base64: string; download: string }, t: Translate): Reply {
  const fallback = t(...V('export_fallback', { file: out.fileName, url: out.download }));
  return { kind: 'file', fileName: out.fileName, mime: out.mime, data: Buffer.from(out.base64, 'base64'), fallback };
}

export const inspectionRenderers = new Map<string, R>([
  ['inspection.run', renderRun as R],
  ['inspection.report', renderReport as R],
  ['inspection.links', renderLinks as R],
  ['inspection.columns', renderColumns as R],
  ['inspection.overview', renderOverview as R],
  ['inspection.profile', renderProfile as R],
  ['inspection.home', saved('home')],
  ['inspection.column', saved('column')],
  ['inspection.column-remove', saved('column_removed')],
  ['inspection.confirm', saved('confirmed')],
  ['inspection.finding', renderFinding as R],
  ['inspection.export', renderExport as R],
]);
