import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { commandById } from '../core/commands/registry';
import { runCommand } from '../core/commands/run';
import { sweepDue, buildDigests } from '../core/complaints/complaint.sweep';
import type { Deps } from '../core/ports';
import { buildCtx } from '../lib/command-context';
import { useTestDatabase } from '../test/db';
import { ComplaintModel } from './complaint.model';
import { seedDemoIfEmpty } from './demo/seed-demo';
import { importComplaintsFile } from './import/complaint-import';
import { createDeps } from '../lib/services';

useTestDatabase();

const china = (local: string) => new Date(`${local}:00+08:00`);
const clock = { at: china('2026-10-08T10:00'), now() { return this.at; } };
let deps: Deps;

async function run(userid: string, id: string, input: Record<string, unknown>) {
  const user = await deps.users.byUserid(userid);
  if (!user) throw new Error(`no user ${userid}`);
  return runCommand(commandById(id)!, input, buildCtx(user, 'api', deps)) as Promise<Record<string, unknown>>;
}

const CSV = [
  '问题编号,网站标识码,网页地址,错误类型,问题描述,提交时间',
  'ZC-001,1301230002,http://jyj.zhengding.gov.cn/a.html,错别字,"首页通知""报名""写成""报明""",2026-09-30 17:00',
  'ZC-002,www.zhengding.gov.cn,http://www.zhengding.gov.cn/b.html,链接不可用,政务公开栏目链接打不开,2026-09-30 09:10',
  'ZC-003,9999999999,http://www.nowhere.gov.cn/x.html,其他,不知道是哪个网站,2026-10-08 08:00',
  'ZC-004,,http://jyj.zhengding.gov.cn/c.html,其他,只有页面地址,2026-10-08 08:30',
  ',1301230002,,错别字,缺编号,2026-10-08 08:30',
  'ZC-005,1301230002,,错别字,时间不对,昨天下午',
].join('\n');

let dir = '';
beforeAll(async () => {
  await seedDemoIfEmpty();
  deps = createDeps(clock);
  dir = await mkdtemp(path.join(os.tmpdir(), 'complaints-'));
  await writeFile(path.join(dir, 'export.csv'), CSV);
});

describe('#complaint.intake', () => {
  it('imports an export, reports bad rows and stores unknown sites as unmatched; the same export again changes nothing', async () => {
    const file = path.join(dir, 'export.csv');
    const first = await importComplaintsFile(deps, file, { now: clock.now() });
    expect(first).toMatchObject({ total: 6, created: 4, unchanged: 0, failedRows: 2 });
    expect(first.unmatched).toEqual([{ row: 4, platformId: 'ZC-003', site: '9999999999' }]);
    expect(first.failed.map((f) => [f.row, f.code])).toEqual(expect.arrayContaining([[6, 'complaint_platform_id_required'], [7, 'complaint_received_at_invalid']]));
    const again = await importComplaintsFile(deps, file, { now: clock.now() });
    expect(again).toMatchObject({ created: 0, unchanged: 4, failedRows: 2, unmatched: [] });
    expect(await ComplaintModel.countDocuments()).toBe(4);
  });

  it('matches a row without a site column by its page URL, and stores the deadline from the real calendar', async () => {
    const byUrl = await deps.complaints.byRef('ZC-004');
    expect(byUrl?.site?.name).toContain('教育局');
    const c = await deps.complaints.byRef('ZC-001');
    expect(c?.transferDue).toEqual({ dueDate: '2026-10-08', dueAt: china('2026-10-09T00:00'), provisional: false });
    expect(c?.outbox[0]?.payload.to).toEqual({ kind: 'supervisors', unitCode: '130123' });
  });

  it('takes a batch over the API command, province admins only, deduplicated by platform id', async () => {
    const body = { complaints: [{ platformId: 'API-1', site: 'jyj.zhengding.gov.cn', errorType: '错别字', description: 'x', receivedAt: '2026-10-08T09:00:00+08:00' }, { platformId: 'ZC-001', site: '1301230002', errorType: '错别字', description: 'dup', receivedAt: '2026-09-30 17:00' }] };
    await expect(run('demo.county', 'complaint.intake', body)).rejects.toMatchObject({ code: 'forbidden_role' });
    expect(await run('demo.province', 'complaint.intake', body)).toMatchObject({ created: 1, unchanged: 1 });
  });
});

