import { defaultCalendar } from '../core/calendar';
import { newComplaint, transition } from '../core/complaints/complaint.machine';
import { complaintOpenDeadlines } from '../core/deadlines/complaint.deadlines';
import { sweepDue } from '../core/complaints/complaint.sweep';
import type { Complaint, ComplaintEvent, ComplaintSite } from '../core/complaints/complaint.types';
import { clearDatabase, useTestDatabase } from '../test/db';
import { ComplaintModel } from './complaint.model';
import { complaintRepo, reconcileComplaintDeadlines } from './complaint.repo';
import { applyDeadlines, DeadlineModel, toRegisteredDeadline } from './deadline.model';
import { deadlineRegister, refreshDeadlinePeople } from './deadline.repo';
import { UserModel } from './user.model';

useTestDatabase();

const china = (local: string) => new Date(`${local}:00+08:00`);
const calendar = defaultCalendar();
const SITE: ComplaintSite = { id: 'site-1', name: '正定县教育局网站', hostUnit: 'host-1', supervisingUnit: '130123', scopeUnits: ['130000', '130100', '130123', 'host-1'] };
const OTHER: ComplaintSite = { id: 'site-2', name: '正定县人民政府门户网站', hostUnit: 'host-2', supervisingUnit: '130123', scopeUnits: ['130000', '130100', '130123', 'host-2'] };
const env = (local: string) => ({ now: china(local), calendar, by: { userid: 'test', name: 'test' }, source: 'api' });

/** What the register holds: `stage@dueAt` per entry of this report. */
async function register(c: Pick<Complaint, 'id'>): Promise<string[]> {
  const docs = (await DeadlineModel.find({}).sort({ _id: 1 }).lean()).map(toRegisteredDeadline);
  return docs.filter((d) => d.subjectId === c.id).map((d) => `${d.stage}@${d.dueAt.toISOString()}`);
}

/** One entry as the readers see it, by its key. */
async function entry(id: string) {
  const d = await DeadlineModel.findById(id).lean();
  return d ? toRegisteredDeadline(d) : null;
}

async function receive(platformId: string, site: ComplaintSite | null, receivedLocal: string): Promise<Complaint> {
  const fields = { platformId, siteRef: site?.id ?? 'nowhere.gov.cn', pageUrl: null, errorType: '错别字', description: 'x', receivedAt: china(receivedLocal) };
  await complaintRepo.insertMany([newComplaint(fields, site, env(receivedLocal))]);
  return (await complaintRepo.byRef(platformId))!;
}

async function act(c: Complaint, event: ComplaintEvent, local: string): Promise<Complaint> {
  const { state: next } = transition(c, event, env(local));
  expect(await complaintRepo.save(next)).toBe(true);
  return next;
}

const iso = (local: string) => china(local).toISOString();

beforeEach(async () => {
  await clearDatabase();
  await UserModel.insertMany([
    { userid: 'admin1', name: '管理员', locale: 'zh-CN', roles: [{ role: 'site_admin', siteId: 'site-1' }] },
    { userid: 'admin2', name: '管理员二', locale: 'en', roles: [{ role: 'site_admin', siteId: 'site-2' }] },
    { userid: 'sup', name: '主管', locale: 'zh-CN', roles: [{ role: 'supervisor', unitCode: '130123' }] },
    { userid: 'prov', name: '省级', locale: 'zh-CN', roles: [{ role: 'province_admin' }] },
  ]);
});

