import { api, storedSession } from '../api/client';
import { t } from '../utils/i18n';
import { roleOf, type Role } from '../utils/page';

interface Tab {
  path: string;
  label: string;
  icon: string;
  /** Whether this role sees the tab. */
  for: (r: Role) => boolean;
  /** The badge: how many items wait there. */
  count?: (r: Role) => Promise<number>;
}

const openComplaints = async () => (await api.complaints()).complaints.filter((c) => c.state === 'transferred' || c.state === 'received').length;

/**
 * Per role (issue 17): a site admin gets 待办 / 申请 / 纠错 / 我的, a supervisor 审批 / 监管 / 通知 / 我的; one who
 * is both gets the approver's tabs plus 申请. Every role has "我的" (identity, language, sign-out).
 */
const TABS: Tab[] = [
  { path: 'pages/inbox/index', label: 'todo', icon: 'task', for: (r) => !r.approver, count: async () => (await api.mine()).requests.filter((x) => x.status === 'returned').length },
  { path: 'pages/inbox/index', label: 'approve', icon: 'task-checked', for: (r) => r.approver, count: async () => (await api.inbox()).requests.length },
  { path: 'pages/apply/index', label: 'apply', icon: 'edit-1', for: (r) => r.siteAdmin || !r.approver },
  { path: 'pages/complaints/index', label: 'complaints', icon: 'chat-error', for: (r) => !r.approver, count: openComplaints },
  { path: 'pages/supervision/index', label: 'supervise', icon: 'chart-bar', for: (r) => r.approver },
  { path: 'pages/notices/index', label: 'notices', icon: 'notification', for: (r) => r.approver && !r.siteAdmin },
  { path: 'pages/me/index', label: 'me', icon: 'user', for: () => true },
];

function currentPath(): string {
  const pages = getCurrentPages();
  return pages[pages.length - 1]?.route ?? '';
}

export interface TabItem {
  path: string;
  label: string;
  text: string;
  icon: string;
  badge: { count: number } | null;
  ariaLabel: string;
}

/** The tab bar of app.json (`tabBar.custom`): the user's role decides the tabs; labels in the chosen language. */
Component({
  data: { show: false, selected: '', items: [] as TabItem[] },
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
      const token = storedSession()?.accessToken ?? '';
      if (!token) return this.setData({ show: false, items: [] });
      const role = await roleOf(token).catch((): Role => ({ approver: false, siteAdmin: true }));
      const tabs = TABS.filter((tab) => tab.for(role));
      const counts = await Promise.all(tabs.map((tab) => (tab.count ? tab.count(role).catch(() => 0) : Promise.resolve(0))));
      const items = tabs.map((tab, i): TabItem => {
        const text = t(`common:mp.tabs.${tab.label}`);
        const count = counts[i] ?? 0;
        return {
          path: tab.path,
          label: tab.label,
          text,
          icon: tab.icon,
          badge: count > 0 ? { count } : null,
          ariaLabel: count > 0 ? t('common:mp.a11y.tab_count', { label: text, count }) : t('common:mp.a11y.tab', { label: text }),
        };
      });
      const here = currentPath();
      this.setData({ show: true, items, selected: items.find((i) => i.path === here)?.path ?? items[0]?.path ?? '' });
    },
    onChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const path = String(e.detail.value ?? '');
      this.setData({ selected: path });
      if (path && path !== currentPath()) void wx.switchTab({ url: `/${path}` });
    },
  },
});
