import { z } from 'zod';
import { SUPPORTED_LOCALES } from '../config.schema';
import { DomainError, notFound } from '../errors';
import { ownWord } from '../own-word';
import { canFollow, canSendFrom, followScope, noticeRepoOf, publishNotice } from '../notices/notice.service';
import { NOTICE_KINDS, type Notice, type NoticeKind } from '../notices/notice.types';
import { myNoticeDto, noticeCountsDto, noticeDto, presentMyNotice, presentNotice, presentNoticeCounts, presentSentNotice, sentNoticeDto } from '../presenters/notice.presenter';
import { defineCommand, type Ctx } from './command';

const KIND_WORDS: Record<string, NoticeKind> = { 通知: 'notice', 通报: 'criticism', 批评: 'criticism' };
const YES = new Set(['yes', 'y', 'true', '1', '是', '要', '需要']);
const NO = new Set(['no', 'n', 'false', '0', '否', '不', '不需要']);
const flag = z.union([
  z.boolean(),
  z.string().transform((v, ctx) => {
    const w = v.trim().toLowerCase();
    if (YES.has(w)) return true;
    if (NO.has(w)) return false;
    ctx.addIssue({ code: 'custom', message: 'notice_flag_invalid', params: { value: v } });
    return z.NEVER;
  }),
]);
const noticeId = z.string().trim().min(1, 'notice_id_required').max(40);
const unitList = z.union([z.array(z.string().trim().min(1)), z.string().transform((v) => v.split(/[,，、\s]+/).filter(Boolean))]);

/** Chat writes per-locale bodies as `body.en=…`; the API as `bodies: {en: …}`. */
const collectBodies = (raw: unknown) => {
  if (!raw || typeof raw !== 'object') return raw;
  const input = { ...(raw as Record<string, unknown>) };
  const bodies: Record<string, unknown> = { ...((input.bodies as Record<string, unknown> | undefined) ?? {}) };
  for (const key of Object.keys(input)) {
    const m = /^body[._](.+)$/.exec(key);
    if (!m) continue;
    const lng = SUPPORTED_LOCALES.find((l) => l.toLowerCase() === m[1]!.toLowerCase() || l.split('-')[0] === m[1]!.toLowerCase());
    if (lng) bodies[lng] = input[key];
    delete input[key];
  }
  return Object.keys(bodies).length ? { ...input, bodies } : input;
};

