import { commandById } from '../core/commands/registry';
import { runCommand } from '../core/commands/run';
import { DomainError } from '../core/errors';
import type { RequestActionDTO } from '../core/presenters/request.presenter';
import { quotaSlotsOf, slotChanges } from '../core/requests/quota-slots';
import { buildCtx } from '../lib/command-context';
import { useTestDatabase } from '../test/db';
import { seedDemoIfEmpty } from './demo/seed-demo';
import { createDeps } from '../lib/services';
import { QuotaSlotModel, SLOT_IN_PROGRESS_MS } from './quota-slot.model';
import { RequestModel } from './request.model';

useTestDatabase();

const now = new Date('2027-04-01T02:00:00Z');
const deps = createDeps({ now: () => now });
const SITE = 'swt.hebei.gov.cn'; // one approval step (the province)

async function run(userid: string, commandId: string, input: Record<string, unknown>): Promise<RequestActionDTO> {
  const user = await deps.users.byUserid(userid);
  if (!user) throw new Error(`no user ${userid}`);
  return (await runCommand(commandById(commandId)!, input, buildCtx(user, 'api', deps))) as RequestActionDTO;
}

const codeOfRejection = (r: PromiseSettledResult<unknown>) => (r.status === 'rejected' ? ((r.reason as DomainError).code ?? String(r.reason)) : 'ok');

beforeAll(async () => {
  await seedDemoIfEmpty();
});

describe('#art. 14 quota slots (pure)', () => {
  const base = { type: 'temp_offline' as const, site: { id: 'S1' }, year: 2027 };
  it('gives an undecided temporary offline the open slot and an approved one the approved slot, per site and year', () => {
    expect(quotaSlotsOf({ ...base, status: 'reviewing' })).toEqual([{ key: 'temp_offline:open:S1:2027', kind: 'open', site: 'S1', year: 2027 }]);
    expect(quotaSlotsOf({ ...base, status: 'returned' })[0]?.kind).toBe('open');
    for (const status of ['scheduled', 'offline', 'completed'] as const) expect(quotaSlotsOf({ ...base, status })[0]?.key).toBe('temp_offline:approved:S1:2027');
    for (const status of ['rejected', 'withdrawn'] as const) expect(quotaSlotsOf({ ...base, status })).toEqual([]);
    expect(quotaSlotsOf({ ...base, type: 'emergency_shutdown', status: 'reviewing' })).toEqual([]);
  });
  it('claims what the next state holds and frees what it no longer does', () => {
    const open = quotaSlotsOf({ ...base, status: 'reviewing' });
    const approved = quotaSlotsOf({ ...base, status: 'scheduled' });
    expect(slotChanges(open, approved)).toEqual({ claim: approved, free: open });
    expect(slotChanges(open, open)).toEqual({ claim: [], free: [] });
  });
});

describe('#art. 14 under concurrency', () => {
  beforeEach(async () => {
    await RequestModel.deleteMany({ type: 'temp_offline' });
    await QuotaSlotModel.deleteMany({});
  });

  it('files exactly one of 20 concurrent temporary offlines for one site and year', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => run('demo.siteadmin.en', 'request.temp_offline', { site: SITE, start: `2027-06-${String(i + 1).padStart(2, '0')}`, end: `2027-06-${String(i + 2).padStart(2, '0')}`, reason: `upgrade ${i}` })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(new Set(results.filter((r) => r.status === 'rejected').map(codeOfRejection))).toEqual(new Set(['temp_offline_pending']));
    expect(await RequestModel.countDocuments({ type: 'temp_offline', status: 'reviewing' })).toBe(1);
    expect(await QuotaSlotModel.countDocuments({})).toBe(1);
  });

  it('approves exactly one of two undecided requests of one site and year raced by 20 approvals (data from before the slots)', async () => {
    const first = await run('demo.siteadmin.en', 'request.temp_offline', { site: SITE, start: '2027-07-01', end: '2027-07-02', reason: 'upgrade' });
    // A second undecided request of the same year, as a database written before the slots could hold.
    const doc = await RequestModel.findById(first.request.id).lean();
    await RequestModel.create({ ...doc!, _id: 'R2027-9999', payload: { ...doc!.payload, start: '2027-08-01', end: '2027-08-02' } });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => run(i % 2 ? 'demo.province' : 'demo.province.deputy', 'request.approve', { id: i % 4 < 2 ? first.request.id : 'R2027-9999' })),
    );
    expect(await RequestModel.countDocuments({ type: 'temp_offline', status: 'scheduled' })).toBe(1);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(new Set(results.map(codeOfRejection))).toContain('temp_offline_quota_used');
    const approvals = (await RequestModel.find({ type: 'temp_offline' }).lean()).flatMap((r) => r.audit.filter((a) => a.action === 'approve'));
    expect(approvals).toHaveLength(1);
  });

  it('frees the open slot when a request is withdrawn, so the site may file again', async () => {
    const first = await run('demo.siteadmin.en', 'request.temp_offline', { site: SITE, start: '2027-09-01', end: '2027-09-02', reason: 'upgrade' });
    await run('demo.siteadmin.en', 'request.withdraw', { id: first.request.id });
    expect(await QuotaSlotModel.countDocuments({})).toBe(0);
    await expect(run('demo.siteadmin.en', 'request.temp_offline', { site: SITE, start: '2027-09-03', end: '2027-09-04', reason: 'upgrade' })).resolves.toBeDefined();
  });

  it('takes over a slot left by a writer that stopped before its request was stored, once it is stale', async () => {
    await QuotaSlotModel.create({ _id: 'temp_offline:open:' + (await deps.sites.findByRef(SITE))!.id + ':2027', requestId: 'R2027-8888', at: new Date(now.getTime() - 1000) });
    const fresh = run('demo.siteadmin.en', 'request.temp_offline', { site: SITE, start: '2027-10-01', end: '2027-10-02', reason: 'upgrade' });
    await expect(fresh).rejects.toMatchObject({ code: 'temp_offline_pending', params: expect.objectContaining({ other: 'R2027-8888' }) });
    await QuotaSlotModel.updateMany({}, { $set: { at: new Date(now.getTime() - SLOT_IN_PROGRESS_MS - 1000) } });
    const filed = await run('demo.siteadmin.en', 'request.temp_offline', { site: SITE, start: '2027-10-01', end: '2027-10-02', reason: 'upgrade' });
    expect(await QuotaSlotModel.findOne({}).lean()).toMatchObject({ requestId: filed.request.id });
  });
});
