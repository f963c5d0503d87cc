import type { SiteRow, UnitRow, UserRow } from '../../core/registry/import-rows';

/**
 * Demo data for a Hebei deployment: the rows `steward import units|sites|users` would read, in the input
 * shape of the zod row schemas (lists as arrays). Governments carry their real GB/T 2260 division codes;
 * departments are `<division>-<slug>`. Site names, domains and 网站标识码 follow art. 11–12 and the
 * `division + serial` pattern but are illustrative: the serials are invented, and the county domains and
 * every contact below are fake (mobiles 1380000xxxx, mail at example.gov.cn).
 *
 * Parents come before their children, so the rows can be imported (and `ancestors` computed) in order.
 */

const gov = (code: string, name: string, level: UnitRow['level'], parentCode: string | null): UnitRow => ({
  code,
  name,
  kind: 'government',
  level,
  divisionCode: code,
  parentCode,
});

const dept = (government: UnitRow, slug: string, name: string): UnitRow => ({
  code: `${government.divisionCode}-${slug}`,
  name,
  kind: 'department',
  level: government.level,
  divisionCode: government.divisionCode,
  parentCode: government.code,
});

// Province and the cities under it; 定州 and 辛集 are administered directly by the province (省直管).
const hebei = gov('130000', '河北省人民政府', 'province', null);
const shijiazhuang = gov('130100', '石家庄市人民政府', 'city', '130000');
const tangshan = gov('130200', '唐山市人民政府', 'city', '130000');
const handan = gov('130400', '邯郸市人民政府', 'city', '130000');
const baoding = gov('130600', '保定市人民政府', 'city', '130000');
const dingzhou = gov('130682', '定州市人民政府', 'city', '130000');
const xinji = gov('130181', '辛集市人民政府', 'city', '130000');

// Counties (county-level cities included) under 石家庄 and 保定.
const zhengding = gov('130123', '正定县人民政府', 'county', '130100');
const pingshan = gov('130131', '平山县人民政府', 'county', '130100');
const zhuozhou = gov('130681', '涿州市人民政府', 'county', '130600');
const fuping = gov('130624', '阜平县人民政府', 'county', '130600');

export const demoUnits: UnitRow[] = [
  hebei,
  shijiazhuang,
  tangshan,
  handan,
  baoding,
  dingzhou,
  xinji,
  zhengding,
  pingshan,
  zhuozhou,
  fuping,
  // Provincial departments.
  dept(hebei, 'jyt', '河北省教育厅'),
  dept(hebei, 'zjt', '河北省住房和城乡建设厅'),
  dept(hebei, 'wjw', '河北省卫生健康委员会'),
  dept(hebei, 'fgw', '河北省发展和改革委员会'),
  dept(hebei, 'swt', '河北省商务厅'),
  dept(hebei, 'slt', '河北省水利厅'),
  dept(hebei, 'mzt', '河北省民政厅'),
  // City departments.
  dept(shijiazhuang, 'jyj', '石家庄市教育局'),
  dept(shijiazhuang, 'wjw', '石家庄市卫生健康委员会'),
  dept(tangshan, 'jtj', '唐山市交通运输局'),
  dept(handan, 'zjj', '邯郸市住房和城乡建设局'),
  dept(baoding, 'slj', '保定市水利局'),
  dept(baoding, 'jyj', '保定市教育局'),
  dept(baoding, 'mzj', '保定市民政局'),
  dept(dingzhou, 'jyj', '定州市教育局'),
  dept(xinji, 'jyj', '辛集市教育局'),
  // County departments: in principle they open no site (art. 6); only 正定县教育局 has one, as an exception.
  dept(zhengding, 'jyj', '正定县教育局'),
  dept(zhengding, 'wlj', '正定县文化广电和旅游局'),
  dept(zhuozhou, 'jyj', '涿州市教育局'),
];

