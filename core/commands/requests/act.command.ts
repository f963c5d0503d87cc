import { z } from 'zod';
import { DomainError } from '../../errors';
import { canManageRequest } from '../../policies/request.policy';
import { presentRequest, presentRequestSummary, requestActionDto, requestDto, requestSummaryDto } from '../../presenters/request.presenter';
import { defineCommand, type Ctx } from '../command';
import type { RequestPayload, RequestRecord } from '../../requests/types';
import { chinaDateOf } from '../../calendar/civil-date';
import { act, colleague, loadRequest, quotaFacts, stepIndexFor, whoOf } from './support';

const requestId = z.string({ error: 'request_id_required' }).trim().min(1, 'request_id_required').max(20);
const comment = z.string().trim().max(1000);
const required = z.string({ error: 'comment_required' }).trim().min(1, 'comment_required').max(1000);

/** The actor can read the request (`loadRequest`), so the refusal says why: these steps are the requester's side. */
function mustManage(ctx: Ctx, record: RequestRecord): void {
  if (!canManageRequest(ctx.actor, record)) throw new DomainError('request_requester_only', { id: record.id }, 403);
}

/** Facts a decision re-checks: the art. 14 quota, the registry rules for a changed or opened site. */
async function decisionFacts(ctx: Ctx, record: RequestRecord, payload: RequestPayload = record.payload) {
  if (record.type === 'temp_offline') return quotaFacts(ctx.deps, record.site.id, payload.start, record.id);
  if (record.type === 'change_record' || record.type === 'opening') {
    const changes = payload.changes ?? {};
    if (record.type === 'change_record' && !changes.hostUnit && !changes.domain && !changes.name) return {};
    const site = await ctx.deps.sites.getById(record.site.id);
    if (!site) return {};
    return { ruleProblems: await ctx.deps.requestRules.checkSite(site, changes) };
  }
  return {};
}

export const requestMine = defineCommand({
  id: 'request.mine',
  input: z.object({}),
  output: z.object({ requests: z.array(requestSummaryDto) }),
  roles: [],
  http: { method: 'get', path: '/requests' },
  chat: { words: { 'zh-CN': ['我的申请'], en: ['my requests'] } },
  async handler(ctx) {
    const now = ctx.deps.clock.now();
    return { requests: (await ctx.deps.requests.byRequester(ctx.actor.user.userid)).map((r) => presentRequestSummary(r, now)) };
  },
});

export const requestInbox = defineCommand({
  id: 'request.inbox',
  input: z.object({}),
  output: z.object({ requests: z.array(requestSummaryDto) }),
  roles: ['supervisor'],
  http: { method: 'get', path: '/requests/inbox' },
  chat: { words: { 'zh-CN': ['待审批', '待办审批'], en: ['inbox'] } },
  /** Requests whose current step is this approver's: their units' steps, the root step for province admins, 转办 to them. */
  async handler(ctx) {
    const list = await ctx.deps.requests.inbox({ userid: ctx.actor.user.userid, units: ctx.actor.supervisedUnits, root: ctx.actor.isProvinceAdmin });
    const now = ctx.deps.clock.now();
    return { requests: list.map((r) => presentRequestSummary(r, now)) };
  },
});

export const requestShow = defineCommand({
  id: 'request.show',
  input: z.object({ id: requestId }),
  output: z.object({ request: requestDto }),
  roles: [],
  http: { method: 'get', path: '/requests/:id' },
  chat: { words: { 'zh-CN': ['申请'], en: ['request'] }, args: ['id'] },
  async handler(ctx, input) {
    return { request: presentRequest(await loadRequest(ctx, input.id), ctx.deps.clock.now()) };
  },
});

