import { intakeComplaints } from '../../core/complaints/complaint.intake';
import { commandById } from '../../core/commands/registry';
import { runCommand } from '../../core/commands/run';
import { allCommands } from '../../core/commands/registry';
import { buildCtx } from '../../lib/command-context';
import { createLogger } from '../../lib/logger';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { createDeps } from '../../lib/services';
import { useTestDatabase } from '../../test/db';
import { createChatEngine } from '../chat-engine';
import { replyText } from '../reply';
import { hasRenderer } from './index';

useTestDatabase();

const china = (local: string) => new Date(`${local}:00+08:00`);
const clock = { at: china('2026-10-08T09:30'), now() { return this.at; } };
const deps = createDeps(clock);
const engine = createChatEngine({ deps, logger: createLogger('silent'), defaultLocale: 'zh-CN' });
const say = async (userid: string, text: string) => replyText(await engine.handle({ userid, text, source: 'shell' }));

beforeAll(async () => {
  await seedDemoIfEmpty();
  await intakeComplaints(deps, [{ row: 1, data: { platformId: 'ZC2026093001', site: 'jyj.zhengding.gov.cn', errorType: '错别字', description: '招生通知把“报名”写成“报明”', receivedAt: '2026-09-30 17:00' } }], { now: china('2026-09-30T17:05') });
});

describe('#complaint chat transcript', () => {
  it('has a chat renderer for every complaint command with chat words', () => {
    for (const c of allCommands().filter((c) => c.id.startsWith('complaint.') && c.chat)) expect(hasRenderer(c.id)).toBe(true);
  });

  it('supervisor transfers, the site admin answers from chat, and the statistics show it answered on time', async () => {
    expect(await say('demo.county', '今日到期')).toContain('ZC2026093001');

    const transferred = await say('demo.county', '转办投诉 ZC2026093001 请尽快更正');
    expect(transferred).toContain('已转办待答复');
    expect(transferred).toContain('2026-10-12');

    expect(await say('demo.siteadmin', '答复 ZC2026093001')).toContain('请填写答复内容');

    clock.at = china('2026-10-10T11:00'); // the make-up working Saturday
    const answered = await say('demo.siteadmin', '答复 ZC2026093001 已更正为“报名”，感谢您的指正。');
    expect(answered).toContain('已答复');

    const shown = await say('demo.siteadmin', '投诉 ZC2026093001');
    expect(shown).toContain('按时');
    expect(shown).toMatch(/转办：请尽快更正[\s\S]*答复：已更正/);

    expect(await say('demo.county', '公开投诉 ZC2026093001')).toContain('已公开');

    const stats = await say('demo.county', '投诉统计 jyj.zhengding.gov.cn');
    expect(stats).toContain('转办 1（按时 1）');
    expect(stats).toContain('答复 1（按时 1）');
    expect(stats).toContain('当前逾期 0');

    const county = await deps.users.byUserid('demo.county');
    const out = (await runCommand(commandById('complaint.stats')!, { site: 'jyj.zhengding.gov.cn' }, buildCtx(county!, 'api', deps))) as { totals: Record<string, unknown> };
    expect(out.totals).toMatchObject({ received: 1, transferredOnTime: 1, answeredOnTime: 1, published: 1, overdueNow: 0 });
    // 09-30 17:00 → 10-10 11:00: 7 h of 09-30, 10-08 and 10-09 whole, 11 h of the make-up Saturday.
    expect(out.totals.meanHandlingDays).toBeCloseTo(7 / 24 + 2 + 11 / 24, 2);

    expect(await say('demo.siteadmin', '投诉公开列表')).toContain('已更正为“报名”');
  });

  it('answers in English for an English speaker and refuses a site admin of another site', async () => {
    // Another site's report reads exactly as one that does not exist.
    expect(await say('demo.siteadmin.en', 'complaint ZC2026093001')).toBe('⚠️ No such error report, or you may not see it.');
    expect(await say('demo.siteadmin.en', 'complaint ZC2099999999')).toBe('⚠️ No such error report, or you may not see it.');
    expect(await say('demo.siteadmin.en', 'overdue')).toContain('Nothing overdue');
  });
});

describe('#complaint locales', () => {
  it('has every complaint key in every locale', async () => {
    const { loadLocaleResources } = await import('../../lib/i18n');
    const res = loadLocaleResources();
    const keys = (o: unknown, prefix = ''): string[] =>
      o && typeof o === 'object' ? Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`])) : [];
    for (const ns of ['errors', 'commands', 'bot']) {
      const pick = (lng: string) => keys(res[lng]![ns]).filter((k) => k.startsWith('complaint')).sort();
      expect(pick('en')).toEqual(pick('zh-CN'));
      expect(pick('en').length).toBeGreaterThan(0);
    }
  });
});
