import { z } from 'zod';
import { DomainError, notFound } from '../errors';
import type { Deps } from '../ports';
import type { WecomGroupPort } from './wecom.ports';
import type { Unit } from '../registry/types';
import type { Actor } from '../actor';
import { canBindRoomTo } from './binding.command';
import { defineCommand, type Ctx, type AnyCommand } from './command';

/** appchat/create's limits. */
export const WECOM_GROUP_MIN_MEMBERS = 2;
export const WECOM_GROUP_MAX_MEMBERS = 2000;
export const WECOM_GROUP_NAME_MAX = 50;

export type { WecomGroupPort } from './wecom.ports';

/** The unit named, or the actor's own (first supervised) unit; only its supervisors (or above) may act for it. */
async function unitFor(ctx: Ctx, code: string | undefined): Promise<Unit> {
  const { actor, deps } = ctx;
  const ref = code ?? actor.supervisedUnits[0];
  if (!ref) throw new DomainError('wecom_unit_required', {}, 422);
  const unit = await deps.units.get(ref);
  if (!unit) throw notFound('unit', ref);
  if (!canBindRoomTo(actor, unit)) throw new DomainError('wecom_group_forbidden', { unit: unit.name }, 403);
  return unit;
}

/** The group's members: the subtree's site admins and supervisors who exist as users, and the creator (its owner). */
export async function unitGroupMembers(deps: Deps, port: WecomGroupPort, unit: Unit, actor: Actor): Promise<string[]> {
  const [units, sites] = await Promise.all([deps.units.subtree(unit.code), deps.sites.find({ scopeUnits: [unit.code] })]);
  const userids = await port.usersWithRoles({ siteIds: sites.map((s) => s.id), unitCodes: units.map((u) => u.code) });
  return [actor.user.userid, ...userids.filter((u) => u !== actor.user.userid)];
}

const unitRef = z.object({ code: z.string(), name: z.string() });

export const wecomGroupCreate = defineCommand({
  id: 'wecom.group.create',
  input: z.object({ unit: z.string().trim().min(1).max(64).optional() }),
  output: z.object({ unit: unitRef, chatid: z.string(), created: z.boolean(), members: z.number().int() }),
  roles: ['supervisor'],
  chat: { words: { 'zh-CN': ['建群', '创建群聊'], en: ['create group'] }, args: ['unit'] },
  /** Creates the unit's WeCom group (appchat) with its site admins and supervisors; once per unit. */
  async handler(ctx, input) {
    const { actor, deps } = ctx;
    const port = deps.wecomGroups;
    const unit = await unitFor(ctx, input.unit);
    const existing = await port.groupOf(unit.code);
    if (existing) return { unit: { code: unit.code, name: unit.name }, chatid: existing.chatid, created: false, members: existing.members.length };
    const userlist = await unitGroupMembers(deps, port, unit, actor);
    if (userlist.length < WECOM_GROUP_MIN_MEMBERS) throw new DomainError('wecom_group_too_few_members', { unit: unit.name, min: WECOM_GROUP_MIN_MEMBERS }, 422);
    if (userlist.length > WECOM_GROUP_MAX_MEMBERS) throw new DomainError('wecom_group_too_many_members', { unit: unit.name, count: userlist.length, max: WECOM_GROUP_MAX_MEMBERS }, 422);
    const name = [...ctx.t('bot:wecom_group_name', { unit: unit.name })].slice(0, WECOM_GROUP_NAME_MAX).join('');
    const out = await port.createGroup({ unitCode: unit.code, name, owner: actor.user.userid, userlist, by: actor.user.userid, at: deps.clock.now() });
    return { unit: { code: unit.code, name: unit.name }, chatid: out.chatid, created: out.created, members: out.members.length };
  },
});

export const wecomRobotRegister = defineCommand({
  id: 'wecom.robot.register',
  input: z.object({ url: z.string().trim().min(1, 'wecom_robot_url_invalid').max(512), unit: z.string().trim().min(1).max(64).optional() }),
  output: z.object({ unit: unitRef, replaced: z.boolean() }),
  roles: ['supervisor'],
  chat: { words: { 'zh-CN': ['群机器人'], en: ['group robot'] }, args: ['url', 'unit'] },
  /** Registers the webhook of a group robot as the unit's second way to post into an existing group. */
  async handler(ctx, input) {
    const unit = await unitFor(ctx, input.unit);
    const out = await ctx.deps.wecomGroups.registerRobot({ unitCode: unit.code, url: input.url, by: ctx.actor.user.userid, at: ctx.deps.clock.now() });
    return { unit: { code: unit.code, name: unit.name }, replaced: out.replaced };
  },
});

export const wecomCommands: AnyCommand[] = [wecomGroupCreate, wecomRobotRegister];
