import { z } from 'zod';
import { defineCommand, type AnyCommand } from '../core/commands/command';
import { allCommands } from '../core/commands/registry';
import { parseLine } from './parser';

const spec = (id: string, words: Partial<Record<'zh-CN' | 'en', string[]>>, args?: string[]): AnyCommand =>
  defineCommand({ id, input: z.object({}), output: z.object({}), roles: [], chat: { words, ...(args ? { args } : {}) }, handler: async () => ({}) });

const commands: AnyCommand[] = [
  spec('help', { 'zh-CN': ['帮助', '菜单'], en: ['help', '?'] }),
  spec('site.mine', { 'zh-CN': ['我的网站', '网站列表'], en: ['sites', 'my sites'] }),
  spec('site.show', { 'zh-CN': ['网站'], en: ['site'] }, ['ref']),
  spec('complaint.transfer', { 'zh-CN': ['转办投诉', '转办'], en: ['transfer'] }, ['ref', 'note']),
  spec('no.chat', {}),
];

const parse = (line: string) => {
  const parsed = parseLine(line, commands);
  return parsed && { id: parsed.command.id, input: parsed.input };
};

describe('#chat parser', () => {
  it('understands Chinese and English words for the same command', () => {
    expect(parse('帮助')).toEqual({ id: 'help', input: {} });
    expect(parse('菜单')).toEqual({ id: 'help', input: {} });
    expect(parse('help')).toEqual({ id: 'help', input: {} });
    expect(parse('?')).toEqual({ id: 'help', input: {} });
    expect(parse('我的网站')).toEqual({ id: 'site.mine', input: {} });
    expect(parse('sites')).toEqual({ id: 'site.mine', input: {} });
  });

  it('ignores case and surrounding blanks', () => {
    expect(parse('  HELP  ')).toEqual({ id: 'help', input: {} });
    expect(parse('My Sites')).toEqual({ id: 'site.mine', input: {} });
  });

  it('lets the longest word win (网站列表 over 网站, my sites over nothing shorter)', () => {
    expect(parse('网站列表')).toEqual({ id: 'site.mine', input: {} });
    expect(parse('转办投诉 C-1')).toEqual({ id: 'complaint.transfer', input: { ref: 'C-1' } });
    expect(parse('转办 C-1')).toEqual({ id: 'complaint.transfer', input: { ref: 'C-1' } });
  });

  it('needs a word boundary after an English word (sites is not "site s")', () => {
    expect(parse('sites')?.id).toBe('site.mine');
    expect(parse('site slj.bd.gov.cn')).toEqual({ id: 'site.show', input: { ref: 'slj.bd.gov.cn' } });
    expect(parse('sitemap')).toBeUndefined();
    expect(parse('helpful')).toBeUndefined();
  });

  it('needs no space after a Chinese word', () => {
    expect(parse('网站slj.bd.gov.cn')).toEqual({ id: 'site.show', input: { ref: 'slj.bd.gov.cn' } });
    expect(parse('网站：1306000002')).toEqual({ id: 'site.show', input: { ref: '1306000002' } });
    expect(parse('site: 1306000002')).toEqual({ id: 'site.show', input: { ref: '1306000002' } });
  });

  it('fills positional args in order, the last one taking the rest of the line', () => {
    expect(parse('transfer C-1 请尽快 答复 网友')).toEqual({ id: 'complaint.transfer', input: { ref: 'C-1', note: '请尽快 答复 网友' } });
    expect(parse('transfer')).toEqual({ id: 'complaint.transfer', input: {} });
  });

  it('reads key=value pairs, quoted values included, before positional words', () => {
    expect(parse('transfer ref=C-2 note="two words"')).toEqual({ id: 'complaint.transfer', input: { ref: 'C-2', note: 'two words' } });
    expect(parse('transfer note=hi C-3')).toEqual({ id: 'complaint.transfer', input: { ref: 'C-3', note: 'hi' } });
  });

  it('gives the positional words to the args not named by key=value', () => {
    expect(parse('transfer ref=C-2 please handle it')).toEqual({ id: 'complaint.transfer', input: { ref: 'C-2', note: 'please handle it' } });
  });

  it('accepts a full-width space and a leading slash', () => {
    expect(parse('网站\u3000slj.bd.gov.cn')).toEqual({ id: 'site.show', input: { ref: 'slj.bd.gov.cn' } });
    expect(parse('/help')).toEqual({ id: 'help', input: {} });
    expect(parse('／帮助')).toEqual({ id: 'help', input: {} });
    expect(parse('\u3000/sites\u3000')).toEqual({ id: 'site.mine', input: {} });
  });

  it('answers undefined for an unknown or empty line', () => {
    expect(parse('你好')).toBeUndefined();
    expect(parse('hello there')).toBeUndefined();
    expect(parse('')).toBeUndefined();
    expect(parse('   ')).toBeUndefined();
    expect(parse('/')).toBeUndefined();
  });

  it('parses the registry commands the same way', () => {
    const all = allCommands();
    expect(parseLine('sites', all)?.command.id).toBe('site.mine');
    expect(parseLine('网站列表', all)?.command.id).toBe('site.mine');
    expect(parseLine('网站 jyj.zhengding.gov.cn', all)).toMatchObject({ command: { id: 'site.show' }, input: { ref: 'jyj.zhengding.gov.cn' } });
    expect(parseLine('help', all)?.command.id).toBe('help');
  });

  it('has no chat word shared by two registry commands', () => {
    const owners = new Map<string, string[]>();
    for (const c of allCommands()) for (const w of Object.values(c.chat?.words ?? {}).flat()) owners.set(w.toLowerCase(), [...(owners.get(w.toLowerCase()) ?? []), c.id]);
    expect([...owners].filter(([, ids]) => ids.length > 1)).toEqual([]);
  });
});
