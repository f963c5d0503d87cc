import { api, ApiFailure } from '../../api/client';
import { apiBase, setApiBase } from '../../config';
import { currentLng, labels, setLng, t, type Lng } from '../../utils/i18n';
import { forgetRole, setTitle } from '../../utils/page';
import { failureText, valueOf } from '../../utils/view';

const CHOSEN_KEY = 'steward.lngChosen';

const texts = () =>
  labels({
    title: 'mp.login.title',
    signIn: 'mp.login.sign_in',
    devServer: 'mp.me.dev_server',
    devHint: 'mp.me.dev_server_hint',
    bindTitle: 'mp.login.bind_title',
    bindHint: 'mp.login.bind_hint',
    bindCode: 'mp.login.bind_code',
    bindSubmit: 'mp.login.bind_submit',
    language: 'mp.language',
  });

/** The code of the host app: `wx.qy.login` inside WeCom, `wx.login` inside WeChat. */
function loginCode(): Promise<{ mode: 'wecom' | 'wechat'; code: string }> {
  const inWecom = wx.getSystemInfoSync().environment === 'wxwork' && wx.qy !== undefined;
  return new Promise((resolve, reject) => {
    const fail = (err: { errMsg: string }) => reject(new ApiFailure(0, 'network_error', err.errMsg));
    if (inWecom) wx.qy!.login({ success: (r) => resolve({ mode: 'wecom', code: r.code }), fail });
    else wx.login({ success: (r) => resolve({ mode: 'wechat', code: r.code }), fail });
  });
}

Component({
  data: { L: texts(), apiBase: '', dev: false, busy: false, binding: false, bindCode: '', message: '', error: '' },
  methods: {
    onLoad() {
      setTitle('login');
      this.setData({ L: texts(), apiBase: apiBase() });
      if (api.signedIn()) void wx.reLaunch({ url: '/pages/inbox/index' });
    },
    /** The hidden developer setting (a long press on the title): another server for this device only. */
    toggleDev() {
      this.setData({ dev: !this.data.dev, apiBase: apiBase() });
    },
    onServerInput(e: WechatMiniprogram.CustomEvent) {
      setApiBase(valueOf(e));
    },
    onBindCodeInput(e: WechatMiniprogram.CustomEvent) {
      this.setData({ bindCode: valueOf(e) });
    },
    switchLanguage() {
      const next: Lng = currentLng() === 'zh-CN' ? 'en' : 'zh-CN';
      setLng(next);
      wx.setStorageSync(CHOSEN_KEY, true);
      this.setData({ L: texts() });
      setTitle('login');
    },
    /** The user's own locale until they pick one here. */
    followUser(locale: Lng) {
      if (!wx.getStorageSync(CHOSEN_KEY)) setLng(locale);
    },
    async signIn() {
      this.setData({ busy: true, error: '', message: '' });
      try {
        const { mode, code } = await loginCode();
        const out = await api.login(mode, code);
        if (out.status === 'bind_required') {
          this.setData({ binding: true, message: out.message });
          return;
        }
        forgetRole();
        this.followUser(out.user.locale);
        this.setData({ message: t('common:mp.login.welcome', { name: out.user.name }) });
        void wx.reLaunch({ url: '/pages/inbox/index' });
      } catch (err) {
        this.setData({ error: failureText(err) });
      } finally {
        this.setData({ busy: false });
      }
    },
    async submitBind() {
      this.setData({ busy: true, error: '' });
      try {
        const out = await api.bind(this.data.bindCode);
        if (out.status === 'ok') {
          this.followUser(out.user.locale);
          this.setData({ binding: false, message: t('common:mp.login.welcome', { name: out.user.name }) });
          void wx.reLaunch({ url: '/pages/inbox/index' });
        }
      } catch (err) {
        this.setData({ error: failureText(err) });
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
