import { defaultCalendar } from '../calendar';
import { DomainError } from '../errors';
import { TRANSITIONS, allowed, newComplaint, transition, type MachineEnv } from './complaint.machine';
import { COMPLAINT_EVENTS, COMPLAINT_STATES, type Complaint, type ComplaintEvent, type ComplaintSite, type ComplaintState } from './complaint.types';

const calendar = defaultCalendar();
/** An instant given as China wall-clock time. */
const china = (local: string) => new Date(`${local}:00+08:00`);
const env = (local: string, by = 'someone'): MachineEnv => ({ now: china(local), calendar, by: { userid: by, name: by }, source: 'api' });

const site: ComplaintSite = { id: 's1', name: '正定县教育局网站', hostUnit: '130123-jyj', supervisingUnit: '130123', scopeUnits: ['130000', '130100', '130123', '130123-jyj'] };
const other: ComplaintSite = { id: 's2', name: '正定县人民政府', hostUnit: '130123', supervisingUnit: '130100', scopeUnits: ['130000', '130100', '130123'] };

function received(local = '2026-09-30T17:00'): Complaint {
  const fields = { platformId: 'P1', siteRef: 'jyj.zhengding.gov.cn', pageUrl: null, errorType: '错别字', description: 'typo', receivedAt: china(local) };
  return { id: 'c1', ...newComplaint(fields, site, env(local, 'import')) };
}

/** A report brought into `state` through the machine itself, so the fixtures obey the rules they test. */
function inState(state: ComplaintState): Complaint {
  if (state === 'unmatched') {
    const fields = { platformId: 'P1', siteRef: 'nowhere.gov.cn', pageUrl: null, errorType: '其他', description: 'x', receivedAt: china('2026-09-30T17:00') };
    return { id: 'c1', ...newComplaint(fields, null, env('2026-09-30T17:00', 'import')) };
  }
  const paths: Record<Exclude<ComplaintState, 'unmatched'>, ComplaintEvent[]> = {
    received: [],
    transferred: [{ type: 'transfer' }],
    answered: [{ type: 'transfer' }, { type: 'answer', text: 'fixed' }],
    untrue: [{ type: 'transfer' }, { type: 'mark_untrue', reason: 'no such page' }],
    published: [{ type: 'transfer' }, { type: 'answer', text: 'fixed' }, { type: 'publish' }],
    closed: [{ type: 'transfer' }, { type: 'answer', text: 'fixed' }, { type: 'publish' }, { type: 'close' }],
  };
  return paths[state].reduce((c, e) => transition(c, e, env('2026-10-08T10:00')).state, received());
}

const sampleEvent: Record<ComplaintEvent['type'], ComplaintEvent> = {
  assign: { type: 'assign', site: other },
  transfer: { type: 'transfer' },
  return: { type: 'return', reason: 'not our site' },
  reassign: { type: 'reassign', site: other },
  answer: { type: 'answer', text: 'fixed the typo' },
  mark_untrue: { type: 'mark_untrue', reason: 'the page is correct' },
  publish: { type: 'publish' },
  close: { type: 'close' },
  reopen: { type: 'reopen', reason: 'still wrong' },
};

