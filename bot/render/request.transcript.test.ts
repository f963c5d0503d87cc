import { PassThrough } from 'node:stream';
import { createChatEngine } from '../chat-engine';
import { createShellChannel } from '../shell/shell-channel';
import { replyText } from '../reply';
import { createLogger } from '../../lib/logger';
import { createDeps } from '../../lib/services';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { dispatchPendingEffects, runDueTimers } from '../../store/request-effects';
import { TaskModel } from '../../store/task.model';
import { NotificationModel } from '../../store/notification.model';
import { useTestDatabase } from '../../test/db';

useTestDatabase();

/** The test clock: 2027-02-01 10:00 China time, moved on by the story. */
let now = new Date('2027-02-01T02:00:00Z');
const deps = createDeps({ now: () => now });
const engine = createChatEngine({ deps, logger: createLogger('silent'), defaultLocale: 'zh-CN' });

async function say(userid: string, line: string): Promise<string> {
  return replyText(await engine.handle({ userid, text: line, source: 'shell' }));
}

const idIn = (reply: string) => /R\d{4}-\d{4}/.exec(reply)?.[0] ?? '';

beforeAll(async () => {
  await seedDemoIfEmpty();
});

describe('#temp-offline.request transcript', () => {
  let id = '';

  it('lets a county site admin file a 10-day temporary offline', async () => {
    const reply = await say('demo.siteadmin', '临时下线 jyj.zhengding.gov.cn start=2027-03-01 end=2027-03-10 reason=机房搬迁，系统迁移');
    id = idIn(reply);
    expect(id).toBe('R2027-0001');
    expect(reply).toContain('已提交临时下线申请');
    expect(reply).toContain('待 正定县人民政府 处理');
    expect(reply).toContain('2027-03-01 至 2027-03-10');
  });

  it('goes up the chain: county, city, province approve in turn, each seeing it in their inbox', async () => {
    expect(await say('demo.city', '待审批')).not.toContain(id);
    expect(await say('demo.county', '待审批')).toContain(id);
    expect(await say('demo.county', `同意 ${id} 情况属实`)).toContain('待 石家庄市人民政府 处理');
    // A repeated command does not approve twice.
    expect(await say('demo.county', `同意 ${id}`)).toContain('已由 王芳 处理');
    expect(await say('demo.county', '待审批')).not.toContain(id);

    expect(await say('demo.city', '待审批')).toContain(id);
    expect(await say('demo.city', `同意 ${id}`)).toContain('待 河北省人民政府 处理');

    expect(await say('demo.province', '待审批')).toContain(id);
    const approved = await say('demo.province', `同意 ${id} 同意临时下线`);
    expect(approved).toContain('已同意');
    expect(approved).toContain('已批准待下线');
  });

  it('shows the request with its timeline', async () => {
    const shown = await say('demo.siteadmin', `申请 ${id}`);
    expect(shown).toContain('办理记录');
    expect(shown).toContain('情况属实');
    expect(shown).toMatch(/1\. 正定县人民政府（审核）：同意（王芳）/);
    expect(shown).toMatch(/3\. 河北省人民政府（审批）：同意（杨帆）/);
  });

  it('creates the notice tasks and tells the supervisors, once each, however often the dispatcher runs', async () => {
    await dispatchPendingEffects(deps, now);
    await dispatchPendingEffects(deps, now);
    const tasks = await TaskModel.find({ requestId: id }).lean();
    expect(tasks.map((t) => [t.kind, t.siteName]).sort()).toEqual([
      ['post_offline_notice_portal', '正定县人民政府门户网站'],
      ['post_offline_notice_site', '正定县教育局网站'],
    ]);
    const toCounty = await NotificationModel.find({ requestId: id, userid: 'demo.county', message: 'awaiting_decision' }).lean();
    expect(toCounty).toHaveLength(1);
  });

  it('takes the site offline when the window starts', async () => {
    now = new Date('2027-03-01T01:00:00Z');
    await runDueTimers(deps, now);
    expect((await deps.sites.findByRef('jyj.zhengding.gov.cn'))?.status).toBe('temp_offline');
    expect(await say('demo.siteadmin', `申请 ${id}`)).toContain('下线中');
  });

  it('refuses a second temporary offline of the same site in the same year, citing art. 14', async () => {
    const reply = await say('demo.siteadmin', '临时下线 jyj.zhengding.gov.cn start=2027-09-01 end=2027-09-05 reason=改版');
    expect(reply).toContain('每个网站每年最多临时下线一次');
    expect(reply).toContain('《办法》第14条');
    expect(reply).toContain(id);
  });

  it('brings the site back online and still refuses a second one that year', async () => {
    now = new Date('2027-03-08T02:00:00Z');
    expect(await say('demo.siteadmin', `恢复上线 ${id}`)).toContain('已恢复上线');
    await dispatchPendingEffects(deps, now);
    expect((await deps.sites.findByRef('jyj.zhengding.gov.cn'))?.status).toBe('online');
    expect(await say('demo.siteadmin', '临时下线 jyj.zhengding.gov.cn start=2027-10-08 end=2027-10-09 reason=改版')).toContain('《办法》第14条');
  });

  it('refuses a 31-day temporary offline, in English too', async () => {
    const zh = await say('demo.siteadmin', '临时下线 jyj.zhengding.gov.cn start=2028-05-01 end=2028-05-31 reason=改版');
    expect(zh).toContain('不得超过 30 天，本次申请为 31 天（《办法》第14条）');
    const en = await say('demo.siteadmin.en', 'offline swt.hebei.gov.cn start=2027-05-01 end=2027-05-31 reason=redesign');
    expect(en).toContain('at most 30 days; this one lasts 31 days (Measures art. 14)');
  });

  it('does not count an emergency shutdown toward the yearly quota (art. 15)', async () => {
    const filed = await say('demo.siteadmin', '紧急关停 jyj.zhengding.gov.cn reason=force_majeure start=2028-01-10 end=2028-01-12 机房所在楼宇停电');
    const shutdown = idIn(filed);
    expect(filed).toContain('已提交紧急关停报备申请');
    expect(filed).toContain('待 河北省人民政府 处理');
    expect(await say('demo.province', `确认备案 ${shutdown}`)).toContain('已备案');
    now = new Date('2028-01-10T03:00:00Z');
    await runDueTimers(deps, now);
    expect((await deps.sites.findByRef('jyj.zhengding.gov.cn'))?.status).toBe('temp_offline');
    expect(await say('demo.siteadmin', `恢复上线 ${shutdown}`)).toContain('已恢复');
    await dispatchPendingEffects(deps, now);
    expect((await deps.sites.findByRef('jyj.zhengding.gov.cn'))?.status).toBe('online');

    const after = await say('demo.siteadmin', '临时下线 jyj.zhengding.gov.cn start=2028-03-01 end=2028-03-10 reason=等保整改');
    expect(after).toContain('已提交临时下线申请');
    expect(after).toContain('R2028-');
  });

  it('lists my requests', async () => {
    const mine = await say('demo.siteadmin', '我的申请');
    expect(mine).toContain(id);
    expect(mine).toContain('已恢复上线');
  });

  it('works through the shell channel itself', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let written = '';
    output.on('data', (d) => (written += String(d)));
    const shell = createShellChannel({ engine, as: 'demo.county', input, output, interactive: false });
    await shell.start();
    input.end('待审批\n');
    await shell.done;
    expect(written).toContain('待您审批（1 件）');
    expect(written).toMatch(/R2028-\d{4} 临时下线/);
  });
});
