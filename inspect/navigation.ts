import type { ColumnKind, DiscoveredColumn } from '../core/inspection/inspection.types';
import type { Element } from 'domhandler';
import { isRegisteredHost } from './host-name';
import { absoluteUrl, type ParsedPage } from './page-reader';

/**
 * Columns found in a home page's navigation, for the site admin to confirm as key columns. The kind is a
 * guess from the column's name, in the words the national check counts by (see ColumnKind).
 */

const KIND_BY_NAME: Array<[ColumnKind, RegExp]> = [
  ['notice', /通知|公告|公示|通告/],
  ['policy', /政策|文件|法规|规章|规范性|解读/],
  ['news', /要闻|动态|新闻|资讯|快讯|头条|聚焦|播报/],
];

/** The kind a column's name suggests; `other` when it names none of the counted kinds. */
export function guessColumnKind(name: string): ColumnKind {
  return KIND_BY_NAME.find(([, pattern]) => pattern.test(name))?.[0] ?? 'other';
}

const NAV_TOKEN = /nav|menu|daohang|^dh([-_].*)?$|lanmu/i;
const HOME_NAME = /^(首页|网站首页|主页|返回首页|home)$/i;
const HOME_PATH = /^\/(index|default)?(\.s?html?|\.jsp|\.php|\.aspx?)?$/i;

function isNavElement(el: Element): boolean {
  if (el.tagName === 'nav') return true;
  return `${el.attribs.id ?? ''} ${el.attribs.class ?? ''}`
    .split(/\s+/)
    .some((t) => t && NAV_TOKEN.test(t));
}

/**
 * The columns a home page's navigation links to, on the site's own domains, once each, home links left out;
 * `known` URLs (already key columns) are left out too. Without a named navigation block, the first list of at
 * least four same-site links is taken for it.
 */
export function discoverColumns($: ParsedPage, pageUrl: string, domains: string[], known: Iterable<string> = []): DiscoveredColumn[] {
  const skip = new Set(known);
  let blocks = $('*')
    .toArray()
    .filter((el): el is Element => el.type === 'tag' && isNavElement(el))
    // The outermost navigation blocks only: their links include their sub-menus'.
    .filter((el, _, all) => !all.some((other) => other !== el && $(other).find(el).length > 0));
  const onSite = (el: Element) => {
    const url = absoluteUrl($(el).attr('href'), pageUrl);
    return url && isRegisteredHost(new URL(url).hostname, domains) ? url : undefined;
  };
  if (!blocks.length) {
    const list = $('ul, ol')
      .toArray()
      .find((ul) => $(ul).find('a[href]').toArray().filter(onSite).length >= 4);
    blocks = list ? [list] : [];
  }
  const columns = new Map<string, DiscoveredColumn>();
  for (const block of blocks) {
    $(block)
      .find('a[href]')
      .each((_, a) => {
        const url = onSite(a);
        const name = $(a).text().replace(/\s+/g, '') || ($(a).attr('title') ?? '').trim();
        if (!url || !name || name.length > 20 || HOME_NAME.test(name) || skip.has(url) || columns.has(url)) return;
        if (HOME_PATH.test(new URL(url).pathname)) return;
        columns.set(url, { url, name, kind: guessColumnKind(name) });
      });
  }
  return [...columns.values()];
}
