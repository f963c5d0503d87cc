import { z } from 'zod';
import { DomainError } from '../../errors';
import { canFile } from '../../policies/request.policy';
import { requestActionDto } from '../../presenters/request.presenter';
import { defineCommand } from '../command';
import type { RequestType } from '../../requests/types';
import type { Site } from '../../registry/types';
import type { Ctx } from '../command';
import { fileRequest, quotaFacts } from './support';
import { visibleSite } from '../visible';

const text = (max = 500, missing = 'required') => z.string({ error: missing }).trim().max(max);
const optional = (max = 500) => text(max).optional().transform((v) => (v === '' ? undefined : v));
const siteRef = z.string({ error: 'site_ref_required' }).trim().min(1, 'site_ref_required').max(253);
const date = z.string({ error: 'date_required' }).trim().max(10);

/** Chat users may type the reason in Chinese. */
const emergencyReason = z.preprocess(
  (v) => (typeof v === 'string' ? ({ 不可抗力: 'force_majeure', 责令关停: 'ordered_by_authority', 被责令关停: 'ordered_by_authority' } as Record<string, string>)[v.trim()] ?? v.trim() : v),
  z.enum(['force_majeure', 'ordered_by_authority'], { message: 'emergency_reason_invalid' }),
);

/** A site the actor may see (any other reads as missing) and may file this type of request for. */
export async function siteFor(ctx: Ctx, ref: string, type: RequestType): Promise<Site> {
  const site = await visibleSite(ctx, ref);
  if (!canFile(ctx.actor, site, type)) throw new DomainError('request_site_not_yours', { site: site.name }, 403);
  if (site.status === 'closed') throw new DomainError('site_closed', { site: site.name });
  return site;
}

export const fileTempOffline = defineCommand({
  id: 'request.temp_offline',
  input: z.object({ site: siteRef, start: date, end: date, reason: text(500, 'reason_required').min(1, 'reason_required'), justification: optional() }),
  output: requestActionDto,
  roles: ['site_admin'],
  http: { method: 'post', path: '/requests/temp-offline' },
  chat: { words: { 'zh-CN': ['临时下线'], en: ['offline'] }, args: ['site', 'reason'] },
  /** Art. 13–14: at most 30 days, at most one approved temporary offline per site per year. */
  async handler(ctx, input) {
    const site = await siteFor(ctx, input.site, 'temp_offline');
    const payload = { start: input.start, end: input.end, reason: input.reason, ...(input.justification ? { justification: input.justification } : {}) };
    // The machine checks the quota, the site's status and the window, once (temp-offline.machine.ts).
    return fileRequest(ctx, 'temp_offline', site, payload, await quotaFacts(ctx.deps, site.id, input.start));
  },
});

export const fileEmergencyShutdown = defineCommand({
  id: 'request.emergency_shutdown',
  input: z.object({ site: siteRef, reason: emergencyReason, start: date, end: date, note: text(1000, 'note_required').min(1, 'note_required') }),
  output: requestActionDto,
  roles: [],
  http: { method: 'post', path: '/requests/emergency-shutdown' },
  chat: { words: { 'zh-CN': ['紧急关停'], en: ['shutdown'] }, args: ['site', 'note'] },
  /** Art. 15: a written report upward; it does not use the yearly temporary-offline quota. */
  async handler(ctx, input) {
    const site = await siteFor(ctx, input.site, 'emergency_shutdown');
    return fileRequest(ctx, 'emergency_shutdown', site, { emergencyReason: input.reason, start: input.start, end: input.end, note: input.note });
  },
});

export const fileChangeRecord = defineCommand({
  id: 'request.change_record',
  input: z.object({
    site: siteRef,
    hostUnit: optional(64),
    name: optional(100),
    personInCharge: optional(100),
    contacts: optional(300),
    domain: optional(253),
    columns: optional(1000),
    url: optional(500),
    note: optional(1000),
  }),
  output: requestActionDto,
  roles: ['site_admin'],
  http: { method: 'post', path: '/requests/change-record' },
  chat: { words: { 'zh-CN': ['变更备案'], en: ['change'] }, args: ['site', 'note'] },
  /** Art. 17: host unit, person in charge, contacts, domain, column structure or URL changed → filed upward. */
  async handler(ctx, input) {
    const site = await siteFor(ctx, input.site, 'change_record');
    const { site: _ref, note, ...rest } = input;
    const changes = Object.fromEntries(Object.entries(rest).filter(([, v]) => v));
    const ruleProblems = changes.hostUnit || changes.domain || changes.name ? await ctx.deps.requestRules.checkSite(site, changes) : [];
    return fileRequest(ctx, 'change_record', site, { changes, ...(note ? { note } : {}) }, { ruleProblems });
  },
});

export const fileOpening = defineCommand({
  id: 'request.opening',
  input: z.object({ site: siteRef, note: optional(1000) }),
  output: requestActionDto,
  roles: [],
  http: { method: 'post', path: '/requests/opening' },
  chat: { words: { 'zh-CN': ['开办申请'], en: ['open'] }, args: ['site', 'note'] },
  /** Art. 8–10: a site registered as planned is applied for; the registry rules (art. 6, 11, 12) must hold. */
  async handler(ctx, input) {
    const site = await siteFor(ctx, input.site, 'opening');
    if (site.status !== 'planned') throw new DomainError('site_not_planned', { site: site.name, article: 8 });
    const ruleProblems = await ctx.deps.requestRules.checkSite(site, {});
    return fileRequest(ctx, 'opening', site, input.note ? { note: input.note } : {}, { ruleProblems });
  },
});

export const fileClosure = defineCommand({
  id: 'request.closure',
  input: z.object({ site: siteRef, reason: text(1000, 'reason_required').min(1, 'reason_required'), justification: optional(1000), migrateTo: optional(500) }),
  output: requestActionDto,
  roles: ['site_admin'],
  http: { method: 'post', path: '/requests/closure' },
  chat: { words: { 'zh-CN': ['关停申请'], en: ['close'] }, args: ['site', 'reason'] },
  /** Art. 16 (and art. 13 for portals, which must say why). */
  async handler(ctx, input) {
    const site = await siteFor(ctx, input.site, 'closure');
    if (site.status === 'closing') throw new DomainError('site_closing', { site: site.name, article: 16 });
    const payload = { reason: input.reason, ...(input.justification ? { justification: input.justification } : {}), ...(input.migrateTo ? { migrateTo: input.migrateTo } : {}) };
    return fileRequest(ctx, 'closure', site, payload);
  },
});
