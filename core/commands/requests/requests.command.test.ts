import { commandById } from '../registry';
import { runCommand } from '../run';
import { DomainError, ValidationError } from '../../errors';
import { describeError } from '../../presenters/error.presenter';
import type { RequestActionDTO } from '../../presenters/request.presenter';
import { buildCtx } from '../../../lib/command-context';
import { translatorFor } from '../../../lib/i18n';
import { useTestDatabase } from '../../../test/db';
import { seedDemoIfEmpty } from '../../../store/demo/seed-demo';
import { createDeps } from '../../../lib/services';
import { dispatchPendingEffects, runDueTimers } from '../../../store/request-effects';
import { TaskModel } from '../../../store/task.model';
import { UserModel } from '../../../store/user.model';

useTestDatabase();

let now = new Date('2027-04-01T02:00:00Z');
const deps = createDeps({ now: () => now });

async function run(userid: string, commandId: string, input: Record<string, unknown>): Promise<RequestActionDTO> {
  const user = await deps.users.byUserid(userid);
  return (await runCommand(commandById(commandId)!, input, buildCtx(user!, 'api', deps))) as RequestActionDTO;
}

async function refusal(p: Promise<unknown>, lng: 'zh-CN' | 'en' = 'zh-CN'): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DomainError) return { code: err.code, message: describeError(err, translatorFor(lng), 'r').message };
    throw err;
  }
  return { code: 'ok', message: '' };
}

beforeAll(async () => {
  await seedDemoIfEmpty();
});

describe('#change-record.request', () => {
  it('refuses a domain that breaks art. 12, with the reason', async () => {
    const err = await refusal(run('demo.siteadmin', 'request.change_record', { site: 'jyj.zhengding.gov.cn', domain: 'jyj.zhengding.com' }));
    expect(err.code).toBe('validation_failed');
    expect(err.message).toContain('.gov.cn');
  });

  it('is acknowledged by the supervising unit, applied to the registry, and asks for a notice on the old site', async () => {
    const filed = await run('demo.siteadmin', 'request.change_record', { site: 'jyj.zhengding.gov.cn', domain: 'edu.zhengding.gov.cn', contacts: '0311-88888888' });
    expect(filed.request.steps.map((s) => [s.unitCode, s.role])).toEqual([['130123', 'acknowledge']]);
    expect((await refusal(run('demo.county', 'request.reject', { id: filed.request.id, comment: 'no' }))).code).toBe('request_event_not_allowed');
    const ack = await run('demo.county', 'request.approve', { id: filed.request.id });
    expect(ack.request.status).toBe('acknowledged');
    await dispatchPendingEffects(deps, now);
    const site = await deps.sites.findByRef('edu.zhengding.gov.cn');
    expect(site?.domains[0]).toBe('edu.zhengding.gov.cn');
    expect(await TaskModel.countDocuments({ requestId: filed.request.id, kind: 'post_old_domain_notice' })).toBe(1);
  });
});

describe('#review.request', () => {
  it('returns for changes; the requester amends and resubmits; the chain starts again', async () => {
    const filed = await run('demo.siteadmin', 'request.temp_offline', { site: 'edu.zhengding.gov.cn', start: '2027-07-01', end: '2027-07-05', reason: '改版' });
    const id = filed.request.id;
    expect((await refusal(run('demo.county', 'request.return', { id }))).code).toBe('validation_failed');
    const returned = await run('demo.county', 'request.return', { id, comment: '请补充改版方案' });
    expect(returned.request.status).toBe('returned');
    const tooLong = await refusal(run('demo.siteadmin', 'request.resubmit', { id, end: '2027-08-15' }));
    expect(tooLong.message).toContain('《办法》第14条');
    const again = await run('demo.siteadmin', 'request.resubmit', { id, end: '2027-07-03', comment: '已补充方案' });
    expect(again.request.status).toBe('reviewing');
    expect(again.request.round).toBe(2);
    expect(again.request.payload.end).toBe('2027-07-03');
    expect(again.request.pendingStep?.unitCode).toBe('130123');
    const withdrawn = await run('demo.siteadmin', 'request.withdraw', { id });
    expect(withdrawn.request.status).toBe('withdrawn');
    const late = await refusal(run('demo.county', 'request.approve', { id }));
    expect(late.code).toBe('request_event_not_allowed');
    expect(late.message).toBe('申请当前为“已撤回”状态，不能“同意”。');
  });

  it('hands a step to a named colleague, who alone may then act; copies someone for information', async () => {
    const filed = await run('demo.siteadmin.en', 'request.temp_offline', { site: 'swt.hebei.gov.cn', start: '2027-09-01', end: '2027-09-02', reason: 'upgrade' });
    const id = filed.request.id;
    // Someone of another unit and nobody at all are refused alike, and the refusal names no one (demo.city is 张伟).
    const toOther = await refusal(run('demo.province', 'request.handoff', { id, to: 'demo.city' }));
    expect(toOther.code).toBe('handoff_target_invalid');
    expect(toOther.message).not.toMatch(/张伟|demo\.city/);
    expect(await refusal(run('demo.province', 'request.handoff', { id, to: 'nobody.here' }))).toEqual(toOther);
    await run('demo.province', 'request.handoff', { id, to: 'demo.province.deputy' });
    expect((await refusal(run('demo.province', 'request.approve', { id }))).code).toBe('not_your_step');
    await run('demo.province.deputy', 'request.cc', { id, to: 'demo.province.swt' });
    const shown = await runCommand(commandById('request.show')!, { id }, buildCtx((await deps.users.byUserid('demo.province.swt'))!, 'api', deps));
    expect((shown as { request: { steps: { cc: { userid: string }[] }[] } }).request.steps[0]!.cc.map((c) => c.userid)).toEqual(['demo.province.swt']);
    const done = await run('demo.province.deputy', 'request.approve', { id });
    expect(done.request.status).toBe('scheduled');
  });

  it('keeps a site admin to their own sites: another’s reads as one that does not exist', async () => {
    const input = { start: '2027-09-01', end: '2027-09-02', reason: 'x' };
    const err = await refusal(run('demo.siteadmin', 'request.temp_offline', { site: 'jyt.hebei.gov.cn', ...input }), 'en');
    expect(err).toEqual({ code: 'not_found', message: 'No such site, or you may not see it.' });
    expect(await refusal(run('demo.siteadmin', 'request.temp_offline', { site: 'nosuch.hebei.gov.cn', ...input }), 'en')).toEqual(err);
  });
});

