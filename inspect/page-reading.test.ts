import iconv from 'iconv-lite';
import { completeFooter, renderFixturePage } from '../test/fixture-sites';
import { decodeHtml, htmlEncoding } from './charset';
import { discoverColumns, guessColumnKind } from './navigation';
import { pageDates, pageLinks, parsePage } from './page-reader';
import { requiredElements } from './required-elements';

const now = new Date('2026-12-02T04:00:00Z');

describe('#page reading', () => {
  it('decodes GBK as declared by meta, http-equiv or header, and sniffs an undeclared page', () => {
    const html = '<html><head><meta charset="gb2312"></head><body>正定县人民政府 2026年11月30日 镕</body></html>';
    const bytes = iconv.encode(html, 'gbk');
    expect(htmlEncoding(bytes)).toBe('gb18030');
    expect(decodeHtml(bytes)).toContain('正定县人民政府 2026年11月30日 镕');
    const viaHeader = iconv.encode('<html><body>通知公告</body></html>', 'gbk');
    expect(decodeHtml(viaHeader, 'text/html; charset=GBK')).toContain('通知公告');
    expect(decodeHtml(viaHeader)).toContain('通知公告'); // undeclared and not UTF-8: GB 18030
    const httpEquiv = iconv.encode('<meta http-equiv="Content-Type" content="text/html; charset=gbk"><p>政策文件</p>', 'gbk');
    expect(decodeHtml(httpEquiv)).toContain('政策文件');
    expect(decodeHtml(Buffer.from('<meta charset="utf-8"><p>要闻动态</p>'))).toContain('要闻动态');
  });

  it('reads list dates and PubDate metas, leaving the menu and footer out', () => {
    const $ = parsePage(`<html><head><meta name="publishdate" content="2026-11-20 08:00"></head><body>
      <div class="nav"><ul><li><a href="/a/">动态 2026-12-01</a></li></ul></div>
      <ul class="list"><li><a href="/1.html">2019年1月1日起施行的办法解读</a><span>[11-28]</span></li><li><a href="/2.html">通知</a> 2026-11-25</li></ul>
      <div class="footer">更新时间：2026-12-02</div></body></html>`);
    expect(pageDates($, now)).toEqual({ lastUpdate: '2026-11-28', items: 3, blank: false });
  });

  it('reads dates from div-built lists when there is no list element', () => {
    const $ = parsePage('<body><div class="con"><div class="item"><a href="/1.html">通知</a><span>2026年11月11日</span></div></div></body>');
    expect(pageDates($, now)).toEqual({ lastUpdate: '2026-11-11', items: 1, blank: false });
  });

  it('calls a column page blank when it lists nothing or says 暂无信息', () => {
    expect(pageDates(parsePage('<body><div class="nav"><ul><li><a href="/x/">栏目</a></li></ul></div><div class="main"></div></body>'), now).blank).toBe(true);
    expect(pageDates(parsePage('<body><ul><li><a href="/x/">暂无信息</a></li></ul></body>'), now).blank).toBe(true);
    // Undated entries: not blank, but no date either (the rules count it as not updated).
    expect(pageDates(parsePage('<body><ul><li><a href="/1.html">一条没有日期的信息</a></li></ul></body>'), now)).toEqual({ lastUpdate: undefined, items: 0, blank: false });
  });

  it('finds every link, frames included, resolved against <base>, once each, without fragments or javascript:', () => {
    const $ = parsePage(`<html><head><base href="http://www.a.gov.cn/sub/"></head><body>
      <a href="x.html#top">x</a><a href="x.html">x again</a><a href="javascript:void(0)">js</a><a href="mailto:a@b.cn">m</a>
      <iframe src="/frame.html"></iframe><a href="https://other.gov.cn/">o</a></body></html>`);
    expect(pageLinks($, 'http://www.a.gov.cn/').map((l) => l.url)).toEqual(['http://www.a.gov.cn/sub/x.html', 'http://www.a.gov.cn/frame.html', 'https://other.gov.cn/']);
  });

  describe('required elements', () => {
    const expected = { siteCode: '1301230001', hostUnitName: '正定县人民政府办公室' };

    it('finds all of them in a complete footer', () => {
      const $ = parsePage(renderFixturePage({ path: '/', footer: completeFooter('1301230001', '正定县人民政府办公室') }));
      const findings = requiredElements($, expected);
      expect(findings.missing).toEqual([]);
      expect(findings.mismatched).toEqual([]);
      expect(findings.found).toMatchObject({ site_id_code: '1301230001', icp_record: '冀ICP备05003216号-1', police_record: '冀公网安备 13012302000001号', host_unit: '正定县人民政府办公室', contact: '0311-88012345' });
    });

    it('finds the entries embedded as the national scripts', () => {
      const $ = parsePage(`<body><script id="_jiucuo_" sitecode="1301230001" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>
        <span id="_ideConac"></span><script src="https://dcs.conac.cn/js/05/000/0000/60464787/CA050000000604647870001.js"></script></body>`);
      const { found, missing } = requiredElements($, expected);
      expect(found.error_report_entry).toContain('zfwzgl.www.gov.cn/exposure/jiucuo');
      expect(found.party_gov_mark).toContain('conac.cn');
      expect(missing).toEqual(['site_id_code', 'icp_record', 'police_record', 'host_unit', 'contact']);
    });

    it('reports what is missing, and a code or host unit that differs from the registry', () => {
      const $ = parsePage(renderFixturePage({ path: '/', footer: { siteCode: '1301230009', hostUnit: '正定县人民政府', icp: '冀ICP备05003216号' } }));
      const findings = requiredElements($, expected);
      expect(findings.missing).toEqual(['error_report_entry', 'party_gov_mark', 'police_record', 'contact']);
      expect(findings.mismatched).toEqual([
        { element: 'site_id_code', expected: '1301230001', found: '1301230009' },
        { element: 'host_unit', expected: '正定县人民政府办公室', found: '正定县人民政府' },
      ]);
    });

    it('keeps footer facts apart when spans run together', () => {
      const $ = parsePage('<body><div class="foot"><span>主办单位：正定县人民政府办公室</span><span>承办单位：县大数据中心</span><span>网站标识码：1301230001</span></div></body>');
      expect(requiredElements($, expected).found).toMatchObject({ host_unit: '正定县人民政府办公室', site_id_code: '1301230001' });
    });
  });

  describe('navigation', () => {
    it('discovers the columns of the navigation with a guessed kind, home and other sites left out', () => {
      const $ = parsePage(`<body><div id="mainNav"><ul>
        <li><a href="/">首页</a></li><li><a href="/index.html">网站首页</a></li>
        <li><a href="/xwzx/">新闻中心</a><ul><li><a href="/xwzx/ywdt/">要闻动态</a></li><li><a href="/xwzx/bmdt/">部门动态</a></li></ul></li>
        <li><a href="/zwgk/tzgg/">通知公告</a></li><li><a href="/zwgk/zcjd/">政策解读</a></li><li><a href="/zjzd/">走进正定</a></li>
        <li><a href="http://www.hebei.gov.cn/">河北省政府</a></li><li><a href="http://zhengding.gov.cn/hdjl/">互动交流</a></li>
      </ul></div><ul class="list"><li><a href="/other.html">不在导航里</a></li></ul></body>`);
      expect(discoverColumns($, 'http://www.zhengding.gov.cn/', ['www.zhengding.gov.cn'], ['http://www.zhengding.gov.cn/zjzd/'])).toEqual([
        { url: 'http://www.zhengding.gov.cn/xwzx/', name: '新闻中心', kind: 'news' },
        { url: 'http://www.zhengding.gov.cn/xwzx/ywdt/', name: '要闻动态', kind: 'news' },
        { url: 'http://www.zhengding.gov.cn/xwzx/bmdt/', name: '部门动态', kind: 'news' },
        { url: 'http://www.zhengding.gov.cn/zwgk/tzgg/', name: '通知公告', kind: 'notice' },
        { url: 'http://www.zhengding.gov.cn/zwgk/zcjd/', name: '政策解读', kind: 'policy' },
        { url: 'http://zhengding.gov.cn/hdjl/', name: '互动交流', kind: 'other' },
      ]);
    });

    it('falls back to the first list of same-site links when no block is named as navigation', () => {
      const $ = parsePage('<body><ul><li><a href="/a/">工作动态</a></li><li><a href="/b/">通知公告</a></li><li><a href="/c/">政府文件</a></li><li><a href="/d/">机构职能</a></li></ul></body>');
      expect(discoverColumns($, 'http://www.a.gov.cn/', ['www.a.gov.cn']).map((c) => c.kind)).toEqual(['news', 'notice', 'policy', 'other']);
    });

    it('guesses kinds from the names the national check counts by', () => {
      expect(['要闻', '乡镇动态', '公示公告', '规范性文件', '人事信息'].map(guessColumnKind)).toEqual(['news', 'news', 'notice', 'policy', 'other']);
    });
  });
});
