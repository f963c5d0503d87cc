import { z } from 'zod';
import { eventWindow, instantOutsideWindow, type DateWindow } from '../calendar/date-window';

/**
 * Column names as the national platform's exports spell them (Chinese headers) and as our API takes them
 * (camelCase). Every alias maps to one field, so a CSV export, a JSON export and a POST body all read alike.
 */
const ALIASES: Record<string, string[]> = {
  platformId: ['platformId', 'platform_id', 'id', '编号', '问题编号', '留言编号', '工单编号', '纠错编号'],
  site: ['site', 'siteCode', 'siteRef', 'domain', '网站标识码', '网站域名', '网站', '域名', '网站名称'],
  pageUrl: ['pageUrl', 'page_url', 'url', '网页地址', '问题页面', '页面地址', '问题网址', '链接'],
  errorType: ['errorType', 'error_type', 'type', '错误类型', '问题类型', '纠错类型'],
  description: ['description', 'desc', '问题描述', '描述', '留言内容', '纠错内容'],
  receivedAt: ['receivedAt', 'received_at', '提交时间', '接收时间', '留言时间', '受理时间', '收到时间'],
};

/** Maps a raw row's keys to our field names; unknown keys are dropped, the first non-empty alias wins. */
export function normalizeRowKeys(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, names] of Object.entries(ALIASES)) {
    for (const name of names) {
      const v = raw[name];
      if (v !== undefined && v !== null && v !== '') {
        out[field] = v;
        break;
      }
    }
  }
  return out;
}

/**
 * An instant from the platform: ISO with a zone as is; a bare `YYYY-MM-DD HH:mm[:ss]` (or with `/`) is China
 * wall-clock time, since that is what the platform shows. Unparseable text gives undefined.
 */
export function parseChinaTime(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== 'string') return undefined;
  const s = value.trim().replace(/\//g, '-');
  const bare = /^(\d{4}-\d{1,2}-\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (bare) {
    const [y, m, d] = bare[1]!.split('-').map(Number) as [number, number, number];
    const [hh, mm, ss] = [Number(bare[2] ?? 0), Number(bare[3] ?? 0), Number(bare[4] ?? 0)];
    const day = new Date(Date.UTC(y, m - 1, d));
    if (day.getUTCFullYear() !== y || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d || hh > 23 || mm > 59 || ss > 59) return undefined;
    return new Date(Date.UTC(y, m - 1, d, hh - 8, mm, ss));
  }
  if (!/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(s)) return undefined;
  const date = new Date(s);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const text = (max: number, code: string) => z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string(code).trim().min(1, code).max(max, code));

/**
 * When a report was received: a time the platform wrote (see `parseChinaTime`) and, when `window` is given,
 * one on a date that can be a receipt (core/calendar/date-window.ts: 2000-01-01 … end of next year), so
 * 9999-12-31 is this row's error and never a deadline past the calendar's last year.
 */
function receivedAtField(window?: DateWindow) {
  return z.unknown().transform((v, ctx) => {
    const date = parseChinaTime(v);
    if (!date) {
      ctx.addIssue({ code: 'custom', message: 'complaint_received_at_invalid', params: { value: String(v ?? '') } });
      return z.NEVER;
    }
    const problem = window && instantOutsideWindow('receivedAt', date, window, typeof v === 'string' ? v.trim() : date.toISOString());
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem.code, params: problem.params });
      return z.NEVER;
    }
    return date;
  });
}

function rowSchema(window?: DateWindow) {
  return z
    .object({
      platformId: text(64, 'complaint_platform_id_required').pipe(z.string().regex(/^[\w.:/-]+$/, 'complaint_platform_id_invalid')),
      site: text(253, 'complaint_site_required').optional(),
      pageUrl: z
        .string()
        .trim()
        .max(2000)
        .optional()
        .transform((v) => (v ? v : null)),
      errorType: text(100, 'complaint_error_type_required'),
      description: text(5000, 'complaint_description_required'),
      receivedAt: receivedAtField(window),
    })
    .transform((row, ctx) => {
      const site = row.site ?? hostOfUrl(row.pageUrl);
      if (!site) {
        ctx.addIssue({ code: 'custom', path: ['site'], message: 'complaint_site_required' });
        return z.NEVER;
      }
      return { ...row, site };
    });
}

/** One report as intake accepts it, after `normalizeRowKeys`; a row without a site column uses its page's host. */
export const complaintRowSchema = rowSchema();

/** The same, with `receivedAt` held to the dates a receipt can have as of `today` (China-local). */
export function complaintRowSchemaOn(today: string) {
  return rowSchema(eventWindow(today));
}

export type ComplaintRow = z.output<typeof complaintRowSchema>;

/** The host of a page URL, to find the site when the site column names none we know. */
export function hostOfUrl(url: string | null): string | undefined {
  if (!url) return undefined;
  const m = /^(?:[a-z]+:\/\/)?([^/:?#\s]+)/i.exec(url.trim());
  return m?.[1]?.toLowerCase();
}
