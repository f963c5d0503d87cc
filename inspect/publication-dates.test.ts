import { chinaDay, datesInText, metaDate, newest } from './publication-dates';

const now = new Date('2026-12-02T04:00:00Z'); // 12:00 in China

describe('#publication dates', () => {
  it('reads the full forms these pages print', () => {
    expect(datesInText('关于做好冬季供暖的通知 2026-11-30', now)).toEqual(['2026-11-30']);
    expect(datesInText('发布时间：2026年11月3日 09:12', now)).toEqual(['2026-11-03']);
    expect(datesInText('2026/11/30 2026.11.29', now)).toEqual(['2026-11-30', '2026-11-29']);
    expect(datesInText('2026 年 1 月 5 日', now)).toEqual(['2026-01-05']);
  });

  it('reads short list dates with the year of the latest such day not after today', () => {
    expect(datesInText('县政府召开常务会议 [11-30]', now)).toEqual(['2026-11-30']);
    expect(datesInText('（11-28）', now)).toEqual(['2026-11-28']);
    expect(datesInText('11月27日', now)).toEqual(['2026-11-27']);
    // Across a year end: on 2027-01-03 an item dated [12-30] is from 2026.
    const newYear = new Date('2027-01-03T02:00:00Z');
    expect(datesInText('[12-30]', newYear)).toEqual(['2026-12-30']);
    expect(datesInText('[01-02]', newYear)).toEqual(['2027-01-02']);
    expect(datesInText('【12月31日】', newYear)).toEqual(['2026-12-31']);
  });

  it('reads a bare MM-DD only at the end of a list item, when asked', () => {
    expect(datesInText('通知 11-30', now, { bareShortAtEnd: true })).toEqual(['2026-11-30']);
    expect(datesInText('通知 11-30', now)).toEqual([]);
    expect(datesInText('电话 0311-88012345', now, { bareShortAtEnd: true })).toEqual([]);
  });

  it('ignores impossible dates, dates after tomorrow, and digits that are something else', () => {
    expect(datesInText('2026-02-30', now)).toEqual([]);
    expect(datesInText('2026-13-01', now)).toEqual([]);
    expect(datesInText('会议定于2026年12月20日召开', now)).toEqual([]);
    expect(datesInText('2026-12-03', now)).toEqual(['2026-12-03']); // tomorrow: a clock a little ahead
    expect(datesInText('冀ICP备05003216号 13012302000001', now)).toEqual([]);
    // The short pattern does not read 11-30 out of a full date again.
    expect(datesInText('2025-11-30', now)).toEqual(['2025-11-30']);
  });

  it('reads a PubDate meta and takes the newest date', () => {
    expect(metaDate('2026-11-30 10:21', now)).toBe('2026-11-30');
    expect(metaDate('', now)).toBeUndefined();
    expect(newest(['2026-01-01', undefined, '2026-11-30', '2025-12-31'])).toBe('2026-11-30');
    expect(chinaDay(new Date('2026-12-01T17:00:00Z'))).toBe('2026-12-02');
  });
});
