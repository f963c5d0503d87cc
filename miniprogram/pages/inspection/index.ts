import { api, type InspectionReportDTO, type SiteInspectionDTO } from '../../api/client';
import { labels, t } from '../../utils/i18n';
import { chinaMinute } from '../../utils/time';
import { setTitle, toast } from '../../utils/page';
import { datasetOf, failureText } from '../../utils/view';

const texts = () =>
  labels({
    title: 'mp.inspection.title',
    sites: 'mp.inspection.sites',
    noSites: 'mp.inspection.no_sites',
    never: 'mp.inspection.never',
    availability: 'mp.inspection.availability',
    homepage: 'mp.inspection.homepage',
    noColumns: 'mp.inspection.no_columns',
    noLinks: 'mp.inspection.no_links',
    elements: 'mp.inspection.elements',
    elementsOk: 'mp.inspection.elements_ok',
    run: 'mp.inspection.run',
    running: 'mp.inspection.running',
    retry: 'mp.state.retry',
    loading: 'mp.state.loading',
  });

/** Long lists stay short on a phone; the rest is in chat (`死链 <网站>`) and the xlsx export. */
const MAX_LINKS = 20;
const pct = (r: number) => `${(Math.round(r * 1000) / 10).toFixed(1)}%`;
const figures = (f: { probes: number; failed: number; ratio: number }) => t('common:mp.inspection.figures', { probes: f.probes, failed: f.failed, percent: pct(f.ratio) });
const kind = (k: string) => t(`bot:inspect_view.kind.${k}`);
const status = (s: number | string) => (typeof s === 'number' ? `HTTP ${s}` : t(`bot:inspect_view.outcome.${s}`));

function columnLine(c: InspectionReportDTO['columns'][number]) {
  const params = { kind: kind(c.kind), lastUpdate: c.lastUpdate ?? '—', days: c.daysSince ?? '—', limit: c.limitDays };
  const [flag, tone] = c.blank ? ['blank', 'bad'] : c.stale ? ['stale', 'bad'] : c.nearLimit ? ['near', 'near'] : c.lastUpdate ? ['ok', 'good'] : ['unknown', 'muted'];
  return {
    url: c.url,
    name: c.name ?? c.url,
    detail: c.blank ? t('common:mp.inspection.column_blank', params) : t('common:mp.inspection.column_detail', params),
    flag: t(`common:mp.inspection.flag.${flag}`),
    tone,
  };
}

/** The facts of one site's latest inspection, as the page shows them (the same facts as `巡检报告`). */
function viewOf(d: SiteInspectionDTO) {
  const r = d.report;
  const base = { site: t('common:mp.inspection.site', { site: d.site.name, ref: d.site.ref }), inspected: Boolean(r) };
  if (!r) return { ...base, at: '', veto: '', today: '', week: '', home: '', homeStale: false, columnsTitle: '', columns: [], linksTitle: '', links: [], moreLinks: '', elements: [] as string[] };
  return {
    ...base,
    at: t('common:mp.inspection.at', { at: chinaMinute(r.at) }),
    veto: r.veto.length ? t('common:mp.inspection.veto', { reasons: r.veto.map((v) => t(`bot:inspect_view.veto.${v}`)).join('；') }) : '',
    today: t('common:mp.inspection.today', { figures: figures(r.availability.today) }),
    week: t('common:mp.inspection.week', { figures: figures(r.availability.week) }),
    home: r.homepage.lastUpdate ? t('common:mp.inspection.home', { lastUpdate: r.homepage.lastUpdate, days: r.homepage.daysSince ?? 0 }) : t('common:mp.inspection.home_unknown'),
    homeStale: r.homepage.stale,
    columnsTitle: t('common:mp.inspection.columns', { total: r.columns.length, stale: r.counts.staleColumns, blank: r.counts.blankColumns }),
    columns: r.columns.map(columnLine),
    linksTitle: t('common:mp.inspection.links', { count: r.brokenLinks.length }),
    links: r.brokenLinks.slice(0, MAX_LINKS).map((l, i) => ({ key: `${i}`, url: l.url, page: t('common:mp.inspection.on_page', { page: l.page }), status: status(l.status) })),
    moreLinks: r.brokenLinks.length > MAX_LINKS ? t('bot:inspect_view.more', { count: r.brokenLinks.length - MAX_LINKS }) : '',
    elements: [
      ...r.elements.missing.map((e) => t('common:mp.inspection.missing', { element: t(`bot:inspect_view.element.${e}`) })),
      ...r.elements.mismatched.map((m) => t('bot:inspect_view.mismatch_short', { element: t(`bot:inspect_view.element.${m.element}`), expected: m.expected, found: m.found })),
    ],
  };
}

type View = ReturnType<typeof viewOf>;

/** The daily inspection (art. 28) of the sites I administer or supervise: availability, freshness, broken links, elements. */
Component({
  data: { L: texts(), state: 'loading', loadError: '', sites: [] as { name: string; ref: string }[], selected: 0, view: {} as View, running: false, message: '', error: '' },
  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      setTitle('inspection');
      this.setData({ L: texts() });
      void this.load(query.site);
    },
    onPullDownRefresh() {
      void this.load().finally(() => wx.stopPullDownRefresh());
    },
    async load(want?: string) {
      try {
        let sites = this.data.sites;
        if (!sites.length || want) {
          sites = (await api.sites()).sites.map((s) => ({ name: s.name, ref: s.code ?? s.domain }));
          if (!sites.length) return this.setData({ state: 'no-sites', sites });
        }
        const found = want ? sites.findIndex((s) => s.ref === want || s.name === want) : -1;
        const selected = found >= 0 ? found : Math.min(this.data.selected, sites.length - 1);
        const d = await api.inspection(sites[selected]!.ref);
        this.setData({ state: 'ready', loadError: '', sites, selected, view: viewOf(d) });
      } catch (err) {
        this.setData({ state: 'error', loadError: failureText(err) });
      }
    },
    pick(e: WechatMiniprogram.BaseEvent) {
      this.setData({ selected: Number(datasetOf(e).index ?? 0), state: 'loading', message: '', error: '' });
      void this.load();
    },
    /** Inspects the chosen site now; the server refuses sites the user may not see, in their language. */
    async run() {
      const site = this.data.sites[this.data.selected];
      if (!site || this.data.running) return;
      this.setData({ running: true, message: '', error: '' });
      try {
        await api.runInspection(site.ref);
        this.setData({ message: t('bot:inspect_view.run_done') });
        toast(this.data.message);
        await this.load();
      } catch (err) {
        this.setData({ error: failureText(err) });
      } finally {
        this.setData({ running: false });
      }
    },
  },
});
