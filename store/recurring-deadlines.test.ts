import { chinaStartOf } from '../core/calendar/civil-date';
import { commitCheck, openCampaign } from '../core/campaigns/campaign.service';
import { obligationDeadlineId, registerObligations } from '../core/deadlines/obligation.deadlines';
import { obligationsDue } from '../core/obligations/obligation.due';
import type { Deps } from '../core/ports';
import { runCampaignReminders } from '../jobs/campaign-reminders.job';
import { runDailyDigest } from '../jobs/daily-digest.job';
import { china, jobEnv, seedWorld, testClock } from '../jobs/reminders.fixture';
import { clearDatabase, useTestDatabase } from '../test/db';
import { readDeadlinesOf } from '../test/register';
import { SiteCheckModel } from './campaign.model';
import { deadlineModel, toRegisteredDeadline, type DeadlineDoc } from './deadline.model';
import { NotificationModel } from './notification.model';
import { ObligationAckModel } from './obligation.model';
import { ReminderRunModel } from './reminder-run.model';
import { SiteModel } from './site.model';

useTestDatabase();

const clock = testClock('2026-11-20T10:00');
let deps: Deps;
const COUNTY = { userid: 'demo.county', name: '王芳' };

async function entry(kind: 'check' | 'obligation', id: string) {
  const d = await deadlineModel(kind).findById(id).lean<DeadlineDoc>();
  return d ? toRegisteredDeadline(d) : null;
}

beforeEach(async () => {
  await clearDatabase();
  clock.set('2026-11-20T10:00');
  deps = await seedWorld(clock);
});

describe('#deadline register: a site\'s quarterly check (art. 32)', () => {
  it('opens each check\'s entry with its campaign, follows its findings, and closes it with the check, for good', async () => {
    const unit = (await deps.units.get('130123'))!;
    const { campaign } = await openCampaign(deps, { unit, period: '2026-Q3', scope: 'direct', by: COUNTY, now: clock.now() });
    const checks = await deps.campaigns.checksOfCampaign(campaign.id);
    expect(checks).toHaveLength(2);
    const due = chinaStartOf('2026-12-01').toISOString();
    for (const c of checks) expect(await readDeadlinesOf(['check'], c.id)).toEqual([`check:due@${due} pending`]);
    const [a] = checks;
    expect(await entry('check', `check:${a!.id}:due`)).toMatchObject({ acts: { kind: 'supervisors', unitCode: '130123' }, detail: { campaignId: campaign.id, toAck: 0, toRectify: 0 } });

    let c = await commitCheck(deps, a!, { type: 'finding', by: COUNTY, category: 'deduction', text: '链接失效' }, clock.now());
    expect(await entry('check', `check:${a!.id}:due`)).toMatchObject({ state: 'checked', acts: { kind: 'site_admins', siteId: a!.site.id }, detail: { toAck: 1 }, version: 1 });
    c = await commitCheck(deps, c, { type: 'rectify', by: { userid: 'demo.siteadmin', name: '李静' }, no: 1, note: '已修复' }, clock.now());
    expect(await entry('check', `check:${a!.id}:due`)).toMatchObject({ acts: { kind: 'supervisors', unitCode: '130123' }, detail: { toAck: 0, toRectify: 0 } });
    await commitCheck(deps, c, { type: 'close', by: COUNTY }, clock.now());
    expect(await readDeadlinesOf(['check'], a!.id)).toEqual([]);

    // Opening the quarter again (the daily job's repair of a half-finished opening) leaves a closed check closed.
    await openCampaign(deps, { unit, period: '2026-Q3', scope: 'direct', by: COUNTY, now: clock.now() });
    expect(await readDeadlinesOf(['check'], a!.id)).toEqual([]);
    expect(await readDeadlinesOf(['check'], checks[1]!.id)).toEqual([`check:due@${due} pending`]);
  }, 60_000);

  it('repairs a check written without its register write, and backfills checks stored before the register', async () => {
    const unit = (await deps.units.get('130123'))!;
    const { campaign } = await openCampaign(deps, { unit, period: '2026-Q3', scope: 'direct', by: COUNTY, now: clock.now() });
    const [a, b] = await deps.campaigns.checksOfCampaign(campaign.id);
    // a's close was written with its mark, then the process died.
    await SiteCheckModel.updateOne({ _id: a!.id }, { $set: { status: 'closed', checkedAt: clock.now(), closedAt: clock.now(), registerDirty: true }, $inc: { version: 1 } });
    expect(await readDeadlinesOf(['check'], a!.id)).toHaveLength(1);
    expect(await deps.deadlines.repair('check', clock.now())).toEqual({ applied: 1 });
    expect(await readDeadlinesOf(['check'], a!.id)).toEqual([]);
    // b as a database older than the register holds it: no mark, no entry.
    await SiteCheckModel.updateOne({ _id: b!.id }, { $unset: { registerDirty: 1 } });
    await deadlineModel('check').deleteMany({});
    expect(await deps.deadlines.repair('check', clock.now())).toEqual({ applied: 1 });
    expect(await readDeadlinesOf(['check'], b!.id)).toHaveLength(1);
    expect(await deps.deadlines.repair('check', clock.now())).toEqual({ applied: 0 });
  }, 60_000);

  it('is what the campaign reminders read: the checks themselves are not', async () => {
    const unit = (await deps.units.get('130123'))!;
    await openCampaign(deps, { unit, period: '2026-Q3', scope: 'direct', by: COUNTY, now: clock.now() });
    await SiteCheckModel.deleteMany({});
    await runCampaignReminders(jobEnv(deps), china('2026-11-25T09:00'));
    const sent = await NotificationModel.find({ 'subject.kind': 'campaign' }).lean();
    expect(sent.map((n) => [n.userid, n.effectId])).toEqual([['demo.county', 'campaign-reminder:130123:2026-Q3:2026-11-25:check']]);
    expect(sent[0]?.params).toMatchObject({ sites: '2', pending: '2' });
  }, 60_000);
});

