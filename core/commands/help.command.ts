import { z } from 'zod';
import { hasRole } from '../actor';
import { defineCommand, type AnyCommand } from './command';

export const helpEntryDto = z.object({ id: z.string(), word: z.string(), args: z.array(z.string()), http: z.string().nullable() });

/** The help command lists what this actor may run, in the actor's language; built over the registry's list. */
export function helpCommand(all: () => readonly AnyCommand[]) {
  return defineCommand({
    id: 'help',
    input: z.object({}),
    output: z.object({ commands: z.array(helpEntryDto) }),
    roles: [],
    http: { method: 'get', path: '/commands' },
    chat: { words: { 'zh-CN': ['帮助', '菜单'], en: ['help', '?'] } },
    async handler(ctx) {
      const mine = all().filter((c) => c.chat && (c.roles.length === 0 || c.roles.some((r) => hasRole(ctx.actor, r))));
      return {
        commands: mine.map((c) => ({
          id: c.id,
          word: c.chat!.words[ctx.lng]?.[0] ?? c.chat!.words.en?.[0] ?? c.id,
          args: c.chat!.args ?? [],
          http: c.http ? `${c.http.method.toUpperCase()} /api/v1${c.http.path}` : null,
        })),
      };
    },
  });
}