describe('#complaint.unmatched queue', () => {
  it('lists unmatched reports for a province admin only, who assigns one to a site', async () => {
    const queue = (await run('demo.province', 'complaint.list', { state: 'unmatched' })) as { complaints: { platformId: string }[] };
    expect(queue.complaints.map((c) => c.platformId)).toEqual(['ZC-003']);
    const countyView = (await run('demo.county', 'complaint.list', { state: 'unmatched' })) as { complaints: unknown[] };
    expect(countyView.complaints).toEqual([]);
    await expect(run('demo.county', 'complaint.assign', { ref: 'ZC-003', site: 'www.zhengding.gov.cn' })).rejects.toMatchObject({ code: 'forbidden_role' });
    const out = (await run('demo.province', 'complaint.assign', { ref: 'ZC-003', site: 'www.zhengding.gov.cn' })) as { complaint: { state: string; site: { name: string }; due: { dueDate: string } } };
    expect(out.complaint).toMatchObject({ state: 'received', site: { name: '正定县人民政府门户网站' }, due: { dueDate: '2026-10-09' } });
  });
});

describe('#complaint permissions', () => {
  it('lets only a supervisor covering the site transfer it', async () => {
    await expect(run('demo.siteadmin', 'complaint.transfer', { ref: 'ZC-001' })).rejects.toMatchObject({ code: 'forbidden_role' });
    await expect(run('demo.county.zz', 'complaint.transfer', { ref: 'ZC-001' })).rejects.toMatchObject({ code: 'not_found', status: 404, params: { what: 'complaint' } });
    await expect(run('demo.city', 'complaint.transfer', { ref: 'ZC-001' })).resolves.toMatchObject({ complaint: { state: 'transferred' } });
  });

  it('lets only the site admin of the site answer, and refuses a second transfer', async () => {
    await expect(run('demo.siteadmin.sjz', 'complaint.answer', { ref: 'ZC-001', text: 'x' })).rejects.toMatchObject({ code: 'not_found', status: 404 });
    await expect(run('demo.county', 'complaint.answer', { ref: 'ZC-001', text: 'x' })).rejects.toMatchObject({ code: 'forbidden_role' });
    await expect(run('demo.county', 'complaint.transfer', { ref: 'ZC-001' })).rejects.toMatchObject({ code: 'complaint_bad_transition', status: 409 });
    await expect(run('demo.siteadmin', 'complaint.answer', { ref: 'ZC-001', text: '已更正' })).resolves.toMatchObject({ complaint: { state: 'answered', answerOnTime: true } });
  });

  it('refuses a write made from a stale version, so two people acting at once cannot both win', async () => {
    const c = (await deps.complaints.byRef('ZC-002'))!;
    expect(await deps.complaints.save({ ...c, version: c.version + 1, state: 'transferred' })).toBe(true);
    expect(await deps.complaints.save({ ...c, version: c.version + 1, state: 'received' })).toBe(false);
  });
});

describe('#complaint.sweep', () => {
  it('finds what is due today and overdue per responsible person, in bulk', async () => {
    // ZC-002 (received 09-30) was forced to `transferred` above without an answer deadline; give it one that passed
    // (through the repository, so the register of open deadlines follows, as it follows every write).
    const forced = (await deps.complaints.byRef('ZC-002'))!;
    expect(await deps.complaints.save({ ...forced, version: forced.version + 1, dueAt: china('2026-10-08T00:00') })).toBe(true);
    const sweep = await sweepDue(deps, clock.now());
    expect(sweep.today).toBe('2026-10-08');
    const admin = sweep.people.find((p) => p.person.userid === 'demo.siteadmin');
    expect(admin?.overdue.map((i) => i.platformId)).toEqual(['ZC-002']);
    const county = sweep.people.find((p) => p.person.userid === 'demo.county');
    // ZC-004 (received 10-08, due 10-09) is not due today; ZC-003 was assigned today (due 10-09).
    expect(county?.dueToday ?? []).toEqual([]);
    const digests = buildDigests(sweep);
    expect(digests.find((d) => d.userid === 'demo.siteadmin')).toMatchObject({ overdue: 1, dueToday: 0 });
  });
});