describe('#deadline register, set and cleared by the write path', () => {
  it('opens the transfer deadline on receipt, moves to the answer on transfer, closes on answer and opens again on reopen', async () => {
    let c = await receive('R-1', SITE, '2026-10-12T09:00');
    expect(await register(c)).toEqual([`transfer@${iso('2026-10-14T00:00')}`]);
    expect((await ComplaintModel.findById(c.id).lean())?.registerDirty).toBe(false);

    c = await act(c, { type: 'transfer' }, '2026-10-12T10:00');
    expect(await register(c)).toEqual([`answer@${iso('2026-10-16T00:00')}`]);

    c = await act(c, { type: 'answer', text: '已更正' }, '2026-10-13T10:00');
    expect(await register(c)).toEqual([]);
    c = await act(c, { type: 'publish' }, '2026-10-13T11:00');
    c = await act(c, { type: 'close' }, '2026-10-13T12:00');
    expect(await register(c)).toEqual([]);

    c = await act(c, { type: 'reopen', reason: '没改' }, '2026-10-14T09:00');
    // Three working days from Wednesday 10-14: Thursday, Friday and Monday 10-19.
    expect(await register(c)).toEqual([`answer@${iso('2026-10-20T00:00')}`]);
    c = await act(c, { type: 'mark_untrue', reason: '不属实' }, '2026-10-14T10:00');
    expect(await register(c)).toEqual([]);
    expect((await ComplaintModel.findById(c.id).lean())?.registerDirty).toBe(false);
  });

  it('restarts the transfer deadline on return and reassignment, and opens the unmatched one for province admins until assigned', async () => {
    let u = await receive('R-2', null, '2026-10-12T09:00');
    expect(await entry(`complaint:${u.id}:transfer`)).toMatchObject({ state: 'unmatched', acts: { kind: 'province_admins' }, siteId: null });
    u = await act(u, { type: 'assign', site: SITE }, '2026-10-13T09:00');
    expect(await register(u)).toEqual([`transfer@${iso('2026-10-15T00:00')}`]);
    expect(await entry(`complaint:${u.id}:transfer`)).toMatchObject({ state: 'received', acts: { kind: 'supervisors', unitCode: '130123' }, siteId: 'site-1', ref: 'R-2' });

    u = await act(u, { type: 'transfer' }, '2026-10-13T10:00');
    u = await act(u, { type: 'return', reason: '不是我们的网站' }, '2026-10-14T09:00');
    expect(await register(u)).toEqual([`transfer@${iso('2026-10-16T00:00')}`]);
    u = await act(u, { type: 'reassign', site: OTHER }, '2026-10-15T09:00');
    expect(await register(u)).toEqual([`transfer@${iso('2026-10-17T00:00')}`]);
    expect(await entry(`complaint:${u.id}:transfer`)).toMatchObject({ siteId: 'site-2', version: u.version });
  });

  it('lets no writer that lost the race leave its deadline behind', async () => {
    const c = await receive('R-3', SITE, '2026-10-12T09:00');
    const { state: transferred } = transition(c, { type: 'transfer' }, env('2026-10-12T10:00'));
    expect(await complaintRepo.save(transferred)).toBe(true);
    // A second writer from the same version loses the write and writes nothing to the register.
    const { state: reassigned } = transition(c, { type: 'reassign', site: OTHER }, env('2026-10-12T10:01'));
    expect(await complaintRepo.save(reassigned)).toBe(false);
    expect(await register(c)).toEqual([`answer@${iso('2026-10-16T00:00')}`]);
  });
});

describe('#deadline register, read by the sweep and the due lists', () => {
  it('lists what the register holds, whatever the reports collection holds', async () => {
    const c = await receive('R-4', SITE, '2026-10-12T09:00');
    await act(c, { type: 'transfer' }, '2026-10-12T10:00');
    const now = china('2026-10-15T09:00');
    const deps = { deadlines: deadlineRegister, complaints: complaintRepo, calendar: { current: async () => calendar } };
    const before = await sweepDue(deps, now);
    expect(before.people.map((p) => [p.person.userid, p.dueToday.map((i) => i.platformId)])).toEqual([['admin1', ['R-4']]]);

    // Thousands of handled reports more, or none at all: the sweep reads the register only.
    await ComplaintModel.collection.insertMany(Array.from({ length: 300 }, (_, i) => ({ platformId: `OLD-${i}`, state: 'closed', dueAt: null, receivedAt: now, siteId: 'site-1' })));
    expect(await sweepDue(deps, now)).toEqual(before);
    await ComplaintModel.deleteMany({});
    expect(await sweepDue(deps, now)).toEqual(before);
  });

  it('filters the register by scope for the due lists', async () => {
    await receive('R-5', SITE, '2026-10-12T09:00');
    await receive('R-6', null, '2026-10-12T09:00');
    const until = china('2026-10-20T00:00');
    const refs = async (scope: Parameters<typeof deadlineRegister.dueBy>[0]['scope']) => (await deadlineRegister.dueBy({ kind: 'complaint', until, scope })).map((d) => d.ref);
    expect(await refs({ all: true })).toEqual(['R-5', 'R-6']);
    expect(await refs({ siteIds: ['site-1'], scopeUnits: [] })).toEqual(['R-5']);
    expect(await refs({ siteIds: [], scopeUnits: ['130100'] })).toEqual(['R-5']);
    expect(await refs({ siteIds: [], scopeUnits: [] })).toEqual([]);
    expect((await deadlineRegister.dueBy({ kind: 'complaint', until: china('2026-10-13T00:00') })).map((d) => d.ref)).toEqual([]);
  });

  it('names the people a job resolved onto the entries without looking anyone up', async () => {
    const c = await receive('R-7', SITE, '2026-10-12T09:00');
    await act(c, { type: 'transfer' }, '2026-10-12T10:00');
    const now = china('2026-10-15T09:00');
    expect(await refreshDeadlinePeople(now, { all: false })).toMatchObject({ checked: 1, written: 1 });
    expect(await refreshDeadlinePeople(now, { all: false })).toMatchObject({ checked: 0, written: 0 });
    let lookups = 0;
    const responsible: typeof complaintRepo.responsible = (...args) => ((lookups += 1), complaintRepo.responsible(...args));
    const deps = { deadlines: deadlineRegister, complaints: { responsible }, calendar: { current: async () => calendar } };
    const sweep = await sweepDue(deps, now);
    expect(lookups).toBe(0);
    expect(sweep.people.map((p) => [p.person.userid, p.dueToday.map((i) => i.platformId)])).toEqual([['admin1', ['R-7']]]);

    // A role taken away: the next full check writes it; until then an hour at most passes.
    await UserModel.updateOne({ userid: 'admin1' }, { $set: { active: false } });
    expect(await refreshDeadlinePeople(new Date(now.getTime() + 60_000), { all: true })).toMatchObject({ checked: 1, written: 1 });
    expect((await sweepDue(deps, new Date(now.getTime() + 120_000))).unowned.map((u) => u.item.platformId)).toEqual(['R-7']);
    expect(lookups).toBe(0);
  });
});

