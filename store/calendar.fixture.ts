import type { YearScheduleFile } from '../core/calendar';

/** A 2027 arrangement as an operator would type it from the State Council notice (dates illustrative). */
export const schedule2027: YearScheduleFile = {
  year: 2027,
  holidays: [
    '2027-01-01', '2027-01-02', '2027-01-03',
    '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12', '2027-02-13',
    '2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07',
  ],
  makeupWorkdays: ['2027-02-20', '2027-09-26', '2027-10-09'],
  note: '国办发明电〔2026〕x号 (test data)',
};