export const requestApprove = defineCommand({
  id: 'request.approve',
  input: z.object({ id: requestId, comment: comment.optional() }),
  output: requestActionDto,
  roles: ['supervisor'],
  http: { method: 'post', path: '/requests/:id/approve' },
  chat: { words: { 'zh-CN': ['同意', '确认备案'], en: ['approve', 'acknowledge'] }, args: ['id', 'comment'] },
  /** Approves (or, for filings, acknowledges) the approver's step; the rules are checked again first. */
  async handler(ctx, input) {
    const record = await loadRequest(ctx, input.id);
    const step = stepIndexFor(ctx.actor, record);
    const facts = record.status === 'reviewing' && step === record.currentStep ? await decisionFacts(ctx, record) : {};
    return act(ctx, record, { type: 'approve', by: whoOf(ctx.actor), step, ...(input.comment ? { comment: input.comment } : {}), facts });
  },
});

function decision(id: 'request.reject' | 'request.return', words: { 'zh-CN': string[]; en: string[] }, verb: string, type: 'reject' | 'return') {
  return defineCommand({
    id,
    input: z.object({ id: requestId, comment: required }),
    output: requestActionDto,
    roles: ['supervisor'],
    http: { method: 'post', path: `/requests/:id/${verb}` },
    chat: { words, args: ['id', 'comment'] },
    needs: { field: 'comment' },
    async handler(ctx, input) {
      const record = await loadRequest(ctx, input.id);
      return act(ctx, record, { type, by: whoOf(ctx.actor), step: stepIndexFor(ctx.actor, record), comment: input.comment });
    },
  });
}

export const requestReject = decision('request.reject', { 'zh-CN': ['驳回'], en: ['reject'] }, 'reject', 'reject');
export const requestReturn = decision('request.return', { 'zh-CN': ['退回'], en: ['return'] }, 'return', 'return');

export const requestHandoff = defineCommand({
  id: 'request.handoff',
  input: z.object({ id: requestId, to: z.string({ error: 'user_required' }).trim().min(1, 'user_required').max(64), comment: comment.optional() }),
  output: requestActionDto,
  roles: ['supervisor'],
  http: { method: 'post', path: '/requests/:id/handoff' },
  chat: { words: { 'zh-CN': ['转办申请', '审批转办'], en: ['handoff'] }, args: ['id', 'to', 'comment'] },
  /** 转办: hands the step to a colleague of the same unit, who must then act on it. */
  async handler(ctx, input) {
    const record = await loadRequest(ctx, input.id);
    const step = stepIndexFor(ctx.actor, record);
    const to = await colleague(ctx, record, input.to, true);
    return act(ctx, record, { type: 'handoff', by: whoOf(ctx.actor), step, to, ...(input.comment ? { comment: input.comment } : {}) });
  },
});

export const requestCc = defineCommand({
  id: 'request.cc',
  input: z.object({ id: requestId, to: z.string({ error: 'user_required' }).trim().min(1, 'user_required').max(64), comment: comment.optional() }),
  output: requestActionDto,
  roles: ['supervisor'],
  http: { method: 'post', path: '/requests/:id/cc' },
  chat: { words: { 'zh-CN': ['抄送'], en: ['cc'] }, args: ['id', 'to', 'comment'] },
  /** 抄送: copies someone for information; they may read the request but not act on it. */
  async handler(ctx, input) {
    const record = await loadRequest(ctx, input.id);
    const step = stepIndexFor(ctx.actor, record);
    const to = await colleague(ctx, record, input.to, false);
    return act(ctx, record, { type: 'cc', by: whoOf(ctx.actor), step, to, ...(input.comment ? { comment: input.comment } : {}) });
  },
});

export const requestWithdraw = defineCommand({
  id: 'request.withdraw',
  input: z.object({ id: requestId, comment: comment.optional() }),
  output: requestActionDto,
  roles: [],
  http: { method: 'post', path: '/requests/:id/withdraw' },
  chat: { words: { 'zh-CN': ['撤回'], en: ['withdraw'] }, args: ['id', 'comment'] },
  async handler(ctx, input) {
    const record = await loadRequest(ctx, input.id);
    mustManage(ctx, record);
    return act(ctx, record, { type: 'withdraw', by: whoOf(ctx.actor), ...(input.comment ? { comment: input.comment } : {}) });
  },
});

const optional = (max = 500) => z.string().trim().max(max).optional();

