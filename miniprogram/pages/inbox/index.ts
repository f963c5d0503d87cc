import { api, type RequestSummaryDTO } from '../../api/client';
import { labels, t } from '../../utils/i18n';
import { failureText, datasetOf, requestLine } from '../../utils/view';

const texts = () =>
  labels({
    title: 'mp.inbox.title',
    empty: 'mp.inbox.empty',
    mineTitle: 'mp.inbox.mine_title',
    mineEmpty: 'mp.inbox.mine_empty',
    refresh: 'mp.inbox.refresh',
    navTempOffline: 'mp.nav.temp_offline',
    navChangeRecord: 'mp.nav.change_record',
    navEmergency: 'mp.nav.emergency',
    navComplaints: 'mp.nav.complaints',
    navChecks: 'mp.nav.checks',
    navNotices: 'mp.nav.notices',
    logout: 'mp.nav.logout',
  });

/**
 * A request as the list shows it, with the pending step's review deadline: "截止 2026-12-01", the
 * provisional mark when its year's holiday schedule is not loaded, and `overdue` to highlight it.
 */
function line(r: RequestSummaryDTO) {
  return {
    ...requestLine(r),
    deadline: r.deadline ? t(`bot:request_deadline.${r.overdue ? 'overdue' : 'due'}`, { date: r.deadline }) : '',
    provisional: r.deadlineProvisional ? t('bot:request_deadline.provisional') : '',
    overdue: r.overdue,
  };
}

type Line = ReturnType<typeof line>;

/** Home: what awaits my decision (approvers) and by when, what I filed (everyone), and the way to the forms. */
Component({
  data: { L: texts(), loaded: false, items: [] as Line[], mine: [] as Line[], provisionalNote: '', error: '' },
  methods: {
    onLoad() {
      void this.load();
    },
    onShow() {
      if (this.data.loaded) void this.load();
    },
    async load() {
      this.setData({ L: texts(), error: '' });
      try {
        const me = (await api.me()).me;
        const approver = me.provinceAdmin || me.supervisorOf.length > 0;
        const [inbox, mine] = await Promise.all([approver ? api.inbox() : Promise.resolve({ requests: [] }), api.mine()]);
        const provisional = inbox.requests.some((r) => r.deadlineProvisional);
        this.setData({ loaded: true, items: inbox.requests.map(line), mine: mine.requests.map(line), provisionalNote: provisional ? t('bot:request_deadline.provisional_note') : '' });
      } catch (err) {
        this.setData({ loaded: true, error: failureText(err) });
      }
    },
    open(e: WechatMiniprogram.BaseEvent) {
      void wx.navigateTo({ url: `/pages/request/index?id=${encodeURIComponent(datasetOf(e).id ?? '')}` });
    },
    go(e: WechatMiniprogram.BaseEvent) {
      void wx.navigateTo({ url: `/pages/${datasetOf(e).page}/index` });
    },
    async logout() {
      await api.logout();
      void wx.reLaunch({ url: '/pages/login/index' });
    },
  },
});
