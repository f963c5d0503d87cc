import type { ElementFindings, ElementMismatch, RequiredElement } from '../core/inspection/inspection.types';
import { REQUIRED_ELEMENTS } from '../core/inspection/inspection.types';
import { spacedText, type ParsedPage } from './page-reader';

/**
 * The elements a government home page must carry (national rules §1, art. 20), read as sites really embed
 * them: the 我为政府网站找错 entry is a link or the national script (`zfwzgl.www.gov.cn/exposure/jiucuo`); the
 * 党政机关网站标识 is CONAC's mark (`_ideConac`, `conac.cn`); the rest is footer text.
 */

export interface ExpectedFacts {
  /** 网站标识码 in the registry. */
  siteCode?: string;
  /** 主办单位 in the registry (its name). */
  hostUnitName?: string;
}

const SITE_CODE = /网站标识码\s*[:：]?\s*([0-9A-Za-z]{10})(?![0-9A-Za-z])/;
const ICP = /([\u4e00-\u9fa5]\s*ICP\s*[备證证]\s*[0-9]{5,}\s*号(?:\s*-\s*\d+)?)/i;
const POLICE = /([\u4e00-\u9fa5]\s*公网安备\s*[0-9]{8,}\s*号?)/;
const HOST_UNIT = /主办单位\s*[:：]?\s*([^\s|｜:：,，;；。<>]{2,40})/;
const PHONE = /(?:\(0\d{2,3}\)|0\d{2,3})\s*-?\s*\d{7,8}(?:-\d{1,4})?|1[3-9]\d{9}|12345/;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;
const CONTACT_WORD = /联系电话|联系方式|联系我们|电话\s*[:：]|邮箱|E-?mail/i;

/** Compares names ignoring spaces and full- or half-width brackets, which sites print either way. */
function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')');
  return norm(a) === norm(b);
}

function attrsText($: ParsedPage): string {
  return $('img[alt], img[title], a[title]')
    .toArray()
    .map((el) => `${$(el).attr('alt') ?? ''} ${$(el).attr('title') ?? ''}`)
    .join(' ');
}

function urlsOf($: ParsedPage): string {
  return $('a[href], script[src], img[src], iframe[src]')
    .toArray()
    .map((el) => $(el).attr('href') ?? $(el).attr('src') ?? '')
    .join(' ');
}

/** Which required elements a home page shows, which are missing, and which differ from the registry. */
export function requiredElements($: ParsedPage, expected: ExpectedFacts): ElementFindings {
  const text = `${spacedText($.root()[0]!)} ${attrsText($)}`;
  const urls = urlsOf($);
  const found: Partial<Record<RequiredElement, string>> = {};
  const jiucuo = /zfwzgl\.www\.gov\.cn\/exposure\/jiucuo[^\s"']*/i.exec(urls);
  if (jiucuo) found.error_report_entry = jiucuo[0];
  else if (/我为政府网站找错/.test(text)) found.error_report_entry = '我为政府网站找错';
  const conac = /[\w.]*conac\.cn[^\s"']*/i.exec(urls);
  if (conac) found.party_gov_mark = conac[0];
  else if ($('#_ideConac').length || /党政机关(网站标识)?/.test(attrsText($))) found.party_gov_mark = '党政机关网站标识';
  const code = SITE_CODE.exec(text)?.[1];
  if (code) found.site_id_code = code;
  const icp = ICP.exec(text)?.[1];
  if (icp) found.icp_record = icp.replace(/\s+/g, '');
  const police = POLICE.exec(text)?.[1];
  if (police) found.police_record = police.replace(/\s+(?=\d)/, ' ').trim();
  const hostUnit = HOST_UNIT.exec(text)?.[1];
  if (hostUnit) found.host_unit = hostUnit;
  if (CONTACT_WORD.test(text)) {
    const contact = PHONE.exec(text)?.[0] ?? EMAIL.exec(text)?.[0] ?? (/联系我们/.test(text) ? '联系我们' : undefined);
    if (contact) found.contact = contact;
  }

  const mismatched: ElementMismatch[] = [];
  if (expected.siteCode && code && code.toLowerCase() !== expected.siteCode.toLowerCase()) mismatched.push({ element: 'site_id_code', expected: expected.siteCode, found: code });
  if (expected.hostUnitName && hostUnit && !sameName(hostUnit, expected.hostUnitName)) mismatched.push({ element: 'host_unit', expected: expected.hostUnitName, found: hostUnit });
  return { missing: REQUIRED_ELEMENTS.filter((e) => !found[e]), mismatched, found };
}
