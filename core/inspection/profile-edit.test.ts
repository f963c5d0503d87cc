import { DomainError } from '../errors';
import type { InspectionProfile } from './inspection.types';
import { checkSiteUrl, columnKindOf, pendingColumns, splitUrls, withColumn, withConfirmed, withHomeUrls, withoutColumn } from './profile-edit';

const DOMAINS = ['www.zhengding.gov.cn', 'zhengding.gov.cn'];
const profile: InspectionProfile = { siteId: 's1', homeUrls: ['https://www.zhengding.gov.cn/'], columns: [], probesPerDay: 20, offsetMinutes: 3, crawlDepth: 1, enabled: true };

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof DomainError ? { code: err.code, params: err.params } : err;
  }
  return undefined;
};

describe('#inspection profile: home URLs and key columns', () => {
  it('takes http and https URLs on the registered domains, in any case, without the fragment', () => {
    expect(checkSiteUrl(' http://WWW.Zhengding.gov.cn/index.html#top ', DOMAINS, 'home')).toBe('http://www.zhengding.gov.cn/index.html');
    expect(checkSiteUrl('https://zhengding.gov.cn', DOMAINS, 'home')).toBe('https://zhengding.gov.cn/');
  });

  it('refuses anything the inspector would not fetch, each with its own reason', () => {
    expect(codeOf(() => checkSiteUrl('www.zhengding.gov.cn', DOMAINS, 'home'))).toMatchObject({ code: 'inspection_url_invalid' });
    expect(codeOf(() => checkSiteUrl('ftp://www.zhengding.gov.cn/', DOMAINS, 'home'))).toMatchObject({ code: 'inspection_url_scheme', params: { scheme: 'ftp' } });
    expect(codeOf(() => checkSiteUrl('https://a:b@www.zhengding.gov.cn/', DOMAINS, 'home'))).toMatchObject({ code: 'inspection_url_credentials' });
    expect(codeOf(() => checkSiteUrl('https://www.xinji.gov.cn/', DOMAINS, 'home'))).toMatchObject({ code: 'inspection_url_off_site', params: { host: 'www.xinji.gov.cn' } });
    // A look-alike host that merely ends with a registered domain is another site.
    expect(codeOf(() => checkSiteUrl('https://evil-zhengding.gov.cn/', DOMAINS, 'home'))).toMatchObject({ code: 'inspection_url_off_site' });
    expect(codeOf(() => checkSiteUrl('http://127.0.0.1/', DOMAINS, 'home'))).toMatchObject({ code: 'inspection_url_off_site' });
  });

  it('splits a typed list of URLs and replaces the home URLs, duplicates dropped', () => {
    expect(splitUrls('https://www.zhengding.gov.cn/ ，http://zhengding.gov.cn/;')).toEqual(['https://www.zhengding.gov.cn/', 'http://zhengding.gov.cn/']);
    const next = withHomeUrls(profile, ['http://zhengding.gov.cn/', 'http://ZHENGDING.gov.cn/'], DOMAINS);
    expect(next.homeUrls).toEqual(['http://zhengding.gov.cn/']);
    expect(codeOf(() => withHomeUrls(profile, [], DOMAINS))).toMatchObject({ code: 'inspection_home_required' });
  });

  it('reads column kinds in both languages, and only real words', () => {
    expect(['动态', '要闻', '动态/要闻', 'news', 'NEWS'].map(columnKindOf)).toEqual(['news', 'news', 'news', 'news', 'news']);
    expect(['通知公告', '政策文件', '其他', 'policy'].map(columnKindOf)).toEqual(['notice', 'policy', 'other', 'policy']);
    expect(['constructor', '__proto__', '栏目'].map(columnKindOf)).toEqual([undefined, undefined, undefined]);
  });

  it('adds a column confirmed, changes it by URL keeping its name, and removes it', () => {
    const a = withColumn(profile, { url: 'https://www.zhengding.gov.cn/tzgg/', kind: 'notice', name: '通知公告' }, DOMAINS);
    expect(a.added).toBe(true);
    expect(a.profile.columns).toEqual([{ url: 'https://www.zhengding.gov.cn/tzgg/', kind: 'notice', name: '通知公告', confirmed: true }]);
    const b = withColumn(a.profile, { url: 'https://www.zhengding.gov.cn/tzgg/', kind: 'policy' }, DOMAINS);
    expect(b.added).toBe(false);
    expect(b.profile.columns).toEqual([{ url: 'https://www.zhengding.gov.cn/tzgg/', kind: 'policy', name: '通知公告', confirmed: true }]);
    expect(withoutColumn(b.profile, 'https://www.zhengding.gov.cn/tzgg/', DOMAINS).columns).toEqual([]);
    expect(codeOf(() => withoutColumn(profile, 'https://www.zhengding.gov.cn/nosuch/', DOMAINS))).toMatchObject({ code: 'inspection_column_unknown' });
  });

  it('lists discovered columns to confirm and confirms them by number, with a kind when given', () => {
    const withPending: InspectionProfile = { ...profile, columns: [{ url: 'https://www.zhengding.gov.cn/xwdt/', kind: 'news', name: '新闻动态', confirmed: false }] };
    const discovered = [
      { url: 'https://www.zhengding.gov.cn/xwdt/', name: '新闻动态', kind: 'news' as const },
      { url: 'https://www.zhengding.gov.cn/zcwj/', name: '政策文件', kind: 'policy' as const },
      { url: 'https://www.zhengding.gov.cn/hdjl/', name: '互动交流', kind: 'other' as const },
    ];
    const pending = pendingColumns(withPending, discovered);
    expect(pending.map((p) => p.name)).toEqual(['新闻动态', '政策文件', '互动交流']);
    const { profile: next, confirmed } = withConfirmed(withPending, pending, [1, 3], DOMAINS, 'notice');
    expect(confirmed.map((c) => [c.name, c.kind, c.confirmed])).toEqual([
      ['新闻动态', 'notice', true],
      ['互动交流', 'notice', true],
    ]);
    expect(pendingColumns(next, discovered).map((p) => p.name)).toEqual(['政策文件']);
    expect(withConfirmed(next, pendingColumns(next, discovered), 'all', DOMAINS).profile.columns).toHaveLength(3);
    expect(codeOf(() => withConfirmed(next, pendingColumns(next, discovered), [0, 2], DOMAINS))).toMatchObject({ code: 'inspection_column_no_invalid', params: { nos: '0, 2', max: 1 } });
    expect(codeOf(() => withConfirmed(profile, [], 'all', DOMAINS))).toMatchObject({ code: 'inspection_nothing_to_confirm' });
  });
});