describe('#deadline register backfill and repair', () => {
  it('applies open reports stored before the register and reports whose register write was lost, once', async () => {
    const open = await receive('R-8', SITE, '2026-10-12T09:00');
    const lost = await receive('R-9', SITE, '2026-10-12T09:00');
    const closed = await receive('R-10', SITE, '2026-10-12T09:00');
    // R-8 as a database older than the register holds it; R-9 transferred by a process that died before its register write.
    await DeadlineModel.deleteMany({});
    await ComplaintModel.updateOne({ _id: open.id }, { $unset: { registerDirty: 1 } });
    const { state: next } = transition(lost, { type: 'transfer' }, env('2026-10-12T10:00'));
    await ComplaintModel.updateOne({ _id: lost.id }, { $set: { state: next.state, version: next.version, dueAt: next.dueAt, answerDue: next.answerDue, registerDirty: true } });
    await ComplaintModel.updateOne({ _id: closed.id }, { $set: { state: 'closed', dueAt: null }, $unset: { registerDirty: 1 } });
    // And an entry the lost write should have cleared.
    await applyDeadlines(complaintOpenDeadlines({ ...lost, version: 0 }), []);
    expect(await register(lost)).toEqual([`transfer@${iso('2026-10-14T00:00')}`]);

    expect(await reconcileComplaintDeadlines(china('2026-10-12T11:00'))).toEqual({ applied: 2 });
    expect(await register(open)).toEqual([`transfer@${iso('2026-10-14T00:00')}`]);
    expect(await register(lost)).toEqual([`answer@${iso('2026-10-16T00:00')}`]);
    expect(await register(closed)).toEqual([]);
    expect(await ComplaintModel.countDocuments({ registerDirty: false })).toBe(2);
    // Idempotent: nothing left to do.
    expect(await reconcileComplaintDeadlines(china('2026-10-12T11:05'))).toEqual({ applied: 0 });
    expect(await DeadlineModel.countDocuments()).toBe(2);
  });

  it('is what the complaint-outbox upkeep runs, with the people of the new entries', async () => {
    await receive('R-11', SITE, '2026-10-12T09:00');
    await DeadlineModel.deleteMany({});
    await ComplaintModel.updateMany({}, { $set: { registerDirty: true } });
    const out = await deadlineRegister.maintain(china('2026-10-12T11:00'));
    expect(out).toMatchObject({ applied: 1 });
    const [only] = (await DeadlineModel.find({}).lean()).map(toRegisteredDeadline);
    expect(only).toMatchObject({ ref: 'R-11', people: { key: 'u:130123', list: [{ userid: 'sup', name: '主管', locale: 'zh-CN' }] } });
  });
});
