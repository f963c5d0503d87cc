import { allCommands } from './registry';
import { loadLocaleResources } from '../../lib/i18n';
import { hasRenderer } from '../../bot/render/index';

const resources = loadLocaleResources();
const has = (lng: string, ns: string, key: string) =>
  key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), resources[lng]?.[ns]) !== undefined;

/** Keys of the commands namespace are command ids that contain dots, so look them up as one key. */
const commandEntry = (lng: string, id: string) => (resources[lng]?.commands as Record<string, Record<string, unknown>> | undefined)?.[id];

describe('#command registry', () => {
  const commands = allCommands();

  it('gives every command its own id', () => {
    const ids = commands.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never lets two commands answer to the same chat word', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const c of commands) {
      for (const word of Object.values(c.chat?.words ?? {}).flat()) {
        const w = word.toLowerCase();
        const prev = owner.get(w);
        if (prev && prev !== c.id) clashes.push(`${w}: ${prev} / ${c.id}`);
        owner.set(w, c.id);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('never mounts two commands on the same REST method and path', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const c of commands) {
      if (!c.http) continue;
      const key = `${c.http.method} ${c.http.path.replace(/:[^/]+/g, ':p')}`;
      if (seen.has(key)) clashes.push(`${key}: ${seen.get(key)} / ${c.id}`);
      seen.set(key, c.id);
    }
    expect(clashes).toEqual([]);
  });

  it('explains every chat command in help, in every locale, with a chat renderer', () => {
    const missing: string[] = [];
    for (const c of commands.filter((x) => x.chat)) {
      for (const lng of ['zh-CN', 'en']) {
        const entry = commandEntry(lng, c.id);
        if (!entry?.summary) missing.push(`${lng} commands:${c.id}.summary`);
        for (const arg of c.chat!.args ?? []) if (!(entry?.args as Record<string, unknown> | undefined)?.[arg]) missing.push(`${lng} commands:${c.id}.args.${arg}`);
        if (!c.chat!.words[lng as 'zh-CN' | 'en']?.length) missing.push(`${lng} chat word for ${c.id}`);
      }
      if (!hasRenderer(c.id)) missing.push(`renderer for ${c.id}`);
    }
    expect(missing).toEqual([]);
    expect(has('zh-CN', 'bot', 'help_title')).toBe(true);
  });
});
