import type { z } from 'zod';
import { zodProblems } from '../../core/commands/run';
import type { FieldProblem } from '../../core/errors';
import { normalizeDomain } from '../../core/registry/domain';
import { siteRowSchema, unitRowSchema, userRowSchema, type SiteRow, type UnitRow } from '../../core/registry/import-rows';
import { checkSite } from '../../core/registry/site.rules';
import type { Site, Unit } from '../../core/registry/types';
import { ancestorsOf, checkUnit, governmentCodeOf, scopeOf } from '../../core/registry/unit.rules';
import { siteRepo, toUnit, unitRepo } from '../registry.repo';
import { SiteModel, type SiteDoc } from '../site.model';
import { UnitModel, type UnitDoc } from '../unit.model';
import { UserModel, type RoleBindingDoc, type UserDoc } from '../user.model';
import { newReport, recordFailure, recordOutcome, type ImportReport, type Outcome, type Progress, type SourceRow } from './import-report';
import { changedFields } from './same';
import { isDuplicateKey } from '../duplicate-key';
import { DomainError } from '../../core/errors';
import { defaultProfileFor } from '../../core/inspection/judge';
import { importedInspection, withImported } from '../../core/inspection/profile-edit';
import { inspectionRepo } from '../inspection.repo';
import { revokeCredentialsOf } from '../account.repo';

function parseRow<S extends z.ZodType>(schema: S, row: SourceRow): { ok: true; value: z.output<S> } | { ok: false; problems: FieldProblem[] } {
  const parsed = schema.safeParse(row.data);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problems: zodProblems(parsed.error) };
}

/**
 * Writes one document by its natural key, only if something changed, as a single-document upsert: a row is
 * either written whole or not at all, and re-importing the same file writes nothing.
 */
async function upsertOne(
  model: typeof UnitModel | typeof SiteModel | typeof UserModel,
  filter: Record<string, unknown>,
  current: Record<string, unknown> | null,
  next: Record<string, unknown>,
  optionalKeys: string[],
): Promise<Outcome> {
  const set = changedFields(current, Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)));
  const unset = Object.fromEntries(optionalKeys.filter((k) => next[k] === undefined && current?.[k] !== undefined).map((k) => [k, 1]));
  if (current && Object.keys(set).length === 0 && Object.keys(unset).length === 0) return 'unchanged';
  const update: Record<string, unknown> = {};
  if (Object.keys(set).length) update.$set = set;
  if (Object.keys(unset).length) update.$unset = unset;
  if (!current) {
    // A plain insert: the unique indexes (unit code, site code and domains, userid) refuse a twin.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await (model as any).create({ ...filter, ...set });
    return 'created';
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  await (model as any).updateOne(filter, update);
  return 'updated';
}

/**
 * Imports units in dependency order: a row whose parent comes later in the file waits for it. Units whose
 * ancestry changed pass the change on to their subtree and to the sites it covers.
 */
export async function importUnits(rows: SourceRow[], onProgress?: Progress): Promise<ImportReport> {
  const report = newReport('units', rows.length);
  let done = 0;
  const tick = () => onProgress?.(++done, rows.length);
  let pending: { row: number; value: UnitRow }[] = [];
  for (const row of rows) {
    const parsed = parseRow(unitRowSchema, row);
    if (parsed.ok) pending.push({ row: row.row, value: parsed.value });
    else {
      recordFailure(report, row.row, parsed.problems);
      tick();
    }
  }
  const moved: string[] = [];
  while (pending.length) {
    const waiting: typeof pending = [];
    for (const item of pending) {
      const u = item.value;
      const parent = u.parentCode ? await unitRepo.get(u.parentCode) : undefined;
      if (u.parentCode && !parent && pending.some((p) => p !== item && p.value.code === u.parentCode)) {
        waiting.push(item);
        continue;
      }
      const problems = checkUnit(u, parent);
      if (problems.length) {
        recordFailure(report, item.row, problems);
        tick();
        continue;
      }
      const current = await UnitModel.findById(u.code).lean<UnitDoc>();
      const next = { name: u.name, kind: u.kind, level: u.level, divisionCode: u.divisionCode, parentCode: u.parentCode, ancestors: ancestorsOf(parent) };
      if (current && current.ancestors.join('/') !== next.ancestors.join('/')) moved.push(u.code);
      recordOutcome(report, await upsertOne(UnitModel, { _id: u.code }, current as unknown as Record<string, unknown>, next, []));
      tick();
    }
    if (waiting.length === pending.length) {
      // Nothing progressed: the rest wait on parents that never arrive (unknown or a cycle).
      for (const item of waiting) {
        recordFailure(report, item.row, [{ field: 'parentCode', code: 'unit_unknown', params: { unit: item.value.parentCode } }]);
        tick();
      }
      break;
    }
    pending = waiting;
  }
  for (const code of moved) await refreshSubtree(code);
  return report;
}

