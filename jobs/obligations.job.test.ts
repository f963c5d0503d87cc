import { openCampaign } from '../core/campaigns/campaign.service';
import { obligationEscalations } from '../core/obligations/obligation.due';
import type { Deps } from '../core/ports';
import { CampaignModel } from '../store/campaign.model';
import { NotificationModel } from '../store/notification.model';
import { ReminderRunModel } from '../store/reminder-run.model';
import { clearDatabase, useTestDatabase } from '../test/db';
import { runObligations } from './obligations.job';
import { china, seedWorld, testClock } from './reminders.fixture';

useTestDatabase();

/** 2027-02-20: the annual reports (due 2027-01-30/31) and supervision reports are overdue; the Q4 check is open. */
const clock = testClock('2027-02-20T10:00');
let deps: Deps;

beforeAll(async () => {
  deps = await seedWorld(clock);
});

describe('#obligations job', () => {
  it('escalates each overdue obligation once per supervisor, however often it runs', async () => {
    const now = china('2027-02-20T10:00');
    const expected = await obligationEscalations(deps, now);
    expect(expected.length).toBeGreaterThan(0);

    const [a, b] = await Promise.all([runObligations({ deps }, now), runObligations({ deps }, now)]);
    const escalations = await NotificationModel.find({ kind: 'escalation' }, { effectId: 1, userid: 1, params: 1 }).lean();
    expect(escalations.length).toBeGreaterThan(0);
    expect(new Set(escalations.map((e) => `${e.effectId}|${e.userid}`)).size).toBe(escalations.length);
    expect(new Set(escalations.map((e) => e.effectId))).toEqual(new Set(expected.filter((e) => escalations.some((n) => n.effectId === e.key)).map((e) => e.key)));
    expect(escalations.every((e) => e.effectId.startsWith('escalate:'))).toBe(true);

    // The county's sites escalate to 正定县's supervisor, in words.
    const county = escalations.filter((e) => e.userid === 'demo.county').map((e) => e.params.obligation);
    expect(county).toContain('网站年度报表公开');
    expect(escalations.every((e) => !String(e.params.obligation).startsWith('bot:'))).toBe(true);

    // The quarter's checks opened with it, once.
    expect(a.opened.length + b.opened.length).toBeGreaterThan(0);
    const campaigns = await CampaignModel.countDocuments({ period: '2026-Q4' });
    expect(campaigns).toBe(new Set([...a.opened, ...b.opened]).size);

    // Even with the day's marker gone (a crash before it was written), a rerun stores nothing new.
    await ReminderRunModel.deleteMany({});
    const again = await runObligations({ deps }, china('2027-02-20T11:00'));
    expect(again.inserted).toBe(0);
    expect(again.opened).toEqual([]);
    expect(await NotificationModel.countDocuments({ kind: 'escalation' })).toBe(escalations.length);
    expect(await runObligations({ deps }, china('2027-02-20T12:00'))).toMatchObject({ skipped: 'done' });
  });

  it('leaves a quarter\'s overdue check with a campaign to the campaign-reminders job, and escalates the others', async () => {
    await clearDatabase();
    deps = await seedWorld(clock);
    const unit = (await deps.units.get('130123'))!;
    await openCampaign(deps, { unit, period: '2026-Q3', scope: 'direct', by: { userid: 'demo.county', name: '王芳' }, now: china('2026-11-02T10:00') });
    const expected = (await obligationEscalations(deps, china('2027-02-20T10:00'))).map((e) => e.key);
    expect(expected).toContain('escalate:quarterly_check:130123:2026-Q3');
    await runObligations({ deps }, china('2027-02-20T10:00'));
    const keys = new Set((await NotificationModel.find({ kind: 'escalation' }, { effectId: 1 }).lean()).map((n) => n.effectId));
    expect(keys.has('escalate:quarterly_check:130123:2026-Q3')).toBe(false);
    expect(keys.has('escalate:quarterly_check:130100:2026-Q3')).toBe(true);
  });
});
