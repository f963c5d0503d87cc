import { FIGURE_KEYS } from '../core/annual-report/annual-report.types';
import { COMPLAINT_EVENTS, COMPLAINT_STATES } from '../core/complaints/complaint.types';
import { SUPPORTED_LOCALES } from '../core/config.schema';
import { DomainError, NOT_FOUND_KINDS } from '../core/errors';
import { OBLIGATION_IDS } from '../core/obligations/obligation.config';
import { describeError } from '../core/presenters/error.presenter';
import { REQUEST_EVENT_TYPES, REQUEST_STATUSES, SITE_CHANGE_FIELDS } from '../core/requests/types';
import { EXPECTED_TYPES } from '../core/zod-problems';
import { loadLocaleResources, translatorFor } from '../lib/i18n';
import { errorCodesInSource, featuresInSource, leakContext, leaksIn } from '../test/error-codes';

/**
 * Every error code, rendered as users read it, in every locale: the codes of every `errors` part file (the
 * ones other features add included, read as the app's loader reads them) and every code the code base throws
 * or a schema sets. A raw key, a `{{…}}` left unfilled, a `what.` or `errors:` fragment, an id of ours left
 * untranslated or, in Chinese, an English phrase fails it; so does a code with no text.
 */
const resources = loadLocaleResources();
const ctx = leakContext(resources as never);
const errorsOf = (lng: string) => (resources[lng]?.errors ?? {}) as Record<string, unknown>;
/** The codes of a locale: the top-level strings of `errors` (subtrees such as `what` are vocabularies). */
const codesOf = (lng: string) => Object.entries(errorsOf(lng)).filter(([, v]) => typeof v === 'string').map(([k]) => k);
const inSource = errorCodesInSource();
const allCodes = [...new Set([...SUPPORTED_LOCALES.flatMap(codesOf), ...inSource.keys()])].sort();

const templateOf = (lng: string, code: string) => {
  const v = errorsOf(lng)[code];
  return typeof v === 'string' ? v : undefined;
};
const paramNames = (code: string) =>
  [...new Set(SUPPORTED_LOCALES.flatMap((lng) => [...(templateOf(lng, code) ?? '').matchAll(/{{\s*([\w.]+)\s*(?:,[^}]*)?}}/g)].map((m) => m[1]!)))].sort();

/** A value of each param as the code passes it (ids stay ids: the text or the presenter must translate them). */
const SAMPLE: Record<string, unknown> = {
  action: 'return', // a complaint event and an approval decision alike
  article: 14,
  by: '王芳',
  campaigns: 'C-130100-2026Q4, C-130000-2026Q4',
  corpid: 'ww0123456789abcdef',
  count: 3,
  date: '2027-02-06',
  days: 31,
  division: '130123',
  divisor: 5,
  domain: 'jyj.zhengding.gov.cn',
  domains: 'www.zhengding.gov.cn、zhengding.gov.cn',
  end: '2027-03-01',
  errcode: 60020,
  event: 'return', // a request event and a complaint event alike
  feature: 'notices',
  field: 'start',
  fields: SITE_CHANGE_FIELDS.join(', '),
  file: 'holidays-2027.json',
  from: '2027-01-01',
  fromField: 'from',
  host: '正定县教育局',
  id: 'R2027-0001',
  item: 'icp_filing',
  items: 'icp_filing, psb_filing',
  keys: FIGURE_KEYS.join(', '),
  length: 10,
  limit: '1mb',
  max: 30,
  min: 2,
  missing: 'migration_notice',
  mode: 'wecom',
  n: 2,
  nos: '3',
  name: '正定县教育局网站',
  no: 2,
  obligation: 'quarterly_check',
  other: 'R2027-0002',
  parent: '河北省人民政府',
  path: '/api/v1/nosuch',
  period: '2026-Q4',
  platformId: 'ZC-001',
  portal: 'www.zhengding.gov.cn',
  reason: 'EACCES',
  ref: 'R2027-0009',
  requestId: 'req-1',
  scheme: 'ftp',
  roles: ['province_admin'],
  site: '正定县教育局网站',
  start: '2027-03-01',
  state: 'received',
  status: 'reviewing',
  step: 2,
  subject: '正定县教育局网站',
  text: '你好',
  to: '2027-12-31',
  toField: 'to',
  today: '2027-04-01',
  type: 'text/plain',
  unit: '正定县人民政府',
  url: 'https://www.zhengding.gov.cn/zwgk/tzgg/',
  userid: 'demo.county',
  value: '2027-13-01',
  values: ['admins', 'units', 'groups'],
  what: 'notice',
  year: 2027,
  zone: 'zhengding.gov.cn',
};