/** Recomputes ancestors below a moved unit and the scope of the sites in that subtree. */
async function refreshSubtree(code: string): Promise<void> {
  const root = await unitRepo.get(code);
  if (!root) return;
  const children = (await UnitModel.find({ parentCode: code }).lean<UnitDoc[]>()).map(toUnit);
  for (const child of children) {
    await UnitModel.updateOne({ _id: child.code }, { $set: { ancestors: ancestorsOf(root) } });
    await refreshSubtree(child.code);
  }
  const sites = await SiteModel.find({ $or: [{ hostUnit: code }, { supervisingUnit: code }] }).lean<SiteDoc[]>();
  for (const s of sites) {
    const units = new Map((await unitRepo.getMany([s.hostUnit, s.supervisingUnit])).map((u) => [u.code, u]));
    await SiteModel.updateOne({ _id: s._id }, { $set: { scopeUnits: scopeOf(units.get(s.hostUnit), units.get(s.supervisingUnit)) } });
  }
}

/** Finds the site a row means: by 网站标识码 when given, else by any of its domains. */
async function existingSite(row: SiteRow): Promise<SiteDoc | null> {
  if (row.code) {
    const byCode = await SiteModel.findOne({ code: row.code }).lean<SiteDoc>();
    if (byCode) return byCode;
  }
  return SiteModel.findOne({ domains: { $in: row.domains.map(normalizeDomain) } }).lean<SiteDoc>();
}

/** Checks a site against the Measures with everything the rules need loaded from the registry. */
export async function checkSiteRow(row: SiteRow, selfId?: string): Promise<{ problems: FieldProblem[]; host?: Unit; supervising?: Unit }> {
  const [host, supervising, operator] = await Promise.all([
    unitRepo.get(row.hostUnit),
    unitRepo.get(row.supervisingUnit),
    row.operatorUnit ? unitRepo.get(row.operatorUnit) : Promise.resolve(undefined),
  ]);
  const governmentCode = host ? governmentCodeOf(host) : null;
  const hostGovernment = governmentCode ? await unitRepo.get(governmentCode) : undefined;
  const governmentPortal = row.kind === 'department' && governmentCode ? await siteRepo.portalOf(governmentCode) : undefined;
  const otherSitesOfHost = await siteRepo.find({ hostUnit: row.hostUnit });
  const domainOwners = await siteRepo.byDomains(row.domains);
  const candidate = { ...row, domains: row.domains.map(normalizeDomain), ...(selfId ? { id: selfId } : {}) };
  const problems = checkSite(candidate, { hostUnit: host, supervisingUnit: supervising, operatorUnit: operator, hostGovernment, governmentPortal, otherSitesOfHost, domainOwners });
  return { problems, host, supervising };
}

/** Imports sites, portals first, so department sites in the same file find their government's portal. */
export async function importSites(rows: SourceRow[], onProgress?: Progress): Promise<ImportReport> {
  const report = newReport('sites', rows.length);
  let done = 0;
  const parsed = rows.map((row) => ({ row, result: parseRow(siteRowSchema, row) }));
  const order = [...parsed].sort((a, b) => rank(a.result) - rank(b.result));
  for (const { row, result } of order) {
    try {
      if (!result.ok) {
        recordFailure(report, row.row, result.problems);
        continue;
      }
      const value = result.value;
      const current = await existingSite(value);
      const { problems, host, supervising } = await checkSiteRow(value, current ? String(current._id) : undefined);
      if (problems.length || !host) {
        recordFailure(report, row.row, problems);
        continue;
      }
      const next = {
        code: value.code,
        name: value.name,
        kind: value.kind,
        level: host.level,
        domains: value.domains.map(normalizeDomain),
        supervisingUnit: value.supervisingUnit,
        hostUnit: value.hostUnit,
        operatorUnit: value.operatorUnit,
        languages: value.languages,
        status: value.status,
        exceptionNote: value.exceptionNote,
        scopeUnits: scopeOf(host, supervising),
      };
      // The optional inspection columns are checked before anything is written, so a bad URL refuses the whole row.
      let inspection: ReturnType<typeof importedInspection>;
      try {
        inspection = importedInspection(value, next.domains);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        recordFailure(report, row.row, [{ field: (err as DomainError & { field?: string }).field ?? 'homeUrls', code: err.code, params: err.params }]);
        continue;
      }
      const filter = current ? { _id: current._id } : {};
      const outcome = await upsertOne(SiteModel, filter, current as unknown as Record<string, unknown>, next, ['code', 'operatorUnit', 'exceptionNote']);
      const profileChanged = inspection.homeUrls || inspection.columns ? await importInspectionProfile(current ? String(current._id) : undefined, value, inspection) : false;
      recordOutcome(report, outcome === 'unchanged' && profileChanged ? 'updated' : outcome);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      recordFailure(report, row.row, [{ field: 'domains', code: 'domain_taken', params: { domain: String(row.data.domains ?? ''), site: '?' } }]);
    } finally {
      onProgress?.(++done, rows.length);
    }
  }
  return report;
}

