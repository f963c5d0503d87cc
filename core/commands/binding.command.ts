import { z } from 'zod';
import type { Actor } from '../actor';
import { DomainError, notFound } from '../errors';
import type { Unit } from '../registry/types';
import { supervisesUnit } from '../policies/unit.policy';
import { defineCommand, type AnyCommand } from './command';

export type { WechatyBindingPort } from './binding.ports';

/** Supervisors of the unit or of a unit above it, and province admins, may speak for the unit's room. */
export function canBindRoomTo(actor: Actor, unit: Pick<Unit, 'code' | 'ancestors'>): boolean {
  return supervisesUnit(actor, unit);
}

export const bindingCodeIssue = defineCommand({
  id: 'binding.code',
  input: z.object({}),
  output: z.object({ code: z.string(), expiresAt: z.string(), minutes: z.number().int() }),
  roles: [],
  chat: { words: { 'zh-CN': ['绑定码'], en: ['binding code'] } },
  /** A one-time code the user sends to the Wechaty bot (`绑定 <code>`) to tie their WeChat account to them. */
  async handler(ctx) {
    const now = ctx.deps.clock.now();
    const { code, expiresAt } = await ctx.deps.wechatyBindings.issueCode(ctx.actor.user.userid, now);
    return { code, expiresAt: expiresAt.toISOString(), minutes: Math.round((expiresAt.getTime() - now.getTime()) / 60_000) };
  },
});

const unitRef = z.object({ code: z.string(), name: z.string() });

/**
 * Binds the Wechaty room the command was typed in to a unit. Only the Wechaty channel runs it (it knows the
 * room), so it has no chat words: a room id typed by a person is never trusted.
 */
export const bindingRoom = defineCommand({
  id: 'binding.room',
  input: z.object({
    unit: z.string().trim().min(1, 'wechaty_unit_required').max(64),
    room: z.string().min(1),
    topic: z.string().max(200).optional(),
  }),
  output: z.object({ unit: unitRef, previous: unitRef.nullable(), changed: z.boolean() }),
  roles: [],
  async handler(ctx, input) {
    const { actor, deps } = ctx;
    const port = deps.wechatyBindings;
    const unit = await deps.units.get(input.unit);
    if (!unit) throw notFound('unit', input.unit);
    if (!canBindRoomTo(actor, unit)) throw new DomainError('wechaty_room_bind_forbidden', { unit: unit.name }, 403);
    const current = await port.roomBinding(input.room);
    const previous = current ? ((await deps.units.get(current.unitCode)) ?? { code: current.unitCode, name: current.unitCode, ancestors: [] }) : undefined;
    // Moving a room away from another unit takes the right to speak for that unit too.
    if (previous && previous.code !== unit.code && !canBindRoomTo(actor, previous)) {
      throw new DomainError('wechaty_room_bind_forbidden', { unit: previous.name }, 403);
    }
    const changed = previous?.code !== unit.code;
    if (changed) await port.bindRoom({ roomId: input.room, unitCode: unit.code, topic: input.topic, boundBy: actor.user.userid, at: deps.clock.now() });
    return { unit: { code: unit.code, name: unit.name }, previous: previous ? { code: previous.code, name: previous.name } : null, changed };
  },
});

export const bindingCommands: AnyCommand[] = [bindingCodeIssue, bindingRoom];
