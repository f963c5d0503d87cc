import { defaultCalendar } from './calendar';
import { newComplaint, transition } from './complaints/complaint.machine';
import type { ComplaintSite } from './complaints/complaint.types';
import { keyEffects, pendingEffects, type Effect } from './effects';
import { withIds } from './requests/machines';

const china = (local: string) => new Date(`${local}:00+08:00`);

describe('#effects one shape for every workflow', () => {
  it('keys the effects of one write by document, version and index, pending', () => {
    const specs = [
      { kind: 'notify' as const, payload: { to: 'x', message: 'm' } },
      { kind: 'schedule' as const, payload: { at: 1 } },
    ];
    expect(keyEffects('R2027-0001', 3, specs)).toEqual([
      { kind: 'notify', payload: { to: 'x', message: 'm' }, id: 'R2027-0001:3:0', status: 'pending' },
      { kind: 'schedule', payload: { at: 1 }, id: 'R2027-0001:3:1', status: 'pending' },
    ]);
  });

  it('lists what a dispatcher still has to run, with each one’s place in the stored list', () => {
    const stored: Effect[] = [
      { id: 'a:0:0', kind: 'notify', payload: {}, status: 'done', doneAt: new Date(0) },
      { id: 'a:1:0', kind: 'notify', payload: {}, status: 'pending' },
      { id: 'a:1:1', kind: 'notify', payload: {}, status: 'failed', error: 'gone' },
    ];
    expect(pendingEffects(stored).map(({ effect, index }) => [effect.id, index])).toEqual([['a:1:0', 1]]);
  });

  it('is what requests and error reports both write: the same envelope and the same notify', () => {
    const request = withIds('R2027-0001', 0, [{ kind: 'notify', payload: { to: { userids: ['u1'] }, message: 'approved' } }]);
    const site: ComplaintSite = { id: 's1', name: '正定县教育局网站', hostUnit: '130123-jyj', supervisingUnit: '130123', scopeUnits: ['130123'] };
    const env = { now: china('2026-10-08T10:00'), calendar: defaultCalendar(), by: { userid: 'u2', name: '王芳' }, source: 'api' };
    const fields = { platformId: 'P1', siteRef: 'jyj.zhengding.gov.cn', pageUrl: null, errorType: '错别字', description: 'typo', receivedAt: env.now };
    const { effects: complaint } = transition({ id: 'c1', ...newComplaint(fields, site, env) }, { type: 'transfer' }, env);
    const shape = (e: Effect) => ({ keys: Object.keys(e).sort(), payload: Object.keys(e.payload as object).sort() });
    expect(shape(complaint[0]!)).toEqual({ keys: ['id', 'kind', 'payload', 'status'], payload: ['message', 'params', 'to'] });
    expect(shape(request[0]!).keys).toEqual(shape(complaint[0]!).keys);
    expect(complaint[0]).toMatchObject({ id: 'P1:1:0', kind: 'notify', status: 'pending' });
    expect(request[0]).toMatchObject({ id: 'R2027-0001:0:0', kind: 'notify', status: 'pending' });
  });
});