describe('#opening.request', () => {
  it('opens a planned site: review chain, checklist, launch with its 网站标识码, notice on the portal', async () => {
    const filed = await run('demo.city', 'request.opening', { site: 'jyj.xinji.gov.cn' }).catch((e: unknown) => e);
    // 辛集 is administered by the province: its supervisor is not demo.city, so the province files.
    expect(filed).toBeInstanceOf(DomainError);
    const opened = await run('demo.province', 'request.opening', { site: 'jyj.xinji.gov.cn', note: '辛集市教育局网站' });
    expect(opened.request.steps.map((s) => s.unitCode)).toEqual(['130181', '130000']);
    await dispatchPendingEffects(deps, now);
    expect((await deps.sites.findByRef('jyj.xinji.gov.cn'))?.status).toBe('applying');
    const id = opened.request.id;
    await expect(run('demo.province', 'request.approve', { id })).rejects.toMatchObject({ code: 'not_your_step' });
    // The demo has no supervisor for 辛集: add one for this story.
    await UserModel.create({ userid: 'test.xinji', name: '辛集办', locale: 'zh-CN', roles: [{ role: 'supervisor', unitCode: '130181' }], active: true });
    await run('test.xinji', 'request.approve', { id, comment: '同意上报' });
    const approved = await run('demo.province', 'request.approve', { id });
    expect(approved.request.status).toBe('approved');
    expect(approved.request.checklist.map((c) => c.key)).toEqual(['gov_logo', 'domain_registration', 'icp_filing', 'psb_filing', 'site_code', 'security_test']);
    const early = await refusal(run('demo.province', 'request.launch', { id }));
    expect(early.message).toContain('《办法》第10条');
    for (const [item, evidence] of [['gov_logo', '标识 2027-001'], ['domain_registration', 'jyj.xinji.gov.cn 已注册'], ['icp_filing', '冀ICP备2027000001号'], ['psb_filing', '冀公网安备13018102000001号'], ['site_code', '1301810002'], ['security_test', '检测报告 2027-04']]) {
      await run('demo.province', 'request.check', { id, item, evidence });
    }
    const launched = await run('demo.province', 'request.launch', { id });
    expect(launched.request.status).toBe('launched');
    await dispatchPendingEffects(deps, now);
    const site = await deps.sites.findByRef('jyj.xinji.gov.cn');
    expect([site?.status, site?.code]).toEqual(['online', '1301810002']);
    expect(await TaskModel.findOne({ requestId: id, kind: 'post_opening_notice' }).lean()).toMatchObject({ siteName: '辛集市人民政府门户网站' });
  });
});

describe('#closure.request', () => {
  it('closes a site after approval, the checklist and 30 days of completion notice (art. 16)', async () => {
    const filed = await run('demo.siteadmin.bd', 'request.closure', { site: 'slj.bd.gov.cn', reason: '机构改革，并入市政府门户网站', migrateTo: 'www.bd.gov.cn/slj' });
    const id = filed.request.id;
    await run('demo.city.bd', 'request.approve', { id });
    const approved = await run('demo.province', 'request.approve', { id });
    expect(approved.request.status).toBe('migrating');
    for (const item of ['migration_notice', 'cancel_icp', 'cancel_gov_logo', 'cancel_psb_filing', 'cancel_domain']) {
      await run('demo.siteadmin.bd', 'request.check', { id, item, evidence: `${item} 已办` });
    }
    const notice = await run('demo.siteadmin.bd', 'request.check', { id, item: 'completion_notice', evidence: 'https://www.bd.gov.cn/notice/slj' });
    expect(notice.request.status).toBe('notice_period');
    await dispatchPendingEffects(deps, now);
    expect((await deps.sites.findByRef('slj.bd.gov.cn'))?.status).toBe('closing');
    now = new Date('2027-04-30T02:00:00Z');
    await runDueTimers(deps, now);
    expect((await deps.sites.findByRef('slj.bd.gov.cn'))?.status).toBe('closing');
    now = new Date('2027-05-01T02:00:01Z');
    await runDueTimers(deps, now);
    expect((await deps.sites.findByRef('slj.bd.gov.cn'))?.status).toBe('closed');
  });

  it('asks a portal why it must close (art. 13)', async () => {
    const err = await refusal(run('demo.siteadmin', 'request.closure', { site: 'www.zhengding.gov.cn', reason: '整合' }));
    expect(err.message).toContain('《办法》第13条');
  });
});

it('validates missing fields with our own messages', async () => {
  const err = await run('demo.siteadmin', 'request.temp_offline', { site: 'edu.zhengding.gov.cn' }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ValidationError);
  expect((err as ValidationError).problems.map((p) => p.code).sort()).toEqual(['date_required', 'date_required', 'reason_required']);
});
