import { createLogger } from '../lib/logger';
import { createDeps } from '../lib/services';
import { seedDemoIfEmpty } from '../store/demo/seed-demo';
import { useTestDatabase } from '../test/db';
import { createChatEngine, type ChatEngine } from './chat-engine';
import { replyText } from './reply';

useTestDatabase();

let engine: ChatEngine;
beforeAll(async () => {
  await seedDemoIfEmpty();
  engine = createChatEngine({ deps: createDeps(), logger: createLogger('silent'), defaultLocale: 'zh-CN' });
});

const say = async (userid: string, line: string) => replyText(await engine.handle({ userid, text: line, source: 'shell' }));

describe('#did-you-mean', () => {
  it('answers 开始检查 with the command the supervisor may have meant: 开启季度检查', async () => {
    const reply = await say('demo.city', '开始检查');
    expect(reply).toContain('无法识别的命令“开始检查”');
    expect(reply).toContain('您是不是想用：“开启季度检查 [单位代码]”');
  });

  it('suggests only commands the person may run: a site admin is not pointed to a supervisor command', async () => {
    expect(await say('demo.siteadmin', '开始检查')).not.toContain('开启季度检查');
  });

  it('suggests in the person’s language', async () => {
    expect(await say('demo.supervisor.en', 'hlep')).toContain('Did you mean "help"?');
    expect(await say('demo.supervisor.en', '开始检查')).toContain('"open check [unit code]"');
  });

  it('keeps the plain answer for words close to nothing', async () => {
    expect(await say('demo.siteadmin', '你好')).toBe('无法识别的命令“你好”。发送“帮助”查看可用命令。');
  });

  it('does not run 通知 with title=: it says the word takes no title and points to 发通知', async () => {
    const reply = await say('demo.city', '通知 title=x body=y');
    expect(reply).toContain('“通知”不需要 title, body');
    expect(reply).toContain('“发通知 <标题> <正文>”');
    expect(reply).not.toContain('您的通知');
  });

  it('still runs a known word with the fields it takes', async () => {
    expect(await say('demo.city', '通知')).not.toContain('不需要');
  });
});
