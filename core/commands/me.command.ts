import { z } from 'zod';
import { defineCommand } from './command';
import { meDto, presentMe } from '../presenters/user.presenter';

export const meShow = defineCommand({
  id: 'me.show',
  input: z.object({}),
  output: z.object({ me: meDto }),
  roles: [],
  http: { method: 'get', path: '/me' },
  chat: { words: { 'zh-CN': ['我是谁', '我的角色'], en: ['whoami', 'me'] } },
  /** Who the bot thinks you are and what you may act on: the first thing to check when a command says no. */
  async handler(ctx) {
    const { actor, deps } = ctx;
    const sites = await deps.sites.find({ ids: [...actor.adminSiteIds] });
    const units = await deps.units.getMany([...actor.supervisedUnits]);
    return {
      me: presentMe(
        actor,
        new Map(sites.map((s) => [s.id, s.name])),
        new Map(units.map((u) => [u.code, u.name])),
      ),
    };
  },
});