export const noticePublish = defineCommand({
  id: 'notice.publish',
  input: z.preprocess(
    collectBodies,
    z.object({
      title: z.string().trim().min(1, 'notice_title_required').max(200),
      body: z.string().trim().min(1, 'notice_body_required').max(5000),
      bodies: z.partialRecord(z.enum(SUPPORTED_LOCALES), z.string().trim().min(1).max(5000)).default({}),
      kind: z
        .string()
        .trim()
        .transform((v, ctx) => {
          const k = (NOTICE_KINDS as readonly string[]).includes(v.toLowerCase()) ? (v.toLowerCase() as NoticeKind) : ownWord(KIND_WORDS, v);
          if (!k) {
            ctx.addIssue({ code: 'custom', message: 'notice_kind_unknown', params: { value: v } });
            return z.NEVER;
          }
          return k;
        })
        .default('notice'),
      ack: flag.default(false),
      unit: z.string().trim().min(1).max(64).optional(),
      to: z.enum(['admins', 'units', 'groups']).default('admins'),
      units: unitList.optional(),
      groups: flag.default(false),
    }),
  ),
  output: z.object({ notice: noticeDto, recipients: z.number().int(), groups: z.number().int() }),
  roles: ['supervisor'],
  http: { method: 'post', path: '/notices' },
  chat: { words: { 'zh-CN': ['发通知', '发布通知', '发通报'], en: ['notice', 'send notice'] }, args: ['title', 'body'] },
  /**
   * A supervisor's notice (通知) or criticism (通报, art. 37) to its subtree's site admins, to selected units'
   * admins and supervisors, and/or into bound groups; stored for every recipient at once, delivered by the jobs.
   */
  async handler(ctx, input) {
    const code = input.unit ?? ctx.actor.supervisedUnits[0];
    const unit = code ? await ctx.deps.units.get(code) : undefined;
    if (code && !unit) throw notFound('unit', code);
    if (!unit && !ctx.actor.isProvinceAdmin) throw new DomainError('notice_unit_required', {}, 400);
    if (unit && !canSendFrom(ctx.actor, unit)) throw new DomainError('notice_not_your_unit', { unit: unit.name }, 403);
    const people = input.to === 'groups' ? 'none' : input.to;
    const units = input.units ?? [];
    if (people === 'units') {
      if (!units.length) throw new DomainError('notice_units_required', {}, 400);
      const found = await ctx.deps.units.getMany(units);
      const missing = units.filter((u) => !found.some((f) => f.code === u));
      if (missing.length) throw notFound('unit', missing.join(', '));
      const outside = found.filter((u) => !canSendFrom(ctx.actor, u));
      if (outside.length) throw new DomainError('notice_not_your_unit', { unit: outside.map((u) => u.name).join('、') }, 403);
    }
    const now = ctx.deps.clock.now();
    const repo = noticeRepoOf(ctx.deps);
    const notice = await repo.create({
      kind: input.kind,
      title: input.title,
      body: input.body,
      bodies: input.bodies,
      requiresAck: input.ack,
      audience: { people, units: people === 'units' ? units : [], groups: input.to === 'groups' || input.groups },
      unitCode: unit?.code ?? null,
      unitName: unit?.name ?? ctx.t('bot:notices.province'),
      by: { userid: ctx.actor.user.userid, name: ctx.actor.user.name },
      status: 'publishing',
      createdAt: now,
      publishedAt: null,
      recipients: 0,
      groups: 0,
    });
    const out = await publishNotice(ctx.deps, notice, now);
    const published = (await repo.get(notice.id)) ?? notice;
    return { notice: presentNotice(published), recipients: out.recipients, groups: out.groups };
  },
});

/**
 * A notice the actor may see: one sent to them, or one they may follow (`canFollow`). Any other answers
 * exactly as a missing id (ids are sequential, so a different answer would tell which exist).
 */
async function visibleNotice(ctx: Ctx, id: string): Promise<{ notice: Notice; recipient: boolean; follower: boolean }> {
  const repo = noticeRepoOf(ctx.deps);
  const notice = await repo.get(id);
  if (!notice) throw notFound('notice', id);
  const unit = notice.unitCode ? await ctx.deps.units.get(notice.unitCode) : undefined;
  const follower = canFollow(ctx.actor, notice, unit);
  const recipient = await repo.isRecipient(notice.id, ctx.actor.user.userid);
  if (!follower && !recipient) throw notFound('notice', id);
  return { notice, recipient, follower };
}

export const noticeAck = defineCommand({
  id: 'notice.ack',
  input: z.object({ id: noticeId }),
  output: z.object({ notice: noticeDto, already: z.boolean() }),
  roles: [],
  http: { method: 'post', path: '/notices/:id/ack' },
  chat: { words: { 'zh-CN': ['确认通知', '收到通知'], en: ['ack notice'] }, args: ['id'] },
  /** A recipient acknowledges a notice (chat, the card's button, the API); once, however often they click. */
  async handler(ctx, input) {
    const repo = noticeRepoOf(ctx.deps);
    const { notice, recipient } = await visibleNotice(ctx, input.id);
    // A follower (its sender, a supervisor above) sees it but was not sent it: nothing to acknowledge.
    if (!recipient) throw new DomainError('notice_not_recipient', { id: notice.id }, 403);
    const fresh = await repo.ack(notice.id, { userid: ctx.actor.user.userid, name: ctx.actor.user.name }, ctx.deps.clock.now());
    return { notice: presentNotice(notice), already: !fresh };
  },
});

