import { DomainError } from '../errors';
import { ownWord } from '../own-word';
import { normalizeDomain } from '../registry/domain';
import { COLUMN_KINDS, type ColumnKind, type DiscoveredColumn, type InspectionColumn, type InspectionProfile } from './inspection.types';

/**
 * Editing a site's inspection profile from chat, REST and the registry import: the rules that keep a profile
 * fetchable. The inspector fetches only the site's registered domains (SSRF guard), so a URL elsewhere would
 * be refused at every crawl; it is refused here, once, in the admin's words, instead.
 */

/** How people name a column's kind, in both languages (the national rules' own words first). */
const KIND_WORDS: Record<string, ColumnKind> = {
  动态: 'news',
  要闻: 'news',
  '动态/要闻': 'news',
  动态要闻: 'news',
  工作动态: 'news',
  新闻: 'news',
  通知公告: 'notice',
  通知: 'notice',
  公告: 'notice',
  政策文件: 'policy',
  政策: 'policy',
  文件: 'policy',
  其他: 'other',
  其它: 'other',
};

/** A column kind from a user's word (`动态`, `通知公告`, `policy`…), or undefined for an unknown word. */
export function columnKindOf(word: string): ColumnKind | undefined {
  const w = word.trim();
  const lower = w.toLowerCase();
  if ((COLUMN_KINDS as readonly string[]).includes(lower)) return lower as ColumnKind;
  return ownWord(KIND_WORDS, w);
}

/** Hosts compare as the registry stores domains: lower case, no trailing dot, punycode as URL gives it. */
const hostOf = (u: URL) => normalizeDomain(u.hostname);

/**
 * A URL the inspector may fetch for this site: absolute, `http://` or `https://`, no user name or password,
 * on one of the site's registered domains. Returns the normalized URL or throws a localized refusal.
 */
export function checkSiteUrl(raw: string, domains: readonly string[], field: 'home' | 'column'): string {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DomainError('inspection_url_invalid', { url: text, field }, 400);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DomainError('inspection_url_scheme', { url: text, scheme: url.protocol.replace(/:$/, '') }, 400);
  if (url.username || url.password) throw new DomainError('inspection_url_credentials', { url: text }, 400);
  const registered = domains.map(normalizeDomain);
  if (!registered.includes(hostOf(url))) throw new DomainError('inspection_url_off_site', { url: text, host: hostOf(url), domains: registered.join('、') }, 400);
  url.hash = '';
  return url.toString();
}

