import type { RequestRecord } from '../requests/types';
import { outageCoverOf } from '../requests/outage-cover';
import { decideOutage, downRunOf, outageAlertIntents, vetoAlertIntents } from './alerts';
import type { ProbeResult } from './inspection.types';
import { DEFAULT_INSPECTION_SETTINGS } from './inspection.types';
import { defaultOffsetMinutes, dueSlots, parseProbeSlot, planProbes, probeSlotId } from './probe-plan';

const china = (local: string) => new Date(`${local}:00+08:00`);
const settings = DEFAULT_INSPECTION_SETTINGS;

/** Probes every 72 minutes ending at `last`, outcomes given oldest first. */
function run(last: string, outcomes: ('ok' | 'x')[]): ProbeResult[] {
  const end = china(last).getTime();
  return outcomes.map((o, i) => ({ siteId: 's', url: 'https://www.x.gov.cn/', at: new Date(end - (outcomes.length - 1 - i) * 72 * 60_000), outcome: o === 'ok' ? 'ok' : 'refused', totalMs: 1 }));
}

function request(type: 'temp_offline' | 'emergency_shutdown', status: string, start: string, end: string, flags: Record<string, unknown> = {}): RequestRecord {
  return { id: `R-${type}-${status}`, type, status, payload: { start, end }, flags } as unknown as RequestRecord;
}

describe('#inspection probe plan', () => {
  it('spaces 20 probes a day 72 minutes apart from the site\'s offset, in China time', () => {
    const slots = planProbes({ probesPerDay: 20, offsetMinutes: 5 }, '2026-12-02');
    expect(slots).toHaveLength(20);
    expect(slots[0]).toEqual(china('2026-12-02T00:05'));
    expect(slots[1]).toEqual(china('2026-12-02T01:17'));
    expect(slots[19]).toEqual(china('2026-12-02T22:53'));
    // An offset past one interval folds into it: every slot stays in its day.
    expect(planProbes({ probesPerDay: 20, offsetMinutes: 77 }, '2026-12-02')[0]).toEqual(china('2026-12-02T00:05'));
  });

  it('derives a stable default offset from the site id, within one interval', () => {
    const a = defaultOffsetMinutes('64f0c0ffee0000000000000a', 20);
    expect(a).toBe(defaultOffsetMinutes('64f0c0ffee0000000000000a', 20));
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).toBeLessThan(72);
    const spread = new Set(Array.from({ length: 200 }, (_, i) => defaultOffsetMinutes(`site${i}`, 20)));
    expect(spread.size).toBeGreaterThan(50);
  });

  it('finds the slots due in a run\'s window, across midnight, and names each slot once', () => {
    const p = { probesPerDay: 20, offsetMinutes: 5 };
    expect(dueSlots(p, china('2026-12-01T22:50'), china('2026-12-02T00:05'))).toEqual([china('2026-12-01T22:53'), china('2026-12-02T00:05')]);
    expect(dueSlots(p, china('2026-12-02T00:05'), china('2026-12-02T01:00'))).toEqual([]);
    const id = probeSlotId('64f0', china('2026-12-02T00:05'));
    expect(parseProbeSlot(id)).toEqual({ siteId: '64f0', at: china('2026-12-02T00:05') });
  });
});

