import { CHINA_UTC_OFFSET, chinaDateOf, chinaDateTimeOf, chinaInstant, chinaMinuteOfDay, chinaStartOf, parseHhmm } from './civil-date';

describe('#china time', () => {
  it('reads an instant as China does, whatever the host time zone', () => {
    const lateUtc = new Date('2026-12-31T16:30:00Z');
    expect(chinaDateOf(lateUtc)).toBe('2027-01-01');
    expect(chinaDateTimeOf(lateUtc)).toBe('2027-01-01 00:30');
    expect(chinaMinuteOfDay(lateUtc)).toBe(30);
  });

  it('places a China-local wall-clock time on a China-local date', () => {
    expect(chinaStartOf('2027-01-01').toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(chinaInstant('2027-01-01', '09:15').toISOString()).toBe('2027-01-01T01:15:00.000Z');
    expect(chinaInstant('2027-01-01', '24:00')).toEqual(chinaStartOf('2027-01-02'));
    expect(new Date(`2027-01-01T09:15:00${CHINA_UTC_OFFSET}`)).toEqual(chinaInstant('2027-01-01', '09:15'));
  });

  it('refuses a time of day that is not one', () => {
    expect(parseHhmm('08:30')).toBe(510);
    expect(() => parseHhmm('24:30')).toThrow(RangeError);
    expect(() => parseHhmm('8:30')).toThrow(RangeError);
  });
});