/**
 * Saves a row's home URLs and key columns into the site's inspection profile (the saved one, else the default),
 * only when they change it: re-importing the same file writes nothing. True when it wrote.
 */
async function importInspectionProfile(siteId: string | undefined, row: SiteRow, part: ReturnType<typeof importedInspection>): Promise<boolean> {
  const id = siteId ?? (await existingSite(row))?._id;
  if (!id) return false;
  const repo = inspectionRepo();
  const site = await siteRepo.getById(String(id));
  if (!site) return false;
  const current = (await repo.profileOf(site.id)) ?? defaultProfileFor(site, repo.settings);
  const next = withImported(current, part);
  if (JSON.stringify({ h: current.homeUrls, c: current.columns }) === JSON.stringify({ h: next.homeUrls, c: next.columns })) return false;
  await repo.saveProfile({ ...next, updatedAt: new Date(), updatedBy: 'import' });
  return true;
}

function rank(r: { ok: boolean; value?: SiteRow }): number {
  return r.ok && r.value?.kind === 'portal' ? 0 : 1;
}

/**
 * Imports users with their role bindings; sites are named by code or domain, units by code. `active` (yes/no)
 * deactivates or re-activates; without it a user keeps their state and a new user is active.
 */
export async function importUsers(rows: SourceRow[], onProgress?: Progress): Promise<ImportReport> {
  const report = newReport('users', rows.length);
  const siteCache = new Map<string, Site | undefined>();
  // The file's existing users in one query: a lookup by userid per row scans the collection on FerretDB's
  // SQLite backend, which made a 1,500-row file take minutes. An entry is dropped once its row is written.
  const ids = [...new Set(rows.map((r) => String(r.data.userid ?? '').trim()).filter(Boolean))];
  const known = new Map<string, UserDoc | null>(ids.map((id) => [id, null]));
  if (ids.length) for (const d of await UserModel.find({ userid: { $in: ids } }).lean<UserDoc[]>()) known.set(d.userid, d);
  let done = 0;
  for (const row of rows) {
    try {
      const parsed = parseRow(userRowSchema, row);
      if (!parsed.ok) {
        recordFailure(report, row.row, parsed.problems);
        continue;
      }
      const u = parsed.value;
      const problems: FieldProblem[] = [];
      const roles: RoleBindingDoc[] = [];
      for (const ref of u.siteAdminOf) {
        if (!siteCache.has(ref)) siteCache.set(ref, await siteRepo.findByRef(ref));
        const site = siteCache.get(ref);
        if (site) roles.push({ role: 'site_admin', siteId: site.id });
        else problems.push({ field: 'siteAdminOf', code: 'site_unknown', params: { site: ref } });
      }
      const units = await unitRepo.getMany(u.supervisorOf);
      for (const code of u.supervisorOf) {
        if (units.some((x) => x.code === code)) roles.push({ role: 'supervisor', unitCode: code });
        else problems.push({ field: 'supervisorOf', code: 'unit_unknown', params: { unit: code } });
      }
      if (u.provinceAdmin) roles.push({ role: 'province_admin' });
      if (problems.length) {
        recordFailure(report, row.row, problems);
        continue;
      }
      const current = known.has(u.userid) ? (known.get(u.userid) ?? null) : await UserModel.findOne({ userid: u.userid }).lean<UserDoc>();
      // `active` only when the row says so: a file without the column keeps who is active as it is.
      const next = { userid: u.userid, name: u.name, locale: u.locale, mobile: u.mobile, email: u.email, roles, active: u.active };
      recordOutcome(report, await upsertOne(UserModel, { userid: u.userid }, current as unknown as Record<string, unknown>, next, ['mobile', 'email']));
      known.delete(u.userid);
      // A row that deactivates someone ends their tokens and sessions too, after the write that already refuses
      // them (store/account.repo.ts); a user the file keeps inactive was revoked when deactivated.
      if (u.active === false && current?.active !== false) await revokeCredentialsOf(u.userid, new Date());
    } finally {
      onProgress?.(++done, rows.length);
    }
  }
  return report;
}

export const importers = { units: importUnits, sites: importSites, users: importUsers } as const;