describe('#inspection outage alerts', () => {
  const now = china('2026-12-02T10:00');
  const online = { status: 'online' as const, now, settings };

  it('finds the current run of failures and the last success before it', () => {
    expect(downRunOf(run('2026-12-02T10:00', ['x', 'ok', 'x', 'x']))).toEqual({ since: china('2026-12-02T08:48'), lastAt: china('2026-12-02T10:00'), failed: 2, lastOk: china('2026-12-02T07:36') });
    expect(downRunOf(run('2026-12-02T10:00', ['x', 'ok']))).toBeUndefined();
    expect(downRunOf([])).toBeUndefined();
  });

  it.each([
    ['down 144 min, uncovered', ['ok', 'x', 'x', 'x'], 'suspected_unapproved_shutdown'],
    ['down 72 min (under 2 hours)', ['ok', 'ok', 'x', 'x'], undefined],
    ['one failed probe', ['ok', 'ok', 'ok', 'x'], undefined],
    ['back up', ['x', 'x', 'x', 'ok'], undefined],
  ] as const)('%s → %s', (_n, outcomes, kind) => {
    const decision = decideOutage({ ...online, run: downRunOf(run('2026-12-02T10:00', [...outcomes])), cover: {} });
    expect(decision?.kind).toBe(kind);
  });

  it('says nothing while an approved window or a filed emergency shutdown covers now, nor for a site the registry has offline', () => {
    const down = downRunOf(run('2026-12-02T10:00', ['x', 'x', 'x', 'x']));
    expect(decideOutage({ ...online, run: down, cover: { covering: { requestId: 'R1', type: 'temp_offline' } } })).toBeUndefined();
    expect(decideOutage({ ...online, run: down, cover: { covering: { requestId: 'R2', type: 'emergency_shutdown' } } })).toBeUndefined();
    expect(decideOutage({ ...online, status: 'temp_offline', run: down, cover: {} })).toBeUndefined();
  });

  it('says 超期未恢复上线 once the window has been over `downAlertMinutes` with no probe passing since its end', () => {
    const down = downRunOf(run('2026-12-02T10:00', ['x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x']));
    const ended = { requestId: 'R9', endedAt: china('2026-12-02T00:00') };
    expect(decideOutage({ ...online, status: 'temp_offline', run: down, cover: { ended } })).toMatchObject({ kind: 'not_restored_after_window', episode: 'R9', requestId: 'R9' });
    expect(decideOutage({ ...online, now: china('2026-12-02T01:59'), status: 'temp_offline', run: downRunOf(run('2026-12-02T01:26', ['x', 'x'])), cover: { ended } })).toBeUndefined();
    // It came back after the window and went down later: a new outage, judged as such.
    const later = downRunOf(run('2026-12-02T10:00', ['ok', 'x', 'x', 'x']));
    expect(decideOutage({ ...online, run: later, cover: { ended } })?.kind).toBe('suspected_unapproved_shutdown');
  });

  it('reads the cover from the site\'s requests', () => {
    const at = china('2026-12-02T10:00');
    expect(outageCoverOf([request('temp_offline', 'offline', '2026-12-01', '2026-12-02')], at)).toEqual({ covering: { requestId: 'R-temp_offline-offline', type: 'temp_offline' } });
    expect(outageCoverOf([request('temp_offline', 'reviewing', '2026-12-01', '2026-12-02')], at)).toEqual({});
    expect(outageCoverOf([request('temp_offline', 'offline', '2026-11-20', '2026-12-01')], at)).toEqual({ ended: { requestId: 'R-temp_offline-offline', endedAt: china('2026-12-02T00:00') } });
    expect(outageCoverOf([request('emergency_shutdown', 'reviewing', '2026-12-02', '2026-12-03')], at).covering?.type).toBe('emergency_shutdown');
    expect(outageCoverOf([request('emergency_shutdown', 'acknowledged', '2026-11-02', '2026-11-03')], at).covering?.type).toBe('emergency_shutdown');
    expect(outageCoverOf([request('emergency_shutdown', 'acknowledged', '2026-11-02', '2026-11-03', { backOnline: true })], at)).toEqual({});
    expect(outageCoverOf([request('emergency_shutdown', 'withdrawn', '2026-12-02', '2026-12-03')], at)).toEqual({});
  });

  it('keys each alert by site, kind and episode, and each veto risk by site, reason and day', () => {
    const site = { id: 's1', name: '正定县人民政府', code: '1301230001', domains: ['www.zhengding.gov.cn'] };
    const people = [
      { userid: 'a', name: 'A', locale: 'zh-CN' },
      { userid: 'a', name: 'A', locale: 'zh-CN' },
      { userid: 'b', name: 'B', locale: 'en' },
    ];
    const alerts = outageAlertIntents(site, { kind: 'suspected_unapproved_shutdown', episode: '2026-12-02T00:00:00.000Z', since: china('2026-12-02T08:00') }, people, now);
    expect(alerts.map((a) => [a.userid, a.key, a.kind])).toEqual([
      ['a', 'inspection:suspected_unapproved_shutdown:s1:2026-12-02T00:00:00.000Z', 'escalation'],
      ['b', 'inspection:suspected_unapproved_shutdown:s1:2026-12-02T00:00:00.000Z', 'escalation'],
    ]);
    expect(alerts[0]!.params).toMatchObject({ site: '正定县人民政府', ref: '1301230001', since: '2026-12-02 08:00', hours: '2', today: '2026-12-02' });
    const report = { veto: ['homepage_stale', 'columns_blank'] as const, availability: { today: { probes: 0, failed: 0, ratio: 0 }, week: { probes: 0, failed: 0, ratio: 0 }, veto: false }, homepage: { url: '', daysSince: 20, stale: true }, columns: [] };
    const veto = vetoAlertIntents(site, { ...report, veto: [...report.veto] }, people.slice(0, 1), now);
    expect(veto.map((v) => [v.key, v.params.detail])).toEqual([
      ['inspection:veto_risk:s1:homepage_stale:2026-12-02', '20'],
      ['inspection:veto_risk:s1:columns_blank:2026-12-02', '0'],
    ]);
  });
});
