import { api } from '../api/client';
import { t } from './i18n';

/** The navigation bar's title in the user's language (`common:mp.titles.<key>`), short enough not to be cut. */
export function setTitle(key: string): void {
  wx.setNavigationBarTitle({ title: t(`common:mp.titles.${key}`) });
}

/** A result the user should see whatever the scroll position: a toast, as well as the page's own line. */
export function toast(message: string, ok = true): void {
  wx.showToast({ title: message, icon: ok ? 'success' : 'none' });
}

/** The role the navigation follows: approvers (province admins and supervising units) and site admins. */
export interface Role {
  approver: boolean;
  siteAdmin: boolean;
}

let known: { token: string; role: Role } | undefined;

/** Asked once per session (GET /me); an approver who also administers sites is both. */
export async function roleOf(token: string): Promise<Role> {
  if (known?.token !== token) {
    const { me } = await api.me();
    known = { token, role: { approver: me.provinceAdmin || me.supervisorOf.length > 0, siteAdmin: me.siteAdminOf.length > 0 } };
  }
  return known.role;
}

/** Forgets the role (sign-out, another user). */
export function forgetRole(): void {
  known = undefined;
}
