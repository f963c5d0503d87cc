import { api, ApiFailure, type CampaignProgressDTO, type CheckDTO, type FindingDTO, type NoticeStatusDTO, type ProgressCountsDTO, type SentNoticeDTO, type SiteDTO } from '../../api/client';
import { labels, t } from '../../utils/i18n';
import { setTitle } from '../../utils/page';
import { chinaDay } from '../../utils/time';
import { datasetOf, failureText, valueOf } from '../../utils/view';

const texts = () =>
  labels({
    title: 'mp_supervision.title',
    tabProgress: 'mp_supervision.tab_progress',
    tabNotices: 'mp_supervision.tab_notices',
    notSupervisor: 'mp_supervision.not_supervisor',
    refresh: 'mp_supervision.refresh',
    noCampaign: 'mp.state.no_campaign',
    unit: 'mp_supervision.progress.unit',
    period: 'mp_supervision.progress.period',
    periodPlaceholder: 'mp_supervision.progress.period_placeholder',
    showProgress: 'mp_supervision.progress.show',
    totals: 'mp_supervision.progress.totals',
    openUnit: 'mp_supervision.progress.open_unit',
    closeUnit: 'mp_supervision.progress.close_unit',
    loading: 'mp_supervision.progress.loading',
    noSites: 'mp_supervision.progress.no_sites',
    noticeId: 'mp_supervision.notices.id',
    noticeIdPlaceholder: 'mp_supervision.notices.id_placeholder',
    showNotice: 'mp_supervision.notices.show',
    recent: 'mp_supervision.notices.recent',
    notAckedTitle: 'mp_supervision.notices.not_acked_title',
    allAcked: 'mp_supervision.notices.all_acked',
    sentTitle: 'mp_supervision.notices.sent_title',
    sentEmpty: 'mp_supervision.notices.sent_empty',
    sentLoading: 'mp_supervision.notices.sent_loading',
    byNumber: 'mp_supervision.notices.by_number',
  });

/** Notices this phone followed lately by number (older than the sent list, or another's): id and title, newest first. */
const RECENT_KEY = 'steward.followedNotices';
const RECENT_MAX = 10;
type Recent = { id: string; title: string };

function recentNotices(): Recent[] {
  const v = wx.getStorageSync(RECENT_KEY) as unknown;
  return Array.isArray(v) ? (v as Recent[]).filter((r) => r && typeof r.id === 'string') : [];
}

function remember(r: Recent): Recent[] {
  const list = [r, ...recentNotices().filter((x) => x.id !== r.id)].slice(0, RECENT_MAX);
  wx.setStorageSync(RECENT_KEY, list);
  return list;
}

/** The counts of art. 32's check, one label each (the page shows them as they are; overdue stands out). */
function countsView(c: ProgressCountsDTO) {
  const k = (key: string) => t(`common:mp_supervision.progress.${key}`, c);
  return { sites: k('sites'), checked: k('checked'), findings: k('findings'), acknowledged: k('acknowledged'), rectified: k('rectified'), closed: k('closed'), overdue: k('overdue'), overdueCount: c.overdue };
}

function progressView(p: CampaignProgressDTO) {
  const c = p.campaign;
  return {
    campaignId: c.id,
    title: t('common:mp_supervision.progress.campaign', { unit: c.unit.name, period: c.period, id: c.id }),
    due: t('common:mp_supervision.progress.due', { date: c.dueDate }),
    asOf: t('common:mp_supervision.progress.as_of', { date: p.today, sites: p.totals.sites }),
    totals: countsView(p.totals),
    units: p.byUnit.map((u) => ({ code: u.unit.code, name: u.unit.name, ...countsView(u) })),
    today: p.today,
  };
}
type ProgressView = ReturnType<typeof progressView>;

