import { z } from 'zod';
import { SUPPORTED_LOCALES } from '../config.schema';
import { defineCommand } from './command';

/** How long a binding code given in chat stays usable. */
export const MP_BINDING_CODE_TTL_MS = 10 * 60 * 1000;

export type { MpBindingCodes } from './mp.ports';

export const mpBindingCodeDto = z.object({ code: z.string(), expiresAt: z.string(), minutes: z.number().int() });
export type MpBindingCodeDTO = z.infer<typeof mpBindingCodeDto>;

/**
 * `小程序绑定码` / `mp code`: a one-time code (10 minutes) the user types in the mini-program opened in WeChat,
 * which binds that WeChat account (openid) to them. Only in chat: the chat channel already knows who they are.
 */
export const mpBindingCode = defineCommand({
  id: 'mp.code',
  input: z.object({}),
  output: z.object({ binding: mpBindingCodeDto }),
  roles: [],
  chat: { words: { 'zh-CN': ['小程序绑定码', '绑定小程序'], en: ['mp code'] } },
  async handler(ctx) {
    const { code, expiresAt } = await ctx.deps.mpBindingCodes.issue(ctx.actor.user.userid, ctx.deps.clock.now());
    return { binding: { code, expiresAt: expiresAt.toISOString(), minutes: MP_BINDING_CODE_TTL_MS / 60_000 } };
  },
});

/** The mini-program's session: a short-lived bearer token and the refresh token that renews it (rotated). */
export const mpSessionDto = z.object({ accessToken: z.string(), refreshToken: z.string(), expiresIn: z.number().int(), refreshExpiresIn: z.number().int() });
export type MpSessionDTO = z.infer<typeof mpSessionDto>;

export const mpUserDto = z.object({ userid: z.string(), name: z.string(), locale: z.enum(SUPPORTED_LOCALES) });

/**
 * `POST /api/v1/mp/login` answers either a session, or (WeChat identity not bound yet) a bind ticket that
 * `POST /api/v1/mp/bind` accepts with a binding code. Never WeChat's session_key.
 */
export const mpLoginDto = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), session: mpSessionDto, user: mpUserDto }),
  z.object({ status: z.literal('bind_required'), bindToken: z.string(), expiresIn: z.number().int(), message: z.string() }),
]);
export type MpLoginDTO = z.infer<typeof mpLoginDto>;
