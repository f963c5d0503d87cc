import { commandById } from '../core/commands/registry';
import { runCommand } from '../core/commands/run';
import type { Deps } from '../core/ports';
import { buildCtx } from '../lib/command-context';
import { createDeps } from '../lib/services';
import { useTestDatabase } from '../test/db';
import { dispatchComplaintEffects } from './complaint-effects';
import { ComplaintModel } from './complaint.model';
import { readComplaintEffect, readComplaintEntry, UNRECORDED_SOURCE, type LegacyComplaintEffect, type LegacyComplaintEntry } from './complaint.stored';
import { seedDemoIfEmpty } from './demo/seed-demo';
import { importComplaintsFile } from './import/complaint-import';
import { NotificationModel } from './notification.model';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

useTestDatabase();

const china = (local: string) => new Date(`${local}:00+08:00`);

describe('#complaint.stored readers (shapes written before the one effect and the one audit entry)', () => {
  const at = china('2026-10-08T10:00');
  const old: LegacyComplaintEffect = { id: 'P1:1:0', kind: 'notify', audience: { kind: 'site_admins', siteId: 's1' }, template: 'complaint_notify.transferred', params: { platformId: 'P1' }, createdAt: at, doneAt: null };

  it('reads an old pending effect as the one Effect shape', () => {
    expect(readComplaintEffect(old)).toEqual({ id: 'P1:1:0', kind: 'notify', payload: { to: { kind: 'site_admins', siteId: 's1' }, message: 'complaint_notify.transferred', params: { platformId: 'P1' } }, status: 'pending' });
  });

  it('reads an old effect done (by its doneAt, or by the status a dispatcher set in place) as done', () => {
    expect(readComplaintEffect({ ...old, doneAt: at })).toMatchObject({ status: 'done', doneAt: at });
    expect(readComplaintEffect({ ...old, status: 'done', doneAt: at })).toMatchObject({ status: 'done', doneAt: at });
  });

  it('leaves an effect in the one shape as it is', () => {
    const now = { id: 'P1:1:0', kind: 'notify' as const, payload: { to: { kind: 'province_admins' as const }, message: 'complaint_notify.unmatched' }, status: 'pending' as const };
    expect(readComplaintEffect(now)).toBe(now);
  });

  it('reads an old history line as the one AuditEntry: the userid stands for the name, the channel is unrecorded', () => {
    const line: LegacyComplaintEntry = { at, by: 'demo.county', event: 'transfer', from: 'received', to: 'transferred', note: '请核实' };
    expect(readComplaintEntry(line)).toEqual({ at, by: { userid: 'demo.county', name: 'demo.county' }, source: UNRECORDED_SOURCE, action: 'transfer', from: 'received', to: 'transferred', comment: '请核实' });
    expect(readComplaintEntry({ ...line, note: null })).not.toHaveProperty('comment');
    const entry = { at, by: { userid: 'u', name: '王芳' }, source: 'api', action: 'answer' as const, from: 'transferred' as const, to: 'answered' as const };
    expect(readComplaintEntry(entry)).toBe(entry);
  });
});

