import { api } from '../../api/client';
import { labels } from '../../utils/i18n';
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

type Line = ReturnType<typeof requestLine>;

/** Home: what awaits my decision (approvers), what I filed (everyone), and the way to the forms. */
Component({
  data: { L: texts(), loaded: false, items: [] as Line[], mine: [] as Line[], error: '' },
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
        this.setData({ loaded: true, items: inbox.requests.map(requestLine), mine: mine.requests.map(requestLine) });
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
