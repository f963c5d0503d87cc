import { chinaDateTimeOf, dayNumberOf, weekdayOfDayNumber } from '../../core/calendar/civil-date';
import type {
  CalendarDeadlineDTO,
  CalendarStatusDTO,
  CalendarYearDetailDTO,
  CalendarYearEntryDTO,
} from '../../core/commands/calendar.command';
import type { Translate } from '../../core/i18n';
import { text, type Reply } from '../reply';

/** An ISO instant as China-local 'YYYY-MM-DD HH:mm', the way operators read times. */
export function chinaTime(iso: string): string {
  return chinaDateTimeOf(new Date(iso));
}

/** '2026-10-10' → '2026-10-10 (Sat)' in the reader's language. */
export function dateWithWeekday(date: string, t: Translate): string {
  return t('bot:calendar.date_weekday', { date, weekday: t(`bot:calendar.weekday.${weekdayOfDayNumber(dayNumberOf(date))}`) });
}

/** Years as compact ranges: [2004, 2005, 2006, 2027] → '2004–2006, 2027'. */
export function yearRanges(years: readonly number[]): string {
  const parts: string[] = [];
  let start: number | undefined;
  let prev: number | undefined;
  const flush = () => {
    if (start !== undefined && prev !== undefined) parts.push(start === prev ? String(start) : `${start}–${prev}`);
  };
  for (const y of years) {
    if (prev !== undefined && y === prev + 1) {
      prev = y;
      continue;
    }
    flush();
    start = y;
    prev = y;
  }
  flush();
  return parts.join(', ');
}

function overrideLine(e: CalendarYearEntryDTO, t: Translate): string {
  return t('bot:calendar.override_line', {
    year: e.year,
    by: e.loadedBy ?? '?',
    at: e.loadedAt ? chinaTime(e.loadedAt) : '?',
    replaces: e.replacesPackage ? t('bot:calendar.replaces_package') : '',
    note: e.note ? t('bot:calendar.note', { note: e.note }) : '',
  });
}

/** The lines of one year in detail; shouts when the year has no official schedule. */
export function calendarYearLines(d: CalendarYearDetailDTO, t: Translate): string[] {
  const lines: string[] = [];
  if (!d.scheduled) {
    lines.push(t('bot:calendar.detail_missing', { year: d.year }));
    lines.push(t('bot:calendar.detail_known_holidays'));
  } else if (d.source === 'override') {
    lines.push(
      t('bot:calendar.detail_title_override', {
        year: d.year,
        by: d.loadedBy ?? '?',
        at: d.loadedAt ? chinaTime(d.loadedAt) : '?',
        replaces: d.replacesPackage ? t('bot:calendar.replaces_package') : '',
      }),
    );
    if (d.note) lines.push(t('bot:calendar.note', { note: d.note }).trim());
    lines.push(t('bot:calendar.detail_holidays'));
  } else {
    lines.push(t('bot:calendar.detail_title_package', { year: d.year }));
    lines.push(t('bot:calendar.detail_holidays'));
  }
  if (d.holidayBlocks.length === 0) lines.push(t('bot:calendar.item', { text: t('bot:none') }));
  for (const b of d.holidayBlocks) {
    lines.push(
      t('bot:calendar.item', {
        text: b.days === 1 ? dateWithWeekday(b.from, t) : t('bot:calendar.block', { from: dateWithWeekday(b.from, t), to: dateWithWeekday(b.to, t), count: b.days }),
      }),
    );
  }
  if (d.scheduled) {
    lines.push(t('bot:calendar.detail_makeup'));
    if (d.makeupWorkdays.length === 0) lines.push(t('bot:calendar.item', { text: t('bot:none') }));
    for (const date of d.makeupWorkdays) lines.push(t('bot:calendar.item', { text: dateWithWeekday(date, t) }));
  }
  return lines;
}

/** The status view as lines: for chat (`日历`) and for `steward calendar show`. */
export function calendarStatusLines(out: CalendarStatusDTO, t: Translate): string[] {
  if (out.detail) {
    const lines = calendarYearLines(out.detail, t);
    if (out.warning && out.warning.year !== out.detail.year) lines.push('', t('bot:calendar.warning', out.warning));
    return lines;
  }
  const packageYears = out.years.filter((y) => y.source === 'package').map((y) => y.year);
  const overrides = out.years.filter((y) => y.source === 'override');
  const lines = [t('bot:calendar.status_title', { today: out.today })];
  lines.push(t('bot:calendar.package_years', { years: packageYears.length ? yearRanges(packageYears) : t('bot:none') }));
  if (overrides.length === 0) lines.push(t('bot:calendar.no_overrides'));
  else lines.push(t('bot:calendar.overrides_title'), ...overrides.map((e) => overrideLine(e, t)));
  lines.push(t(out.currentYearCovered ? 'bot:calendar.this_year_covered' : 'bot:calendar.this_year_missing', { year: out.currentYear }));
  lines.push(t(out.nextYearCovered ? 'bot:calendar.next_year_covered' : 'bot:calendar.next_year_missing', { year: out.currentYear + 1 }));
  if (out.warning) lines.push('', t('bot:calendar.warning', out.warning));
  return lines;
}

export function renderCalendarStatus(out: CalendarStatusDTO, t: Translate): Reply {
  return text(calendarStatusLines(out, t).join('\n'));
}

export function renderCalendarDeadline(out: CalendarDeadlineDTO, t: Translate): Reply {
  const lines = [
    t('bot:calendar.deadline', { count: out.days, from: dateWithWeekday(out.fromDate, t), due: dateWithWeekday(out.dueDate, t) }),
  ];
  if (out.holidaysSkipped.length) lines.push(t('bot:calendar.deadline_holidays', { dates: out.holidaysSkipped.join(', ') }));
  if (out.makeupWorkdaysCounted.length) lines.push(t('bot:calendar.deadline_makeup', { dates: out.makeupWorkdaysCounted.join(', ') }));
  if (out.provisional) lines.push(t('bot:calendar.deadline_provisional', { years: out.provisionalYears.join(', ') }));
  return text(lines.join('\n'));
}
