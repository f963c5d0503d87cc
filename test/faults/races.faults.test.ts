import { jest } from '@jest/globals';
import { commandById } from '../../core/commands/registry';
import { runCommand } from '../../core/commands/run';
import type { DomainError } from '../../core/errors';
import type { RequestActionDTO } from '../../core/presenters/request.presenter';
import { buildCtx } from '../../lib/command-context';
import { runNoticePublish } from '../../jobs/notice-publish.job';
import { ComplaintModel } from '../../store/complaint.model';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { createDeps } from '../../lib/services';
import { NoticeAckModel } from '../../store/notice.model';
import { NotificationModel } from '../../store/notification.model';
import { RequestModel } from '../../store/request.model';
import { useTestDatabase } from '../db';
import { recordFigures } from './figures';

useTestDatabase();
jest.setTimeout(120_000);

/**
 * Every state change a person can trigger, raced 20 ways through the same command path the chat, the cards
 * and the API use: exactly one wins, the others are told why, and the stored history shows one decision.
 */
const WAYS = 20;
const china = (local: string) => new Date(`${local}:00+08:00`);
const clock = { at: china('2026-11-24T10:00'), now() { return this.at; } };
const deps = createDeps(clock);

async function run(userid: string, id: string, input: Record<string, unknown>): Promise<unknown> {
  const user = await deps.users.byUserid(userid);
  if (!user) throw new Error(`no user ${userid}`);
  return runCommand(commandById(id)!, input, buildCtx(user, 'api', deps));
}

/** Runs `attempt` WAYS times at once; answers the winners and the refusals' codes. */
async function race(
  name: string,
  attempt: (i: number) => Promise<unknown>,
  changed: (winners: unknown[]) => number = (w) => w.length,
): Promise<{ winners: unknown[]; codes: string[] }> {
  const settled = await Promise.allSettled(Array.from({ length: WAYS }, (_, i) => attempt(i)));
  const winners = settled.filter((s): s is PromiseFulfilledResult<unknown> => s.status === 'fulfilled').map((s) => s.value);
  const codes = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => (s.reason as DomainError).code ?? String(s.reason));
  recordFigures(`race: ${name}`, { raced: WAYS, winners: changed(winners), refused: codes.length });
  return { winners, codes };
}

beforeAll(async () => {
  await seedDemoIfEmpty();
});

describe('#20-way races on every state change a person can trigger', () => {
  it('file: one temporary offline per site and year is filed', async () => {
    const { winners, codes } = await race('file temporary offline', (i) =>
      run('demo.siteadmin.en', 'request.temp_offline', { site: 'swt.hebei.gov.cn', start: `2027-03-${String(i + 1).padStart(2, '0')}`, end: `2027-03-${String(i + 2).padStart(2, '0')}`, reason: 'upgrade' }),
    );
    expect(winners).toHaveLength(1);
    expect(new Set(codes)).toEqual(new Set(['temp_offline_pending']));
    expect(await RequestModel.countDocuments({ type: 'temp_offline', 'site.domain': 'swt.hebei.gov.cn' })).toBe(1);
  });

  it('approve: one decision and one audit entry', async () => {
    const filed = (await run('demo.siteadmin.en', 'request.change_record', { site: 'swt.hebei.gov.cn', personInCharge: 'Race Winner' })) as RequestActionDTO;
    const { winners } = await race('approve a request step', (i) => run(i % 2 ? 'demo.province' : 'demo.province.deputy', 'request.approve', { id: filed.request.id, comment: `ok ${i}` }));
    expect(winners).toHaveLength(1);
    const doc = (await RequestModel.findById(filed.request.id).lean())!;
    expect(doc.audit.map((a) => a.action)).toEqual(['file', 'approve']);
    expect(doc.version).toBe(1);
  });

  it('reject: one decision and one audit entry', async () => {
    const filed = (await run('demo.siteadmin', 'request.temp_offline', { site: 'www.zhengding.gov.cn', start: '2027-06-01', end: '2027-06-02', reason: '改版', justification: '集约化平台迁移，须短时停机' })) as RequestActionDTO;
    const { winners } = await race('reject a request step', (i) => run('demo.city', 'request.reject', { id: filed.request.id, comment: `不同意 ${i}` }));
    expect(winners).toHaveLength(1);
    const doc = (await RequestModel.findById(filed.request.id).lean())!;
    expect(doc.status).toBe('rejected');
    expect(doc.audit.filter((a) => a.action === 'reject')).toHaveLength(1);
  });

  it('answer: an error report is answered once', async () => {
    await run('demo.province', 'complaint.intake', {
      complaints: [{ platformId: 'RACE-1', site: 'jyj.zhengding.gov.cn', errorType: '错别字', description: '首页错字', receivedAt: '2026-11-23T09:00:00+08:00' }],
    });
    await run('demo.city', 'complaint.transfer', { ref: 'RACE-1' });
    const before = (await ComplaintModel.findOne({ platformId: 'RACE-1' }).lean())!.version;
    const { winners } = await race('answer an error report', (i) => run('demo.siteadmin', 'complaint.answer', { ref: 'RACE-1', text: `已更正 ${i}` }));
    expect(winners).toHaveLength(1);
    const doc = (await ComplaintModel.findOne({ platformId: 'RACE-1' }).lean())!;
    expect(doc.state).toBe('answered');
    expect(doc.version).toBe(before + 1); // one change: the answer
  });

  it('acknowledge: a notice is acknowledged once per recipient', async () => {
    const published = (await run('demo.county', 'notice.publish', { title: '并发确认', body: '请确认', ack: 'yes' })) as { notice: { id: string } };
    const id = published.notice.id;
    await runNoticePublish({ deps }, clock.now());
    const recipient = (await NotificationModel.findOne({ effectId: `notice:${id}`, userid: { $not: /^room:/ } }).lean())!.userid;
    // Every click is answered; the winner is the one that recorded the acknowledgement.
    const { winners } = await race('acknowledge a notice', () => run(recipient, 'notice.ack', { id }), (w) => w.filter((x) => (x as { already: boolean }).already === false).length);
    expect(winners).toHaveLength(WAYS); // acknowledging is idempotent: every click answers…
    expect(winners.filter((w) => (w as { already: boolean }).already === false)).toHaveLength(1); // …one records it
    expect(await NoticeAckModel.countDocuments({ noticeId: id })).toBe(1);
  });
});
