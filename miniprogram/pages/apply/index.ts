import { labels, t } from '../../utils/i18n';
import { setTitle } from '../../utils/page';
import { datasetOf } from '../../utils/view';

const forms = () =>
  [
    { key: 'temp-offline', page: 'forms/temp-offline', title: 'mp.nav.temp_offline', desc: 'mp.apply.temp_offline_desc', icon: 'time' },
    { key: 'change-record', page: 'forms/change-record', title: 'mp.nav.change_record', desc: 'mp.apply.change_record_desc', icon: 'edit' },
    { key: 'emergency', page: 'forms/emergency', title: 'mp.nav.emergency', desc: 'mp.apply.emergency_desc', icon: 'error-circle' },
    { key: 'checks', page: 'checks', title: 'mp.nav.checks', desc: 'mp.apply.checks_desc', icon: 'task' },
  ].map((f) => ({ ...f, title: t(`common:${f.title}`), desc: t(`common:${f.desc}`) }));

/** The site admin's 申请 tab: the filing forms (supervisors never see it). */
Component({
  data: { L: labels({ title: 'mp.apply.title' }), forms: forms() },
  methods: {
    onLoad() {
      this.onShow();
    },
    onShow() {
      setTitle('apply');
      this.setData({ L: labels({ title: 'mp.apply.title' }), forms: forms() });
    },
    go(e: WechatMiniprogram.BaseEvent) {
      void wx.navigateTo({ url: `/pages/${datasetOf(e).page}/index` });
    },
  },
});