function findingView(f: FindingDTO) {
  let state = t('bot:campaign.finding_state.open');
  if (f.rectifiedAt) state = t('bot:campaign.finding_state.rectified', { note: f.rectificationNote ?? '' });
  else if (f.acknowledgedAt) state = t('bot:campaign.finding_state.acknowledged');
  return { no: f.no, text: t('common:mp_supervision.progress.finding', { no: f.no, category: t(`bot:campaign.category.${f.category}`), text: f.text }), state, rectified: Boolean(f.rectifiedAt), acknowledged: Boolean(f.acknowledgedAt) };
}

/** One site's check in this campaign, as the drill-down shows it: status, deadline state and findings. */
function siteView(c: CheckDTO, today: string) {
  return {
    key: c.site.ref.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    name: t('common:mp_supervision.progress.site_line', { site: c.site.name, status: t(`bot:campaign.status.${c.status}`) }),
    overdue: c.status !== 'closed' && today > c.dueDate ? t('common:mp.checks.overdue') : '',
    noFindings: c.findings.length === 0 && c.status !== 'pending' ? t('common:mp_supervision.progress.no_findings') : '',
    findings: c.findings.map(findingView),
  };
}
type SiteView = ReturnType<typeof siteView>;

/** What a notice's line shows wherever it is listed: title, kind, sender and number. */
function noticeHead(n: SentNoticeDTO | NoticeStatusDTO['notice']) {
  return {
    id: n.id,
    title: n.title,
    kind: t(`bot:notices.kind.${n.kind}`),
    criticism: n.kind === 'criticism',
    from: t('common:mp.notices.from', { from: n.unit.name, by: n.by, date: chinaDay(n.publishedAt ?? n.createdAt) }),
    no: t('common:mp.notices.no', { id: n.id }),
  };
}

function noticeView(s: NoticeStatusDTO) {
  const n = s.notice;
  const c = s.counts;
  return {
    ...noticeHead(n),
    requiresAck: n.requiresAck,
    acks: n.requiresAck ? t('common:mp_supervision.notices.acks', { acknowledged: c.acknowledged, recipients: c.recipients }) : t('common:mp_supervision.notices.no_ack'),
    notAcked: n.requiresAck ? t('common:mp_supervision.notices.not_acked', { count: s.notAcknowledged.length }) : '',
    names: s.notAcknowledged.map((p) => ({ userid: p.userid, name: p.name })),
    delivery: t('bot:notices.status_counts', c),
    groups: c.groups ? t('bot:notices.status_groups', { groups: c.groups, delivered: c.groupsDelivered }) : '',
  };
}
type NoticeView = ReturnType<typeof noticeView>;

/** How many the server lists (`notice.sent`); past it the number box is the way in. */
const SENT_LIMIT = 20;

/** Where a sent notice stands, in the words the chat uses (bot/render/notice.render.ts `sentNoticeState`). */
function sentState(n: SentNoticeDTO): string {
  if (n.status === 'publishing') return t('bot:notices_sent.state.publishing');
  if (!n.requiresAck) return t('bot:notices_sent.state.no_ack', { recipients: n.recipients });
  return t('bot:notices_sent.state.acks', { acknowledged: n.acknowledged, recipients: n.recipients });
}

/** One line of the sent list: tapped, it opens the notice's status as the number box does. */
function sentView(n: SentNoticeDTO) {
  return {
    ...noticeHead(n),
    state: sentState(n),
    waiting: n.requiresAck && n.status === 'published' && n.acknowledged < n.recipients,
  };
}
type SentView = ReturnType<typeof sentView>;

type Tab = 'progress' | 'notices';

/** WeChat runs at most 10 requests at once: a unit's sites are asked for a few at a time. */
async function inBatches<T, R>(list: readonly T[], fn: (x: T) => Promise<R>, size = 5): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < list.length; i += size) out.push(...(await Promise.all(list.slice(i, i + size).map(fn))));
  return out;
}

/** The sites of this page's supervisor, loaded once per page for the drill-down (`GET /sites`). */
let sitesCache: { token: object; sites: SiteDTO[] } | undefined;

