import { z } from 'zod';
import { localeSchema } from '../config.schema';
import { columnKindOf } from '../inspection/profile-edit';
import { SITE_STATUSES } from './types';

/** CSV cells hold lists as `a;b` (or `a|b`, `、`); JSON may hold arrays. Both become a trimmed string list. */
const list = z.preprocess((v) => {
  if (v === undefined || v === null || v === '') return [];
  if (Array.isArray(v)) return v.map((x) => String(x).trim()).filter(Boolean);
  return String(v)
    .split(/[;|、,，]/)
    .map((x) => x.trim())
    .filter(Boolean);
}, z.array(z.string()));

const optionalText = z.preprocess((v) => (v === '' || v === null ? undefined : typeof v === 'number' ? String(v) : v), z.string().trim().min(1).optional());
const text = z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().trim().min(1, 'required'));
const bool = z.preprocess((v) => {
  if (typeof v === 'boolean') return v;
  const s = String(v ?? '').trim().toLowerCase();
  return ['1', 'true', 'yes', 'y', '是'].includes(s) ? true : ['', '0', 'false', 'no', 'n', '否'].includes(s) ? false : v;
}, z.boolean());

const YES = ['1', 'true', 'yes', 'y', '是'];
const NO = ['0', 'false', 'no', 'n', '否'];

/**
 * `active`: whether the person may still use Site Steward. An absent column or an empty cell says nothing, so a
 * re-import without it keeps the user's current state (it never re-activates someone deactivated); any value
 * other than yes or no (true/false, 是/否, 1/0) refuses the row, since guessing here could let someone back in.
 */
const activeFlag = z.unknown().transform((v, ctx): boolean | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (s === '') return undefined;
  if (YES.includes(s)) return true;
  if (NO.includes(s)) return false;
  ctx.addIssue({ code: 'custom', message: 'user_active_invalid', params: { value: String(v) } });
  return z.NEVER;
}).optional();

/** One row of `steward import units`. */
export const unitRowSchema = z.object({
  code: text,
  name: text,
  kind: z.enum(['government', 'department', 'township']),
  level: z.enum(['province', 'city', 'county', 'township']),
  divisionCode: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().regex(/^\d{6}(\d{3})?$/, 'division_code_format')),
  parentCode: z.preprocess((v) => (v === '' || v === undefined ? null : v), z.string().trim().nullable()),
});
export type UnitRow = z.infer<typeof unitRowSchema>;

/** An absent or empty cell: the column says nothing, and the stored value is kept (files without it import as before). */
const absent = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/**
 * Key columns of the inspection (art. 28): `[name:]kind=URL` entries in a CSV cell (`通知公告=https://…/tzgg/;
 * 工作动态:动态=https://…/gzdt/`), or `{url, kind, name}` objects in JSON. Kinds in the national words or
 * news/notice/policy/other; unknown ones refuse the row. The URLs are checked against the row's domains by
 * the importer (core/inspection/profile-edit.ts).
 */
const keyColumn = z.union([
  z.string().trim().transform((v, ctx) => {
    const m = /^(?:([^:：=]+)[:：])?([^=]+)=(\S+)$/.exec(v);
    const kind = m ? columnKindOf(m[2]!) : undefined;
    if (!m || !kind) {
      ctx.addIssue({ code: 'custom', message: m ? 'inspection_kind_unknown' : 'inspection_key_column_format', params: { value: m ? m[2]!.trim() : v } });
      return z.NEVER;
    }
    return { url: m[3]!, kind, ...(m[1]?.trim() ? { name: m[1].trim() } : {}) };
  }),
  z.object({ url: z.string().trim().min(1), kind: z.string().transform((k, ctx) => columnKindOf(k) ?? (ctx.addIssue({ code: 'custom', message: 'inspection_kind_unknown', params: { value: k } }), z.NEVER)), name: z.string().trim().min(1).max(60).optional() }),
]);
const keyColumns = z.preprocess(
  (v) => (absent(v) ? undefined : typeof v === 'string' ? v.split(/[;；\n]/).map((x) => x.trim()).filter(Boolean) : v),
  z.array(keyColumn).max(60).optional(),
);
const homeUrls = z.preprocess((v) => (absent(v) ? undefined : v), list.optional());

/** One row of `steward import sites`. Units are named by code; the level comes from the host unit. */
export const siteRowSchema = z.object({
  code: optionalText,
  name: text,
  kind: z.enum(['portal', 'department']),
  // An empty list passes here: checkSite refuses it as `site_domain_required` citing art. 12 (a zod message
  // carries no params, so the localized reason would lose its article number).
  domains: list,
  hostUnit: text,
  supervisingUnit: text,
  operatorUnit: optionalText,
  languages: list.pipe(z.array(localeSchema)).transform((ls) => (ls.includes('zh-CN') ? ls : ['zh-CN' as const, ...ls])),
  status: z.preprocess((v) => (v === '' || v === undefined ? 'online' : v), z.enum(SITE_STATUSES)),
  exceptionNote: optionalText,
  /** The inspection's home URL(s) (optional): http or https on the row's domains. */
  homeUrls,
  /** The inspection's key columns (optional), confirmed as the file gives them. */
  keyColumns,
});
export type SiteRow = z.infer<typeof siteRowSchema>;

/** One row of `steward import users`. Sites are named by 网站标识码 or main domain, units by code. */
export const userRowSchema = z.object({
  userid: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().trim().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'userid_format')),
  name: text,
  locale: z.preprocess((v) => (v === '' || v === undefined ? 'zh-CN' : v), localeSchema),
  mobile: optionalText.pipe(z.string().regex(/^\+?\d{6,15}$/, 'mobile_format').optional()),
  email: optionalText.pipe(z.string().email('email_format').optional()),
  siteAdminOf: list,
  supervisorOf: list,
  provinceAdmin: z.preprocess((v) => (v === undefined ? false : v), bool),
  active: activeFlag,
});
export type UserRow = z.infer<typeof userRowSchema>;