export const requestResubmit = defineCommand({
  id: 'request.resubmit',
  input: z.object({
    id: requestId,
    start: optional(10),
    end: optional(10),
    reason: optional(1000),
    justification: optional(1000),
    note: optional(1000),
    migrateTo: optional(500),
    hostUnit: optional(64),
    name: optional(100),
    personInCharge: optional(100),
    contacts: optional(300),
    domain: optional(253),
    columns: optional(1000),
    url: optional(500),
    comment: optional(1000),
  }),
  output: requestActionDto,
  roles: [],
  http: { method: 'post', path: '/requests/:id/resubmit' },
  chat: { words: { 'zh-CN': ['重新提交'], en: ['resubmit'] }, args: ['id', 'comment'] },
  /** The requester amends a returned request (only the fields given change) and it starts the chain again. */
  async handler(ctx, input) {
    const record = await loadRequest(ctx, input.id);
    mustManage(ctx, record);
    const { id: _id, comment: note, hostUnit, name, personInCharge, contacts, domain, columns, url, ...rest } = input;
    const changed = Object.fromEntries(Object.entries({ hostUnit, name, personInCharge, contacts, domain, columns, url }).filter(([, v]) => v));
    const changes: RequestPayload = { ...rest, ...(Object.keys(changed).length ? { changes: { ...record.payload.changes, ...changed } } : {}) };
    const payload = { ...record.payload, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined && v !== '')) };
    const facts = { ...(await decisionFacts(ctx, record, payload)), today: chinaDateOf(ctx.deps.clock.now()) };
    return act(ctx, record, { type: 'resubmit', by: whoOf(ctx.actor), changes, facts, ...(note ? { comment: note } : {}) });
  },
});

export const requestCheck = defineCommand({
  id: 'request.check',
  input: z.object({ id: requestId, item: z.string({ error: 'item_required' }).trim().min(1, 'item_required').max(40), evidence: z.string({ error: 'evidence_missing' }).trim().min(1, 'evidence_missing').max(1000) }),
  output: requestActionDto,
  roles: [],
  http: { method: 'post', path: '/requests/:id/check' },
  chat: { words: { 'zh-CN': ['完成事项'], en: ['done'] }, args: ['id', 'item', 'evidence'] },
  /** One item of the opening (art. 9–10) or closure (art. 16) checklist is done, with its evidence. */
  async handler(ctx, input) {
    const record = await loadRequest(ctx, input.id);
    mustManage(ctx, record);
    return act(ctx, record, { type: 'check', by: whoOf(ctx.actor), item: input.item, evidence: input.evidence });
  },
});

export const requestLaunch = defineCommand({
  id: 'request.launch',
  input: z.object({ id: requestId, comment: comment.optional() }),
  output: requestActionDto,
  roles: [],
  http: { method: 'post', path: '/requests/:id/launch' },
  chat: { words: { 'zh-CN': ['上线'], en: ['launch'] }, args: ['id', 'comment'] },
  /** Art. 10: refused until every checklist item is done; then the site is online with its 网站标识码. */
  async handler(ctx, input) {
    const record = await loadRequest(ctx, input.id);
    mustManage(ctx, record);
    return act(ctx, record, { type: 'launch', by: whoOf(ctx.actor), ...(input.comment ? { comment: input.comment } : {}) });
  },
});

export const requestBackOnline = defineCommand({
  id: 'request.back_online',
  input: z.object({ id: requestId, comment: comment.optional() }),
  output: requestActionDto,
  roles: [],
  http: { method: 'post', path: '/requests/:id/back-online' },
  chat: { words: { 'zh-CN': ['恢复上线'], en: ['back online'] }, args: ['id', 'comment'] },
  /** The site is back after a temporary offline or an emergency shutdown. */
  async handler(ctx, input) {
    const record = await loadRequest(ctx, input.id);
    mustManage(ctx, record);
    return act(ctx, record, { type: 'back_online', by: whoOf(ctx.actor), ...(input.comment ? { comment: input.comment } : {}) });
  },
});
