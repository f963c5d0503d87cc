import { api, storedSession, type RequestSummaryDTO } from '../../api/client';
import { labels, t } from '../../utils/i18n';
import { roleOf, setTitle } from '../../utils/page';
import { failureText, datasetOf, requestLine } from '../../utils/view';

const texts = () =>
  labels({
    title: 'mp.inbox.title',
    empty: 'mp.inbox.empty',
    mineTitle: 'mp.inbox.mine_title',
    mineEmpty: 'mp.inbox.mine_empty',
    todoTitle: 'mp.tabs.todo',
    todoChecks: 'mp.todo.checks',
    todoChecksDesc: 'mp.todo.checks_desc',
    todoComplaints: 'mp.todo.complaints',
    todoNotices: 'mp.todo.notices',
    loading: 'mp.state.loading',
    retry: 'mp.state.retry',
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
    aria: t('common:mp.a11y.open_request', { id: r.id }),
  };
}

type Line = ReturnType<typeof line>;

/**
 * The first tab. Approvers (审批): what awaits my decision and by when. Site admins (待办): the way to what
 * waits for them (findings, error reports, notices) — no empty approval section. Everyone: what I filed.
 * Loading shows a skeleton; a failure shows the error with a retry, never the empty message too.
 */
Component({
  data: { L: texts(), state: 'loading', approver: false, items: [] as Line[], mine: [] as Line[], provisionalNote: '', error: '' },
  methods: {
    onLoad() {
      void this.load();
    },
    onShow() {
      if (this.data.state !== 'loading') void this.load();
    },
    onPullDownRefresh() {
      void this.load().finally(() => wx.stopPullDownRefresh());
    },
    async load() {
      this.setData({ L: texts(), error: '', ...(this.data.state === 'error' ? { state: 'loading' } : {}) });
      try {
        const { approver } = await roleOf(storedSession()?.accessToken ?? '');
        setTitle(approver ? 'inbox_approver' : 'inbox_admin');
        const [inbox, mine] = await Promise.all([approver ? api.inbox() : Promise.resolve({ requests: [] }), api.mine()]);
        const provisional = inbox.requests.some((r) => r.deadlineProvisional);
        this.setData({ state: 'ready', approver, items: inbox.requests.map(line), mine: mine.requests.map(line), provisionalNote: provisional ? t('bot:request_deadline.provisional_note') : '' });
      } catch (err) {
        setTitle(this.data.approver ? 'inbox_approver' : 'inbox_admin');
        this.setData({ state: 'error', error: failureText(err) });
      }
    },
    open(e: WechatMiniprogram.BaseEvent) {
      void wx.navigateTo({ url: `/pages/request/index?id=${encodeURIComponent(datasetOf(e).id ?? '')}` });
    },
    go(e: WechatMiniprogram.BaseEvent) {
      void wx.navigateTo({ url: `/pages/${datasetOf(e).page}/index` });
    },
    goTab(e: WechatMiniprogram.BaseEvent) {
      void wx.switchTab({ url: `/pages/${datasetOf(e).tab}/index` });
    },
  },
});
