import type { Locale } from '../config.schema';

export type UnitKind = 'government' | 'department' | 'township';
export type Level = 'province' | 'city' | 'county' | 'township';

/**
 * A unit of the tree (art. 3, 5): province → cities (incl. 定州, 辛集, administered directly) → counties,
 * with departments under each government. A government stands for its 办公厅(室), the supervising office.
 * `code` is the natural key: the division code for governments and townships, `<division>-<slug>` for
 * departments. `ancestors` lists codes from the root down, so a subtree is one indexed query.
 */
export interface Unit {
  code: string;
  name: string;
  kind: UnitKind;
  level: Level;
  divisionCode: string;
  parentCode: string | null;
  ancestors: string[];
}

export type SiteKind = 'portal' | 'department';
export const SITE_STATUSES = ['planned', 'applying', 'online', 'temp_offline', 'closing', 'closed'] as const;
export type SiteStatus = (typeof SITE_STATUSES)[number];

/** A government website (art. 2): a portal (政府门户网站) or a department site (部门网站). */
export interface Site {
  id: string;
  /** 网站标识码, issued by the State Council once the site is filed; absent while planned. */
  code?: string;
  name: string;
  kind: SiteKind;
  level: Level;
  /** The first is the main domain. */
  domains: string[];
  /** 主管单位 */
  supervisingUnit: string;
  /** 主办单位 */
  hostUnit: string;
  /** 承办单位 */
  operatorUnit?: string;
  /** Editions: zh-CN always, plus foreign-language editions (art. 25). */
  languages: Locale[];
  status: SiteStatus;
  /** Why a county department or township site exists although art. 6 says such units in principle open none. */
  exceptionNote?: string;
  /** Every unit whose supervisor covers this site: host and supervising units with their ancestors. */
  scopeUnits: string[];
}

export type RoleBinding =
  | { role: 'site_admin'; siteId: string }
  | { role: 'supervisor'; unitCode: string }
  | { role: 'province_admin' };

export interface User {
  id: string;
  /** WeCom userid: the identity every channel maps to. */
  userid: string;
  name: string;
  locale: Locale;
  mobile?: string;
  email?: string;
  roles: RoleBinding[];
  active: boolean;
}
