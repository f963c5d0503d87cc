import { createLogger } from '../../lib/logger';
import { createDeps } from '../../lib/services';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { useTestDatabase } from '../../test/db';
import { createChatEngine } from '../chat-engine';
import { replyText } from '../reply';

useTestDatabase();

/** 2026-12-02 10:00 China time: Q3's check was due on 2026-11-30, Q4's window opens on 2027-01-01. */
const now = new Date('2026-12-02T02:00:00Z');
const deps = createDeps({ now: () => now });
const engine = createChatEngine({ deps, logger: createLogger('silent'), defaultLocale: 'zh-CN' });
const say = async (userid: string, line: string) => replyText(await engine.handle({ userid, text: line, source: 'shell' }));

beforeAll(async () => {
  await seedDemoIfEmpty();
});

describe('#campaign.open: which quarter and why', () => {
  it('opens 2026-Q3 by default on 2026-12-02 and says why: past its due day, and Q4 opens on 2027-01-01', async () => {
    const reply = await say('demo.city', '开启季度检查');
    expect(reply).toContain('已开启 石家庄市人民政府 2026-Q3 季度全面检查');
    expect(reply).toContain('为什么是 2026-Q3：目前没有正在开放的检查窗口');
    expect(reply).toContain('截止日 2026-11-30 已过 2 天');
    expect(reply).toContain('2026-Q4 的检查窗口 2027-01-01 才开放');
    expect(reply).toContain('开启季度检查 2026-Q3');
  });

  it('refuses a quarter whose window has not opened, saying when it opens', async () => {
    expect(await say('demo.city', '开启季度检查 2026-Q4')).toBe('⚠️ 2026-Q4 的检查窗口 2027-01-01 才开放（该季度结束后才能检查），现在还不能开启；截止日为 2027-02-28。');
    expect(await say('demo.supervisor.en', 'open check 2026-q4')).toContain('The 2026-Q4 check window opens on 2027-01-01');
  });

  it('opens a quarter it is given, with or without the unit', async () => {
    const reply = await say('demo.city', '开启季度检查 2026-Q2');
    expect(reply).toContain('已开启 石家庄市人民政府 2026-Q2 季度全面检查');
    expect(reply).toContain('按您指定的季度 2026-Q2 开启');
    expect(await say('demo.city', '开启检查 130100 2026-Q2')).toContain('2026-Q2 季度检查已开启');
  });
});

describe('#language', () => {
  it('switches to English with 语言 en, answering already in English, and back with language zh-CN', async () => {
    expect(await say('demo.siteadmin', '语言 en')).toBe('Done: I will talk to you in English from now on. Languages: zh-CN (Chinese), en (English).');
    expect(await say('demo.siteadmin', 'sites')).toContain('Your sites (2):');
    expect((await deps.users.byUserid('demo.siteadmin'))?.locale).toBe('en');
    expect(await say('demo.siteadmin', 'language zh-CN')).toContain('好的，今后用中文和您对话。');
    expect(await say('demo.siteadmin', 'sites')).toContain('您的网站（共 2 个）');
  });

  it('says which language is in use without an argument, and refuses one it does not know', async () => {
    expect(await say('demo.county', '语言')).toContain('您现在使用的语言是中文');
    expect(await say('demo.county', '语言 klingon')).toContain('不支持语言“klingon”');
  });
});