/** How many names the progress answer lists. */
export const NOT_ACKED_SHOWN = 50;

export const noticeStatus = defineCommand({
  id: 'notice.status',
  input: z.object({ id: noticeId }),
  output: z.object({ notice: noticeDto, counts: noticeCountsDto, notAcknowledged: z.array(z.object({ userid: z.string(), name: z.string() })) }),
  roles: ['supervisor'],
  http: { method: 'get', path: '/notices/:id' },
  chat: { words: { 'zh-CN': ['通知进度', '通知状态'], en: ['notice status'] }, args: ['id'] },
  /** The sender follows a broadcast: delivered, pending, failed, acknowledged, and who has not acknowledged. */
  async handler(ctx, input) {
    const repo = noticeRepoOf(ctx.deps);
    const { notice, follower } = await visibleNotice(ctx, input.id);
    // A recipient sees the notice but may not follow who else acknowledged it.
    if (!follower) throw new DomainError('notice_not_yours', { id: notice.id }, 403);
    const [counts, acked, recipients] = await Promise.all([repo.deliveryCounts(notice.id), repo.ackedUserids(notice.id), repo.recipientsOf(notice.id)]);
    const notAcknowledged = notice.requiresAck ? recipients.filter((r) => !acked.has(r.userid)).map((r) => ({ userid: r.userid, name: r.name })) : [];
    const acknowledged = recipients.filter((r) => acked.has(r.userid)).length;
    return { notice: presentNotice(notice), counts: presentNoticeCounts(counts, acknowledged), notAcknowledged };
  },
});

/** How many notices `notice.mine` lists. */
export const MY_NOTICES_LIMIT = 50;

export const noticeMine = defineCommand({
  id: 'notice.mine',
  input: z.object({}),
  output: z.object({ notices: z.array(myNoticeDto) }),
  roles: [],
  // A fixed path: registered before `/notices/:id` (noticeCommands' order), so it is not read as a notice id.
  http: { method: 'get', path: '/notices/mine' },
  chat: { words: { 'zh-CN': ['我收到的通知', '收到的通知'], en: ['my notices', 'notices received'] } },
  /** The notices and criticisms sent to me, newest first: body in my language, whether to acknowledge and whether I did. */
  async handler(ctx) {
    const received = await noticeRepoOf(ctx.deps).receivedBy(ctx.actor.user.userid, MY_NOTICES_LIMIT);
    return { notices: received.map((r) => presentMyNotice(r, ctx.lng)) };
  },
});

/** How many notices `notice.sent` lists. */
export const SENT_NOTICES_LIMIT = 20;

export const noticeSent = defineCommand({
  id: 'notice.sent',
  input: z.object({}),
  output: z.object({ notices: z.array(sentNoticeDto), truncated: z.boolean() }),
  roles: ['supervisor'],
  // A fixed path: registered before `/notices/:id` (noticeCommands' order), so it is not read as a notice id.
  http: { method: 'get', path: '/notices/sent' },
  chat: { words: { 'zh-CN': ['我发的通知', '已发通知'], en: ['sent notices', 'my sent notices'] } },
  /**
   * The notices a supervisor follows, newest first, with acknowledgements so far: the ones it sent and those
   * sent for a unit it supervises (a province admin: all), the same people `notice.status` lets follow one.
   */
  async handler(ctx) {
    const scope = await followScope(ctx.deps, ctx.actor);
    const { notices, truncated } = await noticeRepoOf(ctx.deps).followedBy(scope, SENT_NOTICES_LIMIT);
    return { notices: notices.map(presentSentNotice), truncated };
  },
});

export const noticeCommands = [noticePublish, noticeMine, noticeSent, noticeAck, noticeStatus];
