import { formatDateLong, readDateWords } from './date-words';

/** 10:00 China time on a day (UTC+8). */
const at = (date: string, hhmm = '10:00') => new Date(`${date}T${hhmm}:00+08:00`);

describe('#dates in words: what a typed date means (China time, relative to the clock)', () => {
  // 2026-12-02 is a Wednesday.
  const now = at('2026-12-02');
  it.each([
    ['2027-03-01', '2027-03-01'],
    ['2027/3/1', '2027-03-01'],
    ['2027年3月1日', '2027-03-01'],
    ['3月1日', '2027-03-01'],
    ['3月1号', '2027-03-01'],
    ['三月一日', '2027-03-01'],
    ['下周一', '2026-12-07'],
    ['下星期一', '2026-12-07'],
    ['明天', '2026-12-03'],
    ['后天', '2026-12-04'],
    ['今天', '2026-12-02'],
    ['周五', '2026-12-04'],
    ['March 1', '2027-03-01'],
    ['1 March 2027', '2027-03-01'],
    ['next Monday', '2026-12-07'],
    ['tomorrow', '2026-12-03'],
    ['  明天。 ', '2026-12-03'],
  ])('%s → %s', (words, date) => {
    expect(readDateWords(words, now)).toBe(date);
  });

  it.each(['', '系统升级', '明天系统升级', '2027-02-30', '2027-13-01', '3月', 'March', 'hello', '1'])('%s is not a date', (words) => {
    expect(readDateWords(words, now)).toBeUndefined();
  });

  it.each([
    // Year ends: a date without a year is the next one to come.
    ['2026-12-30', '1月2日', '2027-01-02'],
    ['2026-12-30', 'Jan 2', '2027-01-02'],
    ['2026-12-30', '12月31日', '2026-12-31'],
    ['2026-12-31', '明天', '2027-01-01'],
    ['2026-12-31', '下周一', '2027-01-04'],
  ])('on %s, %s → %s', (today, words, date) => {
    expect(readDateWords(words, at(today))).toBe(date);
  });

  it('reads "today" in China time whatever the host says: 01:00 on 1 January in Beijing is 31 December in UTC, and 明天 at 01:00 is the next calendar day', () => {
    const earlyNewYear = at('2027-01-01', '01:00');
    expect(readDateWords('明天', earlyNewYear)).toBe('2027-01-02');
    expect(readDateWords('today', earlyNewYear)).toBe('2027-01-01');
    const lateNight = at('2026-12-31', '23:30');
    expect(readDateWords('明天', lateNight)).toBe('2027-01-01');
  });
});

describe('#dates in words: the full date echoed back', () => {
  it.each([
    ['2027-03-01', 'zh-CN', '2027年3月1日（星期一）'],
    ['2027-03-01', 'en', 'Monday, 1 March 2027'],
    ['2026-12-07', 'zh-CN', '2026年12月7日（星期一）'],
    ['2027-01-02', 'en', 'Saturday, 2 January 2027'],
  ] as const)('%s in %s → %s', (date, lng, text) => {
    expect(formatDateLong(date, lng)).toBe(text);
  });
});
