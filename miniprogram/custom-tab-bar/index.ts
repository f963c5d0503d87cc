import { api, storedSession } from '../api/client';
import { t } from '../utils/i18n';

/** The tab pages, in app.json's tabBar order; the supervision tab shows to supervisors only. */
const TABS = [
  { path: 'pages/inbox/index', key: 'common:mp_supervision.tab_inbox', supervisorOnly: false },
  { path: 'pages/supervision/index', key: 'common:mp_supervision.tab_supervision', supervisorOnly: true },
];

/** Whether the signed-in user supervises a unit, asked once per session (GET /me). */
let known: { token: string; supervisor: boolean } | undefined;

async function isSupervisor(): Promise<boolean> {
  const token = storedSession()?.accessToken ?? '';
  if (!token) return false;
  if (known?.token !== token) {
    const { me } = await api.me();
    known = { token, supervisor: me.provinceAdmin || me.supervisorOf.length > 0 };
  }
  return known.supervisor;
}

function currentPath(): string {
  const pages = getCurrentPages();
  return pages[pages.length - 1]?.route ?? '';
}

/**
 * The app's tab bar (app.json `tabBar.custom`): the inbox for everyone, supervision for supervisors, labelled in
 * the chosen language. With a single tab for a site admin, no bar is shown at all.
 */
Component({
  data: { show: false, selected: 0, items: [] as { path: string; text: string }[] },
  lifetimes: {
    attached() {
      void this.refresh();
    },
  },
  pageLifetimes: {
    show() {
      void this.refresh();
    },
  },
  methods: {
    async refresh() {
      const supervisor = await isSupervisor().catch(() => false);
      const items = TABS.filter((tab) => supervisor || !tab.supervisorOnly).map((tab) => ({ path: tab.path, text: t(tab.key) }));
      const here = currentPath();
      this.setData({ show: items.length > 1, items, selected: Math.max(0, items.findIndex((i) => i.path === here)) });
    },
    go(e: WechatMiniprogram.BaseEvent) {
      const path = String((e.currentTarget.dataset as { path?: string }).path ?? '');
      if (path && path !== currentPath()) void wx.switchTab({ url: `/${path}` });
    },
  },
});
