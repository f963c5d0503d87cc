import { commandById } from '../core/commands/registry';
import { runCommand } from '../core/commands/run';
import { DomainError } from '../core/errors';
import type { RequestActionDTO } from '../core/presenters/request.presenter';
import { buildCtx } from '../lib/command-context';
import { useTestDatabase } from '../test/db';
import { seedDemoIfEmpty } from './demo/seed-demo';
import { createDeps } from '../lib/services';
import { NotificationModel } from './notification.model';
import { dispatchPendingEffects, runDueTimers } from './request-effects';
import { RequestModel, RequestTimerModel } from './request.model';
import { TaskModel } from './task.model';

useTestDatabase();

let now = new Date('2027-04-01T02:00:00Z');
const deps = createDeps({ now: () => now });

async function run(userid: string, commandId: string, input: Record<string, unknown>): Promise<RequestActionDTO> {
  const user = await deps.users.byUserid(userid);
  if (!user) throw new Error(`no user ${userid}`);
  return (await runCommand(commandById(commandId)!, input, buildCtx(user, 'api', deps))) as RequestActionDTO;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return err instanceof DomainError ? err.code : String(err);
  }
}

beforeAll(async () => {
  await seedDemoIfEmpty();
});

describe('#request.repo', () => {
  it('gives concurrent filings distinct human ids', async () => {
    const sites = ['swt.hebei.gov.cn'];
    const filed = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        run('demo.siteadmin.en', 'request.emergency_shutdown', { site: sites[0], reason: 'force_majeure', start: `2027-04-0${i + 2}`, end: `2027-04-0${i + 3}`, note: 'outage' }),
      ),
    );
    const ids = filed.map((f) => f.request.id);
    expect(new Set(ids).size).toBe(4);
    expect(ids.every((id) => /^R2027-\d{4}$/.test(id))).toBe(true);
  });

  it('lets exactly one of two approvers acting at once win; the other is told clearly', async () => {
    const filed = await run('demo.siteadmin.en', 'request.temp_offline', { site: 'swt.hebei.gov.cn', start: '2027-05-01', end: '2027-05-03', reason: 'upgrade' });
    const id = filed.request.id;
    const results = await Promise.allSettled([
      run('demo.province', 'request.approve', { id, comment: 'A' }),
      run('demo.province.deputy', 'request.approve', { id, comment: 'B' }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(['request_changed_concurrently', 'step_already_decided']).toContain((lost[0]!.reason as DomainError).code);
    const doc = await RequestModel.findById(id).lean();
    expect(doc!.status).toBe('scheduled');
    expect(doc!.audit.filter((a) => a.action === 'approve')).toHaveLength(1);
    expect(doc!.version).toBe(1);
  });

  it('refuses a repeated approval of a step already decided', async () => {
    const filed = await run('demo.siteadmin', 'request.temp_offline', { site: 'www.zhengding.gov.cn', start: '2027-06-01', end: '2027-06-02', reason: '改版', justification: '集约化平台迁移，须短时停机' });
    const id = filed.request.id;
    expect(filed.request.steps.map((s) => s.unitCode)).toEqual(['130100', '130000']);
    await run('demo.city', 'request.approve', { id });
    expect(await codeOf(run('demo.city', 'request.approve', { id }))).toBe('step_already_decided');
    expect(await codeOf(run('demo.county', 'request.approve', { id }))).toBe('not_your_step');
    expect(await codeOf(run('demo.siteadmin', 'request.approve', { id }))).toBe('forbidden_role');
  });

  it('survives a storm of concurrent approvals: one decision, one audit entry', async () => {
    const filed = await run('demo.siteadmin.en', 'request.change_record', { site: 'swt.hebei.gov.cn', personInCharge: 'Li Ming' });
    const id = filed.request.id;
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => run(i % 2 ? 'demo.province' : 'demo.province.deputy', 'request.approve', { id })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const doc = await RequestModel.findById(id).lean();
    expect(doc!.audit.map((a) => a.action)).toEqual(['file', 'approve']);
  });

  it('dispatches each effect once, even when two dispatchers run at the same time', async () => {
    await Promise.all([dispatchPendingEffects(deps, now), dispatchPendingEffects(deps, now)]);
    await dispatchPendingEffects(deps, now);
    const tasks = await TaskModel.find({}).lean();
    expect(new Set(tasks.map((t) => t.effectId)).size).toBe(tasks.length);
    const notes = await NotificationModel.find({}).lean();
    expect(new Set(notes.map((n) => `${n.effectId}/${n.userid}`)).size).toBe(notes.length);
    const timers = await RequestTimerModel.find({}).lean();
    expect(new Set(timers.map((t) => t.effectId)).size).toBe(timers.length);
    expect(await RequestModel.countDocuments({ 'effects.status': 'pending' })).toBe(0);
    // The change record was applied to the registry (art. 17 profile fields).
    const site = await deps.sites.findByRef('swt.hebei.gov.cn');
    const raw = await RequestModel.db.collection('sites').findOne({ domains: 'swt.hebei.gov.cn' });
    expect(site).toBeDefined();
    expect((raw as { profile?: { personInCharge?: string } }).profile?.personInCharge).toBe('Li Ming');
  });

  it('fires each due timer once, even when run twice', async () => {
    now = new Date('2027-05-01T00:00:00Z');
    const [a, b] = await Promise.all([runDueTimers(deps, now), runDueTimers(deps, now)]);
    await runDueTimers(deps, now);
    expect(a.fired + b.fired).toBeGreaterThan(0);
    const swt = await RequestModel.findOne({ type: 'temp_offline', 'site.domain': 'swt.hebei.gov.cn' }).lean();
    expect(swt!.status).toBe('offline');
    expect(swt!.audit.filter((x) => x.action === 'timer:offline_window_start')).toHaveLength(1);
    expect((await deps.sites.findByRef('swt.hebei.gov.cn'))?.status).toBe('temp_offline');
  });

  it('raises the overdue alarm once the window has passed and the site is not back', async () => {
    now = new Date('2027-05-05T00:00:00Z');
    await runDueTimers(deps, now);
    const swt = await RequestModel.findOne({ type: 'temp_offline', 'site.domain': 'swt.hebei.gov.cn' }).lean();
    expect(swt!.flags.overdueAlarmed).toBe(true);
    const alarms = await NotificationModel.find({ requestId: swt!._id, message: 'offline_overdue_alarm' }).lean();
    expect(alarms.map((n) => n.userid).sort()).toEqual(['demo.province', 'demo.province.deputy', 'demo.siteadmin.en']);
  });
});
