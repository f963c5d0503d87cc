import type { Translate } from '../../core/i18n';
import type { SiteDTO } from '../../core/presenters/site.presenter';
import type { MeDTO } from '../../core/presenters/user.presenter';
import { text, type Reply } from '../reply';

export function siteLine(s: SiteDTO, t: Translate): string {
  return t('bot:site_line', { name: s.name, domain: s.domain, kind: t(`common:kind.${s.kind}`), status: t(`common:status.${s.status}`) });
}

export function renderSiteList(out: { sites: SiteDTO[]; total: number; truncated: boolean }, t: Translate): Reply {
  if (out.sites.length === 0) return text(t('bot:sites_none'));
  const lines = [t('bot:sites_title', { count: out.total }), ...out.sites.map((s) => siteLine(s, t))];
  if (out.truncated) lines.push(t('bot:sites_truncated', { count: out.sites.length }));
  return text(lines.join('\n'));
}

export function renderSite(out: { site: SiteDTO }, t: Translate): Reply {
  const s = out.site;
  return text(
    t('bot:site_detail', {
      name: s.name,
      code: s.code ?? t('bot:none'),
      level: t(`common:level.${s.level}`),
      kind: t(`common:kind.${s.kind}`),
      domains: s.domains.join(', '),
      status: t(`common:status.${s.status}`),
      host: s.hostUnit.name,
      supervisor: s.supervisingUnit.name,
      operator: s.operatorUnit?.name ?? t('bot:none'),
      languages: s.languages.map((l) => t(`common:language.${l}`)).join(', '),
    }),
  );
}

export function renderMe(out: { me: MeDTO }, t: Translate): Reply {
  const me = out.me;
  const roles: string[] = [];
  if (me.provinceAdmin) roles.push(t('bot:me_province_admin'));
  if (me.supervisorOf.length) roles.push(t('bot:me_supervisor', { units: me.supervisorOf.map((u) => u.name).join('、') }));
  if (me.siteAdminOf.length) roles.push(t('bot:me_site_admin', { sites: me.siteAdminOf.map((s) => s.name).join('、') }));
  return text(t('bot:me_detail', { name: me.name, userid: me.userid, locale: t(`common:language.${me.locale}`), roles: roles.join('; ') || t('bot:me_no_role') }));
}
