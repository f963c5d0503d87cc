import { allCommands } from '../core/commands/registry';
import { createLogger } from '../lib/logger';
import { translatorFor } from '../lib/i18n';
import { demoSites } from '../store/demo/hebei-demo';
import { seedDemoIfEmpty } from '../store/demo/seed-demo';
import { createDeps } from '../lib/services';
import { useTestDatabase } from '../test/db';
import { createChatEngine, type ChatEngine } from './chat-engine';
import { hasRenderer } from './render/index';
import { replyText } from './reply';

useTestDatabase();

let engine: ChatEngine;
beforeAll(async () => {
  const seeded = await seedDemoIfEmpty();
  expect(seeded.seeded).toBe(true);
  engine = createChatEngine({ deps: createDeps(), logger: createLogger('silent'), defaultLocale: 'zh-CN' });
});

/** One turn of a chat: what the person types, what the bot answers (as plain text). */
const say = async (userid: string, text: string) => replyText(await engine.handle({ userid, text, source: 'shell' }));
const lines = (s: string) => s.split('\n');

describe('#chat', () => {
  describe('a stranger', () => {
    it('gets the polite refusal and nothing else, whatever they type', async () => {
      const refusal = translatorFor('zh-CN')('errors:unknown_user', { userid: 'stranger' });
      expect(refusal).toContain('stranger');
      expect(await say('stranger', 'sites')).toBe(refusal);
      expect(await say('stranger', '网站 jyj.zhengding.gov.cn')).toBe(refusal);
      expect(await say('stranger', 'help')).toBe(refusal);
    });
  });

  describe('demo.siteadmin (site admin of a county department site and the county portal)', () => {
    it('lists exactly their two sites for "sites" and for 我的网站', async () => {
      const expected = ['您的网站（共 2 个）：', '· 正定县人民政府门户网站（www.zhengding.gov.cn）门户网站 · 运行中', '· 正定县教育局网站（jyj.zhengding.gov.cn）部门网站 · 运行中'];
      expect(lines(await say('demo.siteadmin', 'sites')).sort()).toEqual([...expected].sort());
      expect(lines(await say('demo.siteadmin', '我的网站')).sort()).toEqual([...expected].sort());
    });

    it('may look at their own site but not at a site of another city, which reads as one that does not exist', async () => {
      expect(await say('demo.siteadmin', '网站 1301230002')).toContain('网站标识码：1301230002');
      expect(await say('demo.siteadmin', '网站 slj.bd.gov.cn')).toBe('⚠️ 未找到该网站，或您无权查看。');
      expect(await say('demo.siteadmin', '网站 nosuch.bd.gov.cn')).toBe('⚠️ 未找到该网站，或您无权查看。');
    });

    it('lists the commands in Chinese for help', async () => {
      const help = await say('demo.siteadmin', 'help');
      expect(lines(help)[0]).toBe('可用命令：');
      expect(help).toContain('· 我的网站 —— 列出我管理或主管的网站');
      expect(help).toContain('· 网站 <域名或网站标识码> —— 查看一个网站的登记信息');
      expect(help).not.toMatch(/list the sites|commands:/i);
    });

    it('says which words it does not understand', async () => {
      expect(await say('demo.siteadmin', '你好')).toBe('无法识别的命令“你好”。发送“帮助”查看可用命令。');
    });
  });

  describe('demo.county (supervisor of 正定县)', () => {
    it('may look at the county department site: 网站 jyj.zhengding.gov.cn', async () => {
      const answer = await say('demo.county', '网站 jyj.zhengding.gov.cn');
      expect(lines(answer)).toEqual([
        '正定县教育局网站',
        '网站标识码：1301230002',
        '类型：县级部门网站',
        '域名：jyj.zhengding.gov.cn',
        '状态：运行中',
        '主办单位：正定县教育局',
        '主管单位：正定县人民政府',
        '承办单位：正定县人民政府',
        '语言版本：中文',
      ]);
    });

    it("lists the county's sites and none of another county's", async () => {
      const answer = await say('demo.county', 'sites');
      expect(answer).toContain('jyj.zhengding.gov.cn');
      expect(answer).toContain('www.zhengding.gov.cn');
      expect(answer).not.toContain('pingshan');
      expect(answer).not.toContain('sjz.gov.cn');
    });
  });

  describe('demo.siteadmin.en (an English-speaking site admin)', () => {
    it('is refused the county department site, in English, as if it did not exist, without its name', async () => {
      const answer = await say('demo.siteadmin.en', '网站 jyj.zhengding.gov.cn');
      expect(answer).toBe('⚠️ ' + translatorFor('en')('errors:not_found', { what: 'site' }));
      expect(answer).toBe('⚠️ No such site, or you may not see it.');
      expect(answer).not.toContain('正定县教育局网站');
    });

    it('gets the list and the help in English, also when typing Chinese commands', async () => {
      expect(lines(await say('demo.siteadmin.en', '我的网站'))).toEqual(['Your sites (1):', '· 河北省商务厅网站 (swt.hebei.gov.cn) department site · online']);
      const help = await say('demo.siteadmin.en', '帮助');
      expect(lines(help)[0]).toBe('Commands:');
      expect(help).toContain('· sites — list the sites you administer or supervise');
      expect(help).toContain('· site <domain or site code> — show one site');
      expect(help).not.toMatch(/[查列看]/);
    });

    it('is told in English when a site does not exist', async () => {
      expect(await say('demo.siteadmin.en', 'site nope.hebei.gov.cn')).toBe('⚠️ No such site, or you may not see it.');
    });
  });

  describe('demo.province', () => {
    it('sees every site of the province', async () => {
      const answer = await say('demo.province', 'sites');
      expect(lines(answer)[0]).toBe(`您的网站（共 ${demoSites.length} 个）：`);
      expect(lines(answer)).toHaveLength(demoSites.length + 1);
    });
  });

  it('has a chat renderer for every chat command', () => {
    const missing = allCommands()
      .filter((c) => c.chat)
      .map((c) => c.id)
      .filter((id) => !hasRenderer(id));
    expect(missing).toEqual([]);
  });
});
