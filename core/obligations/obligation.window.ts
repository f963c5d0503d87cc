import type { WorkingCalendar } from '../calendar';
import { dayNumberOf, formatDayNumber } from '../calendar/civil-date';

/** A walk longer than this (in calendar days) is a bad input, not a reminder window. */
const MAX_WALK = 400;

/** A day worked out on the working calendar; `provisional` when it relied on a year without an official schedule. */
export interface CalendarDay {
  date: string;
  provisional: boolean;
}

const previousDay = (date: string) => formatDayNumber(dayNumberOf(date) - 1);

/**
 * The first day of the reminder window of `dueDate`: the n-th working day before it (n = 0: the due day if
 * it is worked, else the last working day before it). Counting back from a due day on a weekend starts at the
 * Friday before (the last working day), so "3 working days before Sunday 28 February" is Wednesday 24. 补班 Saturdays count, holidays do not: it is the deployment's calendar that decides.
 */
export function reminderWindowStart(cal: WorkingCalendar, dueDate: string, n: number): CalendarDay {
  let date = dueDate;
  const due = cal.dayInfo(dueDate);
  let provisional = due.provisional;
  if (n === 0 && due.working) return { date, provisional };
  let remaining = Math.max(1, n);
  for (let walked = 0; remaining > 0; walked++) {
    if (walked > MAX_WALK) throw new RangeError(`reminder_window_walk_limit: ${n} working days before ${dueDate}`);
    date = previousDay(date);
    const day = cal.dayInfo(date);
    provisional ||= day.provisional;
    if (day.working) remaining--;
  }
  return { date, provisional };
}

/** Where `today` stands against a due day, for a reminder. */
export interface WindowStanding {
  /** From the window's first day through the due day (days off included: a job decides whether to speak on them). */
  inWindow: boolean;
  /** Working days after today up to and including the due day: 0 on the due day or on the last working day before it. */
  workingDaysLeft: number;
  /** Some day of the computation lies in a year whose holiday schedule is not loaded. */
  provisional: boolean;
}

/** Whether `today` is in the reminder window of `dueDate` (n working days before it, see `reminderWindowStart`) and how many working days remain. */
export function windowStanding(cal: WorkingCalendar, today: string, dueDate: string, n: number): WindowStanding {
  const start = reminderWindowStart(cal, dueDate, n);
  const inWindow = start.date <= today && today <= dueDate;
  let left = 0;
  let provisional = start.provisional;
  if (inWindow) {
    for (let d = dueDate; d > today; d = previousDay(d)) {
      const day = cal.dayInfo(d);
      provisional ||= day.provisional;
      if (day.working) left++;
    }
  }
  return { inWindow, workingDaysLeft: left, provisional };
}

/** How a reminder words the time left: due today, today is the last working day before it, one or n working days left. */
export type WhenKey = 'due_today' | 'last_working_day' | 'day_left' | 'days_left';

export function whenOf(today: string, dueDate: string, left: number): WhenKey {
  if (today === dueDate) return 'due_today';
  return left === 0 ? 'last_working_day' : left === 1 ? 'day_left' : 'days_left';
}
