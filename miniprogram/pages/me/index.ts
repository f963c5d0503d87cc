import { api } from '../../api/client';
import { currentLng, labels, setLng, type Lng } from '../../utils/i18n';
import { forgetRole, setTitle } from '../../utils/page';
import { failureText } from '../../utils/view';
import { t } from '../../utils/i18n';

const texts = () =>
  labels({
    roles: 'mp.me.roles',
    units: 'mp.me.units',
    sites: 'mp.me.sites',
    language: 'mp.me.language',
    languageValue: 'mp.me.language_value',
    switchLanguage: 'mp.me.switch_language',
    logout: 'mp.me.logout',
    logoutConfirm: 'mp.me.logout_confirm',
    ok: 'mp.confirm.ok',
    cancel: 'mp.confirm.cancel',
    retry: 'mp.state.retry',
    inspection: 'mp.inspection.entry',
    inspectionNote: 'mp.inspection.entry_note',
  });

const CHOSEN_KEY = 'steward.lngChosen';

/** 我的: who I am (name, roles, units, sites), the language switch, sign-out (confirmed). */
Component({
  data: { L: texts(), state: 'loading', error: '', confirming: false, me: { name: '', userid: '', roles: '', units: '', sites: '' } },
  methods: {
    onLoad() {
      void this.load();
    },
    onShow() {
      setTitle('me');
    },
    async load() {
      setTitle('me');
      this.setData({ L: texts(), state: this.data.state === 'ready' ? 'ready' : 'loading' });
      try {
        const { me } = await api.me();
        const roles = [me.provinceAdmin ? 'role_province' : '', me.supervisorOf.length ? 'role_supervisor' : '', me.siteAdminOf.length ? 'role_site_admin' : ''].filter(Boolean).map((k) => t(`common:mp.me.${k}`));
        this.setData({
          state: 'ready',
          me: { name: me.name, userid: me.userid, roles: roles.join('、'), units: me.supervisorOf.map((u) => u.name).join('、'), sites: me.siteAdminOf.map((s) => s.name).join('、') },
        });
      } catch (err) {
        this.setData({ state: 'error', error: failureText(err) });
      }
    },
    /** The language changes here, at once, without signing out. */
    switchLanguage() {
      const next: Lng = currentLng() === 'zh-CN' ? 'en' : 'zh-CN';
      setLng(next);
      wx.setStorageSync(CHOSEN_KEY, true);
      void this.load();
      void wx.reLaunch({ url: '/pages/me/index' });
    },
    /** The daily inspection (art. 28) of my sites: a page of its own, reached from here. */
    openInspection() {
      void wx.navigateTo({ url: '/pages/inspection/index' });
    },
    askLogout() {
      this.setData({ confirming: true });
    },
    dismiss() {
      this.setData({ confirming: false });
    },
    async logout() {
      this.setData({ confirming: false });
      await api.logout();
      forgetRole();
      void wx.reLaunch({ url: '/pages/login/index' });
    },
  },
});