/** Codes whose params take ids of a vocabulary: every id is rendered, so none lacks its word. */
const VARIANTS: Record<string, Record<string, unknown>[]> = {
  not_found: NOT_FOUND_KINDS.map((what) => ({ what })),
  invalid_type: EXPECTED_TYPES.map((expected) => ({ expected })),
  government_parent_level: ['province', 'city', 'county'].map((expected) => ({ expected })),
  forbidden_role: [['site_admin'], ['supervisor'], ['province_admin'], ['site_admin', 'supervisor']].map((roles) => ({ roles })),
  request_event_not_allowed: [...REQUEST_STATUSES.map((status) => ({ status, event: 'approve' })), ...REQUEST_EVENT_TYPES.map((event) => ({ status: 'reviewing', event }))],
  step_already_decided: ['approve', 'reject', 'return'].map((action) => ({ action })),
  complaint_bad_transition: [...COMPLAINT_STATES.map((state) => ({ state, event: 'answer' })), ...COMPLAINT_EVENTS.map((event) => ({ state: 'received', event }))],
  complaint_forbidden: COMPLAINT_EVENTS.map((action) => ({ action })),
  obligation_disabled: OBLIGATION_IDS.map((obligation) => ({ obligation })),
  obligation_not_applicable: OBLIGATION_IDS.map((obligation) => ({ obligation })),
  feature_unavailable: featuresInSource().map((feature) => ({ feature })),
  unknown_keys: [{ keys: ['holiday'] }, { keys: ['holiday', 'notes'] }],
  calendar_unknown_key: [{ keys: 'holiday, notes' }],
  forbidden: [{ action: '删除网站' }],
};

function samplesFor(code: string): Record<string, unknown>[] {
  const base = Object.fromEntries(paramNames(code).map((p) => [p, SAMPLE[p]]));
  return (VARIANTS[code] ?? [{}]).map((v) => ({ ...base, ...v }));
}

describe('#error codes', () => {
  it('finds the codes of the locale files and of the code base', () => {
    // The scans see what we know is there, so a broken pattern cannot pass silently.
    expect(allCodes).toEqual(expect.arrayContaining(['not_found', 'site_admin_only', 'handoff_target_invalid', 'too_long', 'invalid_value', 'forbidden_role', 'campaign_findings_open', 'complaint_ref_required']));
    expect(codesOf('zh-CN').length).toBeGreaterThan(100);
  });

  it('has a text in every locale for every code the code base uses', () => {
    const missing: string[] = [];
    for (const [code, file] of inSource) for (const lng of SUPPORTED_LOCALES) if (templateOf(lng, code) === undefined) missing.push(`${lng} errors:${code} (used in ${file})`);
    expect(missing).toEqual([]);
  });

  it('has a sample for every param a text uses', () => {
    const unknown = allCodes.flatMap((code) => paramNames(code).filter((p) => !(p in SAMPLE) && !VARIANTS[code]?.every((v) => p in v)).map((p) => `${code}: {{${p}}}`));
    expect(unknown).toEqual([]);
  });

  it.each([...SUPPORTED_LOCALES])('renders every code in %s with no raw key, placeholder or untranslated word', (lng) => {
    const t = translatorFor(lng);
    const problems: string[] = [];
    for (const code of allCodes) {
      const templates = SUPPORTED_LOCALES.map((l) => templateOf(l, code) ?? '');
      if (templateOf(lng, code) === undefined) {
        problems.push(`${code}: no text`);
        continue;
      }
      for (const params of samplesFor(code)) {
        const message = describeError(new DomainError(code, params), t, 'req-1').message;
        for (const leak of leaksIn(message, lng, code, templates, ctx)) problems.push(`${code} ${JSON.stringify(params)}: ${leak} in “${message}”`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('names the roles of forbidden_role in the reader’s words', () => {
    const render = (lng: 'zh-CN' | 'en') => describeError(new DomainError('forbidden_role', { roles: ['province_admin', 'supervisor'] }, 403), translatorFor(lng), 'r').message;
    expect(render('zh-CN')).toBe('该命令仅限省级管理员或主管单位使用。');
    expect(render('en')).toBe('This command is for the province administrator or supervisor only.');
  });

  it('says "not found or not yours" for every kind of thing, never a raw what. key', () => {
    expect(describeError(new DomainError('not_found', { what: 'notice', ref: 'N2027-0001' }, 404), translatorFor('zh-CN'), 'r').message).toBe('未找到该通知，或您无权查看。');
    expect(describeError(new DomainError('not_found', { what: 'request', ref: 'R2027-0001' }, 404), translatorFor('en'), 'r').message).toBe('No such request, or you may not see it.');
  });
});

describe('#error code checks', () => {
  const templates = ['未找到该$t(errors:what.{{what}})，或您无权查看。'];
  it.each([
    ['the raw key', 'not_found', 'zh-CN'],
    ['a what. fragment', '未找到what.notice：N2027-0001', 'zh-CN'],
    ['an unfilled {{…}}', '未找到该{{what}}', 'zh-CN'],
    ['a namespace: fragment', '未找到errors:not_found', 'en'],
    ['the id province_admin', '该命令仅限以下角色使用：province_admin', 'zh-CN'],
    ['the English "expected string to have"', '输入有 1 处错误：\nreason: 取值无效（Too big: expected string to have <=500 characters）', 'zh-CN'],
  ])('catches %s', (leak, message, lng) => {
    expect(leaksIn(message, lng, 'not_found', templates, ctx).join('; ')).toContain(leak);
  });

  it('lets a code users type, a domain, an id and a command line pass', () => {
    expect(leaksIn('部门网站域名 jyj.zhengding.gov.cn 不是 www.zhengding.gov.cn 的下级域名，申请 R2027-0001，请写 key=value，或用 steward token list 查看', 'zh-CN', 'x', [], ctx)).toEqual([]);
  });
});
