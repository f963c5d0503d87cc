import { chinaDateOf } from './civil-date';
import { dateOutsideWindow, eventWindow, instantOutsideWindow, planWindow } from './date-window';

const china = (local: string) => new Date(`${local}+08:00`);

describe('#date-window', () => {
  it('takes today from the China-local date of the instant', () => {
    expect(chinaDateOf(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
    expect(chinaDateOf(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
  });

  it('lets an event lie between 2000-01-01 and the end of next year', () => {
    expect(eventWindow('2026-12-02')).toEqual({ kind: 'event', from: '2000-01-01', to: '2027-12-31' });
  });

  it('lets a plan lie between today and the same day two years on, 29 February ending on the 28th', () => {
    expect(planWindow('2026-12-02')).toEqual({ kind: 'plan', from: '2026-12-02', to: '2028-12-02' });
    expect(planWindow('2028-02-29')).toEqual({ kind: 'plan', from: '2028-02-29', to: '2030-02-28' });
  });

  it.each([
    ['1900-01-01', 'date_out_of_range'],
    ['1999-12-31', 'date_out_of_range'],
    ['2000-01-01', 'ok'],
    ['2027-12-31', 'ok'],
    ['2028-01-01', 'date_out_of_range'],
    ['9999-12-31', 'date_out_of_range'],
  ])('an event dated %s (today 2026-12-02) → %s', (date, expected) => {
    expect(dateOutsideWindow('from', date, eventWindow('2026-12-02'))?.code ?? 'ok').toBe(expected);
  });

  it('names the field, the value and the bounds, for the localized message', () => {
    expect(dateOutsideWindow('start', '9999-12-25', planWindow('2026-12-02'))).toEqual({
      field: 'start',
      code: 'date_out_of_range',
      params: { field: 'start', value: '9999-12-25', from: '2026-12-02', to: '2028-12-02' },
    });
  });

  it('judges an instant by its China-local date, also past year 9999 where no date string exists', () => {
    const events = eventWindow('2026-12-02');
    expect(instantOutsideWindow('receivedAt', china('2027-12-31T23:59:59'), events, 'x')).toBeUndefined();
    expect(instantOutsideWindow('receivedAt', china('2028-01-01T00:00:00'), events, 'x')?.code).toBe('date_out_of_range');
    expect(instantOutsideWindow('receivedAt', china('1999-12-31T23:59:59'), events, 'x')?.code).toBe('date_out_of_range');
    expect(instantOutsideWindow('receivedAt', new Date('9999-12-31T23:00:00-05:00'), events, '9999-12-31T23:00:00-05:00')).toMatchObject({ params: { value: '9999-12-31T23:00:00-05:00' } });
  });
});