describe('#complaint.machine', () => {
  describe('every state × event', () => {
    const cases = COMPLAINT_STATES.flatMap((state) => COMPLAINT_EVENTS.map((event) => [state, event, TRANSITIONS[event][state] ?? null] as const));
    it.each(cases)('%s + %s → %s', (state, event, expected) => {
      const c = inState(state);
      expect(c.state).toBe(state);
      const run = () => transition(c, sampleEvent[event], env('2026-10-09T09:00', 'actor'));
      if (expected === null) {
        expect(allowed(state, event)).toBe(false);
        expect(run).toThrow(expect.objectContaining({ code: 'complaint_bad_transition', status: 409 }) as unknown as Error);
        return;
      }
      const { state: next } = run();
      expect(next.state).toBe(expected);
      expect(next.version).toBe(c.version + 1);
      expect(next.history.at(-1)).toMatchObject({ action: event, from: state, to: expected, by: { userid: 'actor' } });
      // The running deadline exists exactly while the report waits for someone.
      expect(next.dueAt === null).toBe(!['unmatched', 'received', 'transferred'].includes(expected));
    });
  });

  describe('deadlines on the real calendar (art. 35)', () => {
    it('gives a report received 2026-09-30 17:00 until the end of 2026-10-08 to be transferred', () => {
      const c = received('2026-09-30T17:00');
      expect(c.transferDue).toEqual({ dueDate: '2026-10-08', dueAt: china('2026-10-09T00:00'), provisional: false });
      expect(c.dueAt).toEqual(china('2026-10-09T00:00'));
    });

    it('gives a report transferred on 2026-10-08 until the end of 2026-10-12 to be answered, counting the make-up Saturday', () => {
      const { state: next } = transition(received(), { type: 'transfer' }, env('2026-10-08T16:30', 'demo.county'));
      expect(next.transferOnTime).toBe(true);
      expect(next.answerDue).toEqual({ dueDate: '2026-10-12', dueAt: china('2026-10-13T00:00'), provisional: false });
      const answered = transition(next, { type: 'answer', text: 'fixed' }, env('2026-10-12T23:59', 'demo.siteadmin')).state;
      expect(answered.answerOnTime).toBe(true);
      expect(answered.dueAt).toBeNull();
    });

    it('marks a transfer made after the end of the due day as late', () => {
      const { state: next } = transition(received(), { type: 'transfer' }, env('2026-10-09T00:00'));
      expect(next.transferOnTime).toBe(false);
    });

    it('measures the handling time in working days, holidays not counted', () => {
      const t = transition(received('2026-09-30T12:00'), { type: 'transfer' }, env('2026-10-08T09:00')).state;
      const a = transition(t, { type: 'answer', text: 'ok' }, env('2026-10-08T12:00')).state;
      // 09-30 12:00–24:00 is half a working day, 10-01..10-07 are off, 10-08 00:00–12:00 is another half.
      expect(a.handlingDays).toBeCloseTo(1, 5);
    });

    it('flags a deadline in a year without an official schedule as provisional', () => {
      const fields = { platformId: 'P9', siteRef: 'x', pageUrl: null, errorType: '其他', description: 'x', receivedAt: new Date('2099-03-02T02:00:00Z') };
      const c = newComplaint(fields, site, env('2099-03-02T10:00', 'import'));
      expect(c.transferDue?.provisional).toBe(true);
    });
  });

  describe('effects and audit', () => {
    it('tells the site admins on transfer, keyed so a dispatcher runs it once', () => {
      const { state: next, effects } = transition(received(), { type: 'transfer' }, env('2026-10-08T10:00'));
      expect(effects).toEqual([expect.objectContaining({ id: 'P1:1:0', kind: 'notify', payload: expect.objectContaining({ to: { kind: 'site_admins', siteId: 's1' }, message: 'complaint_notify.transferred' }), status: 'pending' })]);
      expect(next.outbox.map((e) => e.id)).toEqual(['P1:0:0', 'P1:1:0']);
    });

    it('sends an unmatched report to the province admins and restarts the transfer day on assignment', () => {
      const c = inState('unmatched');
      expect(c.outbox[0]!.payload.to).toEqual({ kind: 'province_admins' });
      const { state: next } = transition(c, { type: 'assign', site }, env('2026-10-12T09:00', 'demo.province'));
      expect(next.site?.id).toBe('s1');
      expect(next.transferDue?.dueDate).toBe('2026-10-13');
    });

    it('refuses to re-assign a report to the site it already has', () => {
      expect(() => transition(received(), { type: 'reassign', site }, env('2026-10-08T10:00'))).toThrow(DomainError);
    });

    it('reopening clears the answer but the audit trail keeps it', () => {
      const closed = inState('closed');
      const { state: next } = transition(closed, { type: 'reopen', reason: 'still wrong' }, env('2026-10-12T09:00'));
      expect(next.answer).toBeNull();
      expect(next.history.map((h) => h.action)).toEqual(['created', 'transfer', 'answer', 'publish', 'close', 'reopen']);
      expect(next.history.find((h) => h.action === 'answer')?.comment).toBe('fixed');
      expect(next.answerDue?.dueDate).toBe('2026-10-15');
    });
  });
});