/** The list of home URLs typed as one line (`a b`, `a;b`, `a，b`) or given as an array. */
export function splitUrls(raw: string | string[]): string[] {
  const parts = Array.isArray(raw) ? raw : raw.split(/[\s;；,，、|]+/);
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** At most this many home URLs: a site has one home page, perhaps one per edition or protocol. */
export const MAX_HOME_URLS = 5;
/** At most this many key columns: the national rules count stale columns to 10, blank ones to 5. */
export const MAX_COLUMNS = 60;

/** The profile with its home URLs replaced; each checked against the site's domains, duplicates dropped. */
export function withHomeUrls(profile: InspectionProfile, raw: string[], domains: readonly string[]): InspectionProfile {
  if (!raw.length) throw new DomainError('inspection_home_required', {}, 400);
  const urls = [...new Set(raw.map((r) => checkSiteUrl(r, domains, 'home')))];
  if (urls.length > MAX_HOME_URLS) throw new DomainError('inspection_too_many_home_urls', { max: MAX_HOME_URLS, count: urls.length }, 400);
  return { ...profile, homeUrls: urls };
}

/** The profile with one key column added or changed (by URL); a column set by hand is confirmed. */
export function withColumn(profile: InspectionProfile, column: { url: string; kind: ColumnKind; name?: string }, domains: readonly string[]): { profile: InspectionProfile; added: boolean } {
  const url = checkSiteUrl(column.url, domains, 'column');
  const next: InspectionColumn = { url, kind: column.kind, confirmed: true, ...(column.name ? { name: column.name } : {}) };
  const i = profile.columns.findIndex((c) => c.url === url);
  if (i < 0 && profile.columns.length >= MAX_COLUMNS) throw new DomainError('inspection_too_many_columns', { max: MAX_COLUMNS }, 400);
  const keepName = i >= 0 && !column.name && profile.columns[i]!.name ? { name: profile.columns[i]!.name } : {};
  const columns = i < 0 ? [...profile.columns, next] : profile.columns.map((c, j) => (j === i ? { ...next, ...keepName } : c));
  return { profile: { ...profile, columns }, added: i < 0 };
}

/** The profile without the column at this URL (refused when it has none, so a typo is not a silent no-op). */
export function withoutColumn(profile: InspectionProfile, rawUrl: string, domains: readonly string[]): InspectionProfile {
  const url = checkSiteUrl(rawUrl, domains, 'column');
  if (!profile.columns.some((c) => c.url === url)) throw new DomainError('inspection_column_unknown', { url }, 404);
  return { ...profile, columns: profile.columns.filter((c) => c.url !== url) };
}

/**
 * The columns awaiting the site admin's confirmation, numbered from 1 as `栏目` shows them: the profile's
 * unconfirmed columns, then columns the last crawl discovered in the navigation that the profile lacks.
 */
export function pendingColumns(profile: InspectionProfile, discovered: readonly DiscoveredColumn[]): DiscoveredColumn[] {
  const known = new Set(profile.columns.map((c) => c.url));
  const out: DiscoveredColumn[] = profile.columns.filter((c) => !c.confirmed).map((c) => ({ url: c.url, name: c.name ?? c.url, kind: c.kind }));
  for (const d of discovered) if (!known.has(d.url) && !out.some((o) => o.url === d.url)) out.push(d);
  return out;
}

/**
 * The profile with the pending columns numbered `nos` (or all of them) confirmed, each with its discovered
 * kind unless `kind` says otherwise. Numbers outside the list are refused together, naming the valid range.
 */
export function withConfirmed(
  profile: InspectionProfile,
  pending: readonly DiscoveredColumn[],
  nos: number[] | 'all',
  domains: readonly string[],
  kind?: ColumnKind,
): { profile: InspectionProfile; confirmed: InspectionColumn[] } {
  if (!pending.length) throw new DomainError('inspection_nothing_to_confirm', {}, 404);
  const picked = nos === 'all' ? pending.map((_, i) => i + 1) : [...new Set(nos)];
  const bad = picked.filter((n) => n < 1 || n > pending.length);
  if (bad.length) throw new DomainError('inspection_column_no_invalid', { nos: bad.join(', '), max: pending.length }, 400);
  let next = profile;
  const confirmed: InspectionColumn[] = [];
  for (const n of picked) {
    const d = pending[n - 1]!;
    next = withColumn(next, { url: d.url, kind: kind ?? d.kind, name: d.name }, domains).profile;
    confirmed.push(next.columns.find((c) => c.url === checkSiteUrl(d.url, domains, 'column'))!);
  }
  return { profile: next, confirmed };
}

/**
 * The inspection part of a registry import row, checked against the row's domains: home URLs and key columns
 * (confirmed: the file is the admin's word). Throws the first problem with the field it concerns.
 */
export function importedInspection(
  row: { homeUrls?: string[] | undefined; keyColumns?: Array<{ url: string; kind: ColumnKind; name?: string | undefined }> | undefined },
  domains: readonly string[],
): { homeUrls?: string[]; columns?: InspectionColumn[] } {
  const out: { homeUrls?: string[]; columns?: InspectionColumn[] } = {};
  if (row.homeUrls?.length) {
    try {
      out.homeUrls = withHomeUrls({ homeUrls: [] } as unknown as InspectionProfile, row.homeUrls, domains).homeUrls;
    } catch (err) {
      throw Object.assign(err as DomainError, { field: 'homeUrls' });
    }
  }
  if (row.keyColumns?.length) {
    let p = { columns: [] as InspectionColumn[] } as unknown as InspectionProfile;
    try {
      for (const c of row.keyColumns) p = withColumn(p, { url: c.url, kind: c.kind, ...(c.name ? { name: c.name } : {}) }, domains).profile;
    } catch (err) {
      throw Object.assign(err as DomainError, { field: 'keyColumns' });
    }
    out.columns = p.columns;
  }
  return out;
}

/** The profile with an import's inspection part applied: what the file gives replaces, what it leaves out stays. */
export function withImported(profile: InspectionProfile, part: { homeUrls?: string[]; columns?: InspectionColumn[] }): InspectionProfile {
  return { ...profile, ...(part.homeUrls ? { homeUrls: part.homeUrls } : {}), ...(part.columns ? { columns: part.columns } : {}) };
}
