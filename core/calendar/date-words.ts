import * as chrono from 'chrono-node';
import * as zh from 'chrono-node/zh';
import type { Locale } from '../config.schema';
import { CHINA_OFFSET_MS, dayNumberOf, monthDayOfDayNumber, tryDayNumber, weekdayOfDayNumber, yearOfDayNumber } from './civil-date';

/**
 * Dates as office staff type them in chat — `2027-03-01`, `3月1日`, `下周一`, `明天`, `March 1`, `next Monday` —
 * read in China time against the injected clock (never the host's), so the same words mean the same day on
 * every server and in every test. chrono-node does the reading; this module only decides what counts as a
 * date answer (the whole line, a real day) and writes it back in full so the person can check it.
 */

/** chrono's casual parsers: simplified Chinese first (its own words), then English. */
const PARSERS = [zh.hans, chrono.en];

/** `2027-03-01`, `2027/3/1`, `2027.3.1`: exact dates are read without chrono (which would add a time of day). */
const NUMERIC = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/;

/** What is left of a line once the date words are taken out: only filler may remain. */
const FILLER = /^[\s,，。.、!！号日]*$/;

/**
 * The China-local date (`YYYY-MM-DD`) a line means, read relative to `now`, or undefined when the line is not
 * (only) a date. A date without a year is the next one to come (`1月2日` on 30 December is next year's); a
 * weekday is the coming one.
 */
export function readDateWords(line: string, now: Date): string | undefined {
  const text = line.replace(/\u3000/g, ' ').trim();
  if (!text) return undefined;
  const numeric = NUMERIC.exec(text);
  if (numeric) return realDate(Number(numeric[1]), Number(numeric[2]), Number(numeric[3]));
  const ref = chinaNoon(now);
  for (const parser of PARSERS) {
    const results = parser.parse(text, ref, { forwardDate: true });
    if (results.length !== 1) continue;
    const [r] = results;
    if (!r || !FILLER.test(text.replace(r.text, ''))) continue;
    const s = r.start;
    // A month alone (`3月`, `March`) is not a day.
    if (!s.isCertain('day') && !s.isCertain('weekday')) continue;
    const year = s.get('year');
    const month = s.get('month');
    const day = s.get('day');
    if (year === null || month === null || day === null) continue;
    return realDate(year, month, day);
  }
  return undefined;
}

/**
 * Noon of China's today as a Date whose host-local fields show it. chrono works in the host's local fields
 * (its `timezone` option only shifts the result), so this is how "today" becomes China's today on a server
 * set to UTC; the result's own fields (year, month, day) are then China-local as well. Noon, because chrono
 * reads 明天 typed at 01:00 as "later today" (someone up past midnight); a filing date is a calendar day.
 */
function chinaNoon(now: Date): Date {
  const w = new Date(now.getTime() + CHINA_OFFSET_MS);
  return new Date(w.getUTCFullYear(), w.getUTCMonth(), w.getUTCDate(), 12, 0, 0);
}

function realDate(year: number, month: number, day: number): string | undefined {
  const iso = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return tryDayNumber(iso) === undefined ? undefined : iso;
}

const ZH_WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];
const EN_WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A date (`YYYY-MM-DD`) written out in full with its weekday, the way it is echoed back before anything is
 * filed: `2027年3月1日（星期一）`, `Monday, 1 March 2027`.
 */
export function formatDateLong(date: string, lng: Locale): string {
  const n = dayNumberOf(date);
  const year = yearOfDayNumber(n);
  const { month, day } = monthDayOfDayNumber(n);
  const weekday = weekdayOfDayNumber(n);
  if (lng === 'en') return `${EN_WEEKDAYS[weekday]}, ${day} ${EN_MONTHS[month - 1]} ${year}`;
  return `${year}年${month}月${day}日（${ZH_WEEKDAYS[weekday]}）`;
}
