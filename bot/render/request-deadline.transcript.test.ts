import { createChatEngine } from '../chat-engine';
import { replyText } from '../reply';
import { createLogger } from '../../lib/logger';
import { createDeps } from '../../lib/services';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { RequestModel } from '../../store/request.model';
import { useTestDatabase } from '../../test/db';

useTestDatabase();

const china = (local: string) => new Date(`${local}:00+08:00`);
/** The test clock, moved on by the story: it starts on Tuesday 2026-09-29, just before National Day. */
let now = china('2026-09-29T10:00');
const deps = createDeps({ now: () => now });
const engine = createChatEngine({ deps, logger: createLogger('silent'), defaultLocale: 'zh-CN' });

async function say(userid: string, line: string): Promise<string> {
  return replyText(await engine.handle({ userid, text: line, source: 'shell' }));
}

const idIn = (reply: string) => /R\d{4}-\d{4}/.exec(reply)?.[0] ?? '';
const lineOf = (reply: string, id: string) => reply.split('\n').find((l) => l.includes(id)) ?? '';

beforeAll(async () => {
  await seedDemoIfEmpty();
});

describe('#request review deadlines transcript', () => {
  let id = '';

  it('gives the county 5 working days from filing, over National Day and the make-up Saturday', async () => {
    const reply = await say('demo.siteadmin', '临时下线 jyj.zhengding.gov.cn start=2026-11-02 end=2026-11-06 reason=机房搬迁，系统迁移');
    id = idIn(reply);
    expect(reply).toContain('已提交临时下线申请');
    // 09-30, (10-01..10-07 off), 10-08, 10-09, Saturday 10-10 worked, (Sunday), Monday 10-12.
    expect(reply).toContain('待 正定县人民政府 处理，截止 2026-10-12');
    expect(reply).not.toContain('暂定');
    const inbox = await say('demo.county', '待审批');
    expect(lineOf(inbox, id)).toContain('截止 2026-10-12');
    expect(inbox).not.toContain('暂定');
    expect(await say('demo.siteadmin', `申请 ${id}`)).toContain('状态：审核中，待 正定县人民政府 处理，截止 2026-10-12');
  });

  it('shows the step overdue once the due day has ended, and the next level gets its own time from the approval', async () => {
    now = china('2026-10-13T09:00');
    expect(lineOf(await say('demo.county', '待审批'), id)).toContain('已超期（截止 2026-10-12）');
    expect(await say('demo.county', `同意 ${id} 情况属实`)).toContain('待 石家庄市人民政府 处理，截止 2026-10-20');
    expect(lineOf(await say('demo.city', '待审批'), id)).toContain('截止 2026-10-20');
  });

  it('brings the deadline forward to the working day before the offline start when that is earlier', async () => {
    now = china('2026-10-28T15:00');
    // 5 working days would be 11-04; the window starts Monday 11-02, so the province must decide by Friday 10-30.
    expect(await say('demo.city', `同意 ${id}`)).toContain('待 河北省人民政府 处理，截止 2026-10-30');
    const doc = await RequestModel.findById(id).lean();
    expect(doc?.steps[2]?.deadline).toMatchObject({ dueDate: '2026-10-30', provisional: false, basis: 'offline_start', workingDays: 5 });
  });

  it('keeps the deadline when the step is handed to a colleague (转办)', async () => {
    now = china('2026-10-29T09:00');
    expect(await say('demo.province', `转办申请 ${id} demo.province.deputy 请阅处`)).not.toMatch(/无权|不是/);
    const deputy = await say('demo.province.deputy', '待审批');
    expect(lineOf(deputy, id)).toContain('截止 2026-10-30');
  });

  it('shows no deadline once nothing is pending', async () => {
    now = china('2026-10-30T10:00');
    const approved = await say('demo.province.deputy', `同意 ${id}`);
    expect(approved).toContain('已批准待下线');
    expect(approved).not.toContain('截止');
  });

  it('marks a deadline in a year whose holiday schedule is not loaded as provisional, in English too', async () => {
    now = china('2026-12-28T10:00');
    const filed = await say('demo.siteadmin.en', 'offline swt.hebei.gov.cn start=2027-02-01 end=2027-02-05 reason=relocation');
    const next = idIn(filed);
    // 12-29, 12-30, 12-31, (2027-01-01 fixed holiday, weekend), 01-04, 01-05: 2027 is a guess.
    expect(filed).toContain('due 2027-01-05 (provisional)');
    const inbox = await say('demo.province', '待审批');
    expect(lineOf(inbox, next)).toContain('截止 2027-01-05（暂定）');
    expect(inbox).toContain('尚未载入官方放假安排');
    const shown = await say('demo.siteadmin.en', `request ${next}`);
    expect(shown).toContain('due 2027-01-05 (provisional)');
    expect(shown).toContain('holiday schedule is not loaded');
  });
});
