import type { Locale } from '../config.schema';
import type { Site, Unit, User } from './types';

export interface UnitRepo {
  get(code: string): Promise<Unit | undefined>;
  getMany(codes: string[]): Promise<Unit[]>;
  /** The unit and every unit below it. */
  subtree(code: string): Promise<Unit[]>;
}

export interface SiteQuery {
  /** Sites a supervisor of any of these units covers (`scopeUnits`). */
  scopeUnits?: string[];
  ids?: string[];
  hostUnit?: string;
  statuses?: Site['status'][];
  limit?: number;
}

export interface SiteRepo {
  getById(id: string): Promise<Site | undefined>;
  /** By 网站标识码 or by any of its domains. */
  findByRef(ref: string): Promise<Site | undefined>;
  find(query: SiteQuery): Promise<Site[]>;
  byDomains(domains: string[]): Promise<Site[]>;
  portalOf(governmentCode: string): Promise<Site | undefined>;
}

export interface UserRepo {
  byUserid(userid: string): Promise<User | undefined>;
  byIds(ids: string[]): Promise<User[]>;
  /** Sets the language a person reads the bot in (chat `语言 en`); the user as it is now, undefined when unknown. */
  setLocale(userid: string, locale: Locale): Promise<User | undefined>;
}