/**
 * What a supervisor (county, city, province) watches: the quarterly check campaign over its subtree per unit
 * (art. 32), with each unit's sites and findings one tap away; and the notices it sent (art. 37): who has
 * acknowledged and who has not, by name.
 */
Component({
  data: {
    L: texts(),
    tab: 'progress' as Tab,
    loaded: false,
    supervisor: false,
    units: [] as { code: string; name: string }[],
    unit: '',
    period: '',
    progress: null as ProgressView | null,
    progressLoaded: false,
    openUnit: '',
    unitLoading: '',
    unitSites: {} as Record<string, SiteView[]>,
    noticeId: '',
    sent: [] as SentView[],
    sentLoaded: false,
    sentTruncated: '',
    recent: [] as Recent[],
    status: null as NoticeView | null,
    noCampaign: false,
    error: '',
  },
  methods: {
    onLoad(query?: Record<string, string>) {
      const noticeId = (query?.notice ?? '').trim().toUpperCase();
      setTitle('supervision');
      this.setData({ L: texts(), recent: recentNotices(), tab: query?.tab === 'notices' || noticeId ? 'notices' : 'progress', noticeId, unit: query?.unit ?? '', period: query?.period ?? '' });
      void this.load();
    },
    onPullDownRefresh() {
      const done = this.data.tab !== 'notices' ? this.loadProgress() : this.loadSent();
      void done.finally(() => wx.stopPullDownRefresh());
    },
    onShow() {
      setTitle('supervision');
      // Back on the tab: the figures may have moved (and the language changed) meanwhile.
      if (this.data.loaded) {
        this.setData({ L: texts() });
        void this.load();
      }
    },
    async load() {
      this.setData({ error: '' });
      try {
        const { me } = await api.me();
        const supervisor = me.provinceAdmin || me.supervisorOf.length > 0;
        const unit = this.data.unit || me.supervisorOf[0]?.code || '';
        this.setData({ loaded: true, supervisor, units: me.supervisorOf, unit });
        if (!supervisor) return;
        // The tab in view loads now (its error is the one the page shows); the other one when switched to.
        if (this.data.tab === 'notices') {
          this.setData({ progressLoaded: false });
          await Promise.all([this.loadSent(), this.data.noticeId ? this.showNotice() : Promise.resolve()]);
        } else {
          this.setData({ sentLoaded: false });
          await this.loadProgress();
        }
      } catch (err) {
        this.setData({ loaded: true, error: failureText(err) });
      }
    },
    switchTab(e: WechatMiniprogram.BaseEvent) {
      const tab: Tab = datasetOf(e).tab === 'notices' ? 'notices' : 'progress';
      this.setData({ tab, error: '' });
      if (tab === 'notices' && !this.data.sentLoaded) void this.loadSent();
      if (tab === 'progress' && !this.data.progressLoaded) void this.loadProgress();
    },
    pickUnit(e: WechatMiniprogram.BaseEvent) {
      this.setData({ unit: datasetOf(e).code ?? '' });
      void this.loadProgress();
    },
    onPeriodInput(e: WechatMiniprogram.CustomEvent) {
      this.setData({ period: valueOf(e).trim() });
    },
    async loadProgress() {
      this.setData({ error: '', openUnit: '', unitSites: {} });
      sitesCache = undefined;
      try {
        // The server checks the period's format and the unit's scope, and says so in the user's language.
        const p = await api.campaignProgress(this.data.unit || undefined, this.data.period || undefined);
        this.setData({ progress: progressView(p), progressLoaded: true, noCampaign: false });
      } catch (err) {
        // No check started this quarter is a state, not an error: shown as an empty state. A period the user
        // asked for and the server refused stays an error in the server's words.
        if (!this.data.period && err instanceof ApiFailure && err.code === 'campaign_not_found') this.setData({ progress: null, progressLoaded: true, noCampaign: true });
        else this.setData({ progress: null, progressLoaded: true, noCampaign: false, error: failureText(err) });
      }
    },
    /** Opens (or closes) one unit: its sites' checks in this campaign, with their findings. */
    async toggleUnit(e: WechatMiniprogram.BaseEvent) {
      const code = datasetOf(e).code ?? '';
      if (this.data.openUnit === code) return this.setData({ openUnit: '' });
      const progress = this.data.progress;
      if (!progress) return;
      this.setData({ openUnit: code, unitLoading: code, error: '' });
      try {
        const sites = await this.supervisedSites();
        const mine = sites.filter((s) => s.supervisingUnit.code === code);
        const checks = await inBatches(mine, (s) => api.checks(s.code ?? s.domain));
        const inCampaign = checks.flatMap((r) => r.checks.filter((c) => c.campaignId === progress.campaignId));
        inCampaign.sort((a, b) => Number(a.status === 'closed') - Number(b.status === 'closed') || b.findings.length - a.findings.length || a.site.name.localeCompare(b.site.name));
        this.setData({ unitSites: { ...this.data.unitSites, [code]: inCampaign.map((c) => siteView(c, progress.today)) }, unitLoading: '' });
      } catch (err) {
        this.setData({ unitLoading: '', error: failureText(err) });
      }
    },
    async supervisedSites(): Promise<SiteDTO[]> {
      const token = this as object;
      if (sitesCache?.token !== token) sitesCache = { token, sites: (await api.sites()).sites };
      return sitesCache.sites;
    },
    /** The notices I and the units I supervise sent, newest first, with acknowledged / recipients (`GET /notices/sent`). */
    async loadSent() {
      try {
        const out = await api.sentNotices();
        this.setData({
          sentLoaded: true,
          sent: out.notices.map(sentView),
          sentTruncated: out.truncated ? t('common:mp_supervision.notices.sent_truncated', { limit: SENT_LIMIT }) : '',
        });
      } catch (err) {
        this.setData({ sentLoaded: true, error: failureText(err) });
      }
    },
    openSent(e: WechatMiniprogram.BaseEvent) {
      this.setData({ noticeId: datasetOf(e).id ?? '' });
      void this.showNotice();
    },
    onNoticeInput(e: WechatMiniprogram.CustomEvent) {
      this.setData({ noticeId: valueOf(e).trim().toUpperCase() });
    },
    openRecent(e: WechatMiniprogram.BaseEvent) {
      this.setData({ noticeId: datasetOf(e).id ?? '' });
      void this.showNotice();
    },
    async showNotice() {
      const id = this.data.noticeId;
      this.setData({ error: '' });
      // The server's rule, mirrored (same words): a number is needed to look a notice up.
      if (!id) return this.setData({ status: null, error: t('errors:notice_id_required') });
      try {
        // An empty or unknown number, or a notice that is not mine to follow: the server's words, as they come.
        const s = await api.noticeStatus(id);
        this.setData({ status: noticeView(s), recent: remember({ id: s.notice.id, title: s.notice.title }) });
        this.freshenSent(s);
        // The status shows above the list: bring it into view (older base libraries have no pageScrollTo).
        if (typeof wx.pageScrollTo === 'function') wx.pageScrollTo({ scrollTop: 0, duration: 0 });
      } catch (err) {
        this.setData({ status: null, error: failureText(err) });
      }
    },
    /** The list line of the notice just opened takes the status's fresher counts, so the two agree. */
    freshenSent(s: NoticeStatusDTO) {
      const i = this.data.sent.findIndex((n) => n.id === s.notice.id);
      if (i >= 0) this.setData({ [`sent[${i}]`]: sentView({ ...s.notice, recipients: s.counts.recipients, groups: s.counts.groups, acknowledged: s.counts.acknowledged }) });
    },
    refresh() {
      if (this.data.tab !== 'notices') return void this.loadProgress();
      void this.loadSent();
      if (this.data.noticeId) void this.showNotice();
    },
  },
});