const portal = (code: string, host: UnitRow, domain: string, extra: Partial<SiteRow> = {}): SiteRow => ({
  code,
  name: `${host.name}门户网站`,
  kind: 'portal',
  domains: [domain],
  hostUnit: host.code,
  supervisingUnit: host.code,
  languages: ['zh-CN'],
  status: 'online',
  ...extra,
});

/** A department site: hosted by the department, supervised by the office of the department's government. */
const deptSite = (code: string | undefined, hostCode: string, domain: string, extra: Partial<SiteRow> = {}): SiteRow => {
  const host = demoUnits.find((u) => u.code === hostCode);
  if (!host?.parentCode) throw new Error(`demo data: no department ${hostCode}`);
  return {
    ...(code ? { code } : {}),
    name: `${host.name}网站`,
    kind: 'department',
    domains: [domain],
    hostUnit: host.code,
    supervisingUnit: host.parentCode,
    languages: ['zh-CN'],
    status: 'online',
    ...extra,
  };
};

export const demoSites: SiteRow[] = [
  // Portals: one per government at county level and up (art. 6), `www.<name>.gov.cn` (art. 12).
  portal('1300000001', hebei, 'www.hebei.gov.cn', { languages: ['zh-CN', 'en'] }),
  portal('1301000001', shijiazhuang, 'www.sjz.gov.cn'),
  portal('1302000001', tangshan, 'www.tangshan.gov.cn'),
  portal('1304000001', handan, 'www.hd.gov.cn'),
  portal('1306000001', baoding, 'www.bd.gov.cn'),
  portal('1306820001', dingzhou, 'www.dingzhou.gov.cn'),
  portal('1301810001', xinji, 'www.xinji.gov.cn'),
  portal('1301230001', zhengding, 'www.zhengding.gov.cn'),
  portal('1301310001', pingshan, 'www.pingshan.gov.cn'),
  portal('1306810001', zhuozhou, 'www.zhuozhou.gov.cn'),
  portal('1306240001', fuping, 'www.fuping.gov.cn'),

  // Provincial department sites under hebei.gov.cn.
  deptSite('1300000002', '130000-jyt', 'jyt.hebei.gov.cn'),
  deptSite('1300000003', '130000-zjt', 'zfcxjst.hebei.gov.cn'),
  deptSite('1300000004', '130000-wjw', 'wsjkw.hebei.gov.cn'),
  deptSite('1300000005', '130000-fgw', 'hbdrc.hebei.gov.cn'),
  deptSite('1300000006', '130000-swt', 'swt.hebei.gov.cn', { domains: ['swt.hebei.gov.cn', 'en.swt.hebei.gov.cn'], languages: ['zh-CN', 'en'] }),
  deptSite('1300000007', '130000-slt', 'slt.hebei.gov.cn'),
  deptSite('1300000008', '130000-mzt', 'mzt.hebei.gov.cn'),

  // City department sites under their city's portal zone (slj.bd.gov.cn is the example of the 发展指引).
  deptSite('1301000002', '130100-jyj', 'jyj.sjz.gov.cn'),
  deptSite('1301000003', '130100-wjw', 'wjw.sjz.gov.cn'),
  deptSite('1302000002', '130200-jtj', 'jtj.tangshan.gov.cn'),
  deptSite('1304000002', '130400-zjj', 'zjj.hd.gov.cn'),
  deptSite('1306000002', '130600-slj', 'slj.bd.gov.cn'),
  deptSite('1306000003', '130600-jyj', 'jyj.bd.gov.cn'),
  deptSite('1306000004', '130600-mzj', 'mzj.bd.gov.cn'),
  deptSite('1306820002', '130682-jyj', 'jyj.dingzhou.gov.cn'),
  // Still being opened (art. 8–10): no 网站标识码 yet.
  deptSite(undefined, '130181-jyj', 'jyj.xinji.gov.cn', { status: 'planned' }),

  // The one county department site, kept as an exception to art. 6.
  deptSite('1301230002', '130123-jyj', 'jyj.zhengding.gov.cn', {
    operatorUnit: '130123',
    exceptionNote:
      '经省政府办公厅审核同意保留：承载全县义务教育招生入学、学籍管理和教师资格认定等在线办理服务，暂无法并入正定县人民政府门户网站；已部署在县级集约化平台，由县政府办公室承办。',
  }),
];