describe('#deadline register: recurring obligations', () => {
  it('registers what the rules say is open, clears an occurrence as it is acknowledged, and repairs one acknowledged without its clear', async () => {
    const now = china('2026-12-29T08:30');
    clock.set('2026-12-29T08:30');
    const res = await registerObligations(deps, now);
    expect(res.set).toBeGreaterThan(0);
    // The same occurrences as the rules compute from the registry (overdue within the look-back, due soon).
    const due = await obligationsDue(deps, now);
    const horizon = '2027-01-18';
    const expected = [...due.overdue, ...due.dueSoon.filter((i) => i.dueDate <= horizon)].map((i) => obligationDeadlineId(i.key)).sort();
    const held = (await deadlineModel('obligation').find({}, { _id: 1 }).lean()).map((d) => String(d._id)).sort();
    expect(held).toEqual(expected);
    expect(await registerObligations(deps, now)).toMatchObject({ skipped: 'done' });

    const site = (await deps.sites.findByRef('jyj.zhengding.gov.cn'))!;
    const key = `security_self_check:${site.id}:2026-H2`;
    expect(await entry('obligation', obligationDeadlineId(key))).toMatchObject({ siteId: site.id, dueAt: chinaStartOf('2027-01-01'), acts: { kind: 'site_admins', siteId: site.id } });
    const ack = { obligation: 'security_self_check' as const, subjectKind: 'site' as const, subjectId: site.id, subjectName: site.name, period: '2026-H2', dueDate: '2026-12-31', by: { userid: 'demo.siteadmin', name: '李静' }, at: now, note: null, onTime: true, source: 'shell' };
    await deps.obligations.acknowledge({ key, ...ack });
    expect(await entry('obligation', obligationDeadlineId(key))).toBeNull();

    // An acknowledgement stored by a process that died before clearing its entry: the next registration clears it.
    const meeting = `special_meeting:${site.id}:2026`;
    await ObligationAckModel.create({ _id: meeting, ...ack, obligation: 'special_meeting', period: '2026' });
    expect(await entry('obligation', obligationDeadlineId(meeting))).not.toBeNull();
    await ReminderRunModel.deleteMany({});
    expect(await registerObligations(deps, now)).toMatchObject({ set: 0, cleared: 1 });
    expect(await entry('obligation', obligationDeadlineId(meeting))).toBeNull();
  }, 60_000);

  it('is what the daily digest reads once the day is registered: the registry is not read again', async () => {
    const now = china('2026-12-29T08:30');
    clock.set('2026-12-29T08:30');
    await registerObligations(deps, now);
    await SiteModel.deleteMany({});
    await runDailyDigest(jobEnv(deps), now);
    const admin = await NotificationModel.findOne({ kind: 'digest', userid: 'demo.siteadmin' }).lean();
    expect((admin?.data as { obligations?: { dueSoon: number } } | undefined)?.obligations).toMatchObject({ dueSoon: 4 });
  }, 60_000);
});