describe('#complaint.stored a report written in the old shape, through the real database', () => {
  const clock = { at: china('2026-10-08T10:00'), now() { return this.at; } };
  let deps: Deps;

  beforeAll(async () => {
    await seedDemoIfEmpty();
    deps = createDeps(clock);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'complaints-old-'));
    await writeFile(path.join(dir, 'one.csv'), ['问题编号,网站标识码,网页地址,错误类型,问题描述,提交时间', 'ZC-OLD-1,1301230002,,错别字,旧格式,2026-10-08 09:00'].join('\n'));
    await importComplaintsFile(deps, path.join(dir, 'one.csv'), { now: clock.now() });
  });

  const run = async (userid: string, id: string, input: Record<string, unknown>) =>
    runCommand(commandById(id)!, input, buildCtx((await deps.users.byUserid(userid))!, 'api', deps)) as Promise<Record<string, unknown>>;

  it('is read, dispatched once and rewritten in the new shape by its next write', async () => {
    await run('demo.county', 'complaint.transfer', { ref: 'ZC-OLD-1', note: '请核实' });
    const stored = (await ComplaintModel.findOne({ platformId: 'ZC-OLD-1' }).lean())!;
    const siteId = stored.siteId!;
    // Put it back the way the code before the one shapes wrote it: bare userids, `event`/`note`, `doneAt: null`.
    const t0 = china('2026-10-08T09:00');
    await ComplaintModel.collection.updateOne(
      { _id: stored._id },
      {
        $set: {
          history: [
            { at: t0, by: 'import', event: 'created', from: null, to: 'received', note: null },
            { at: clock.now(), by: 'demo.county', event: 'transfer', from: 'received', to: 'transferred', note: '请核实' },
          ],
          outbox: [
            { id: 'ZC-OLD-1:0:0', kind: 'notify', audience: { kind: 'supervisors', unitCode: '130123' }, template: 'complaint_notify.received', params: { platformId: 'ZC-OLD-1' }, createdAt: t0, doneAt: t0 },
            { id: 'ZC-OLD-1:1:0', kind: 'notify', audience: { kind: 'site_admins', siteId }, template: 'complaint_notify.transferred', params: { platformId: 'ZC-OLD-1', dueDate: '2026-10-13' }, createdAt: clock.now(), doneAt: null },
          ],
          pendingEffects: 1,
        },
      },
    );
    await NotificationModel.deleteMany({ effectId: /^complaint:ZC-OLD-1:/ });

    // Read: the one audit entry and the one effect shape.
    const read = (await deps.complaints.byRef('ZC-OLD-1'))!;
    expect(read.history.map((h) => [h.by.userid, h.action, h.comment ?? null])).toEqual([['import', 'created', null], ['demo.county', 'transfer', '请核实']]);
    expect(read.outbox.map((e) => [e.id, e.status, e.payload.message])).toEqual([['ZC-OLD-1:0:0', 'done', 'complaint_notify.received'], ['ZC-OLD-1:1:0', 'pending', 'complaint_notify.transferred']]);
    // The timeline reads as before: the userid, today's name, the event and the note.
    const shown = (await run('demo.county', 'complaint.show', { ref: 'ZC-OLD-1' })).complaint as { timeline: { by: string; byName: string | null; event: string; note: string | null }[] };
    const county = (await deps.users.byUserid('demo.county'))!;
    expect(shown.timeline.map((e) => [e.by, e.byName, e.event, e.note])).toEqual([['import', null, 'created', null], ['demo.county', county.name, 'transfer', '请核实']]);

    // Dispatched: the pending old effect reaches the site admin once, and is marked done.
    await dispatchComplaintEffects(deps, clock.now());
    await dispatchComplaintEffects(deps, clock.now());
    const sent = await NotificationModel.find({ effectId: 'complaint:ZC-OLD-1:1:0' }).lean();
    expect(sent.map((n) => [n.userid, n.template])).toEqual([['demo.siteadmin', 'bot:complaint_notify.transferred']]);
    expect((await NotificationModel.countDocuments({ effectId: 'complaint:ZC-OLD-1:0:0' }))).toBe(0);
    expect((await deps.complaints.byRef('ZC-OLD-1'))!.outbox.map((e) => e.status)).toEqual(['done', 'done']);

    // The next write stores the whole report in the new shape.
    await run('demo.siteadmin', 'complaint.answer', { ref: 'ZC-OLD-1', text: '已改正' });
    const raw = (await ComplaintModel.collection.findOne({ platformId: 'ZC-OLD-1' }))!;
    expect(raw.history.every((h: { by: unknown; action?: string }) => typeof h.by === 'object' && typeof h.action === 'string')).toBe(true);
    expect(raw.history.at(-1)).toMatchObject({ by: { userid: 'demo.siteadmin' }, source: 'api', action: 'answer', comment: '已改正' });
    expect(raw.outbox.every((e: { payload?: unknown; status?: string }) => e.payload !== undefined && e.status !== undefined)).toBe(true);
    expect(raw.outbox.map((e: { status: string }) => e.status)).toEqual(['done', 'done', 'pending']);
    expect(raw.pendingEffects).toBe(1);
  });
});