export const demoUsers: UserRow[] = [
  {
    userid: 'demo.siteadmin',
    name: '李静',
    locale: 'zh-CN',
    mobile: '13800001001',
    email: 'lijing@example.gov.cn',
    siteAdminOf: ['1301230002', 'www.zhengding.gov.cn'],
    supervisorOf: [],
    provinceAdmin: false,
  },
  {
    userid: 'demo.siteadmin.en',
    name: 'Grace Wang',
    locale: 'en',
    mobile: '13800001002',
    email: 'grace.wang@example.gov.cn',
    siteAdminOf: ['1300000006'],
    supervisorOf: [],
    provinceAdmin: false,
  },
  {
    userid: 'demo.siteadmin.bd',
    name: '赵磊',
    locale: 'zh-CN',
    mobile: '13800001003',
    email: 'zhaolei@example.gov.cn',
    siteAdminOf: ['slj.bd.gov.cn', '1306000003'],
    supervisorOf: [],
    provinceAdmin: false,
  },
  {
    userid: 'demo.siteadmin.sjz',
    name: '孙悦',
    locale: 'zh-CN',
    mobile: '13800001004',
    email: 'sunyue@example.gov.cn',
    siteAdminOf: ['1301000002'],
    supervisorOf: [],
    provinceAdmin: false,
  },
  {
    userid: 'demo.county',
    name: '王芳',
    locale: 'zh-CN',
    mobile: '13800002001',
    email: 'wangfang@example.gov.cn',
    siteAdminOf: [],
    supervisorOf: ['130123'],
    provinceAdmin: false,
  },
  {
    userid: 'demo.county.zz',
    name: '刘洋',
    locale: 'zh-CN',
    mobile: '13800002002',
    email: 'liuyang@example.gov.cn',
    siteAdminOf: [],
    supervisorOf: ['130681'],
    provinceAdmin: false,
  },
  {
    userid: 'demo.city',
    name: '张伟',
    locale: 'zh-CN',
    mobile: '13800003001',
    email: 'zhangwei@example.gov.cn',
    siteAdminOf: [],
    supervisorOf: ['130100'],
    provinceAdmin: false,
  },
  {
    userid: 'demo.city.bd',
    name: '陈晨',
    locale: 'zh-CN',
    mobile: '13800003002',
    email: 'chenchen@example.gov.cn',
    siteAdminOf: [],
    supervisorOf: ['130600'],
    provinceAdmin: false,
  },
  {
    userid: 'demo.supervisor.en',
    name: 'Daniel Zhao',
    locale: 'en',
    mobile: '13800003003',
    email: 'daniel.zhao@example.gov.cn',
    siteAdminOf: [],
    supervisorOf: ['130200'],
    provinceAdmin: false,
  },
  {
    userid: 'demo.province',
    name: '杨帆',
    locale: 'zh-CN',
    mobile: '13800004001',
    email: 'yangfan@example.gov.cn',
    siteAdminOf: [],
    supervisorOf: ['130000'],
    provinceAdmin: true,
  },
  {
    userid: 'demo.province.deputy',
    name: '周敏',
    locale: 'zh-CN',
    mobile: '13800004003',
    email: 'zhoumin@example.gov.cn',
    siteAdminOf: [],
    supervisorOf: ['130000'],
    provinceAdmin: true,
  },
  {
    userid: 'demo.province.swt',
    name: '黄丽',
    locale: 'zh-CN',
    mobile: '13800004002',
    email: 'huangli@example.gov.cn',
    siteAdminOf: [],
    supervisorOf: ['130000-swt'],
    provinceAdmin: false,
  },
];
