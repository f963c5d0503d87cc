import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { OVERRIDE_YEAR_MAX, OVERRIDE_YEAR_MIN, packageSchedules, type YearScheduleFile } from '../../core/calendar';
import { calendarStatus } from '../../core/commands/calendar.command';
import { localeSchema } from '../../core/config.schema';
import type { FieldProblem } from '../../core/errors';
import type { Translate } from '../../core/i18n';
import { describeProblem } from '../../core/presenters/error.presenter';
import { calendarStatusLines } from '../../bot/render/calendar.render';
import { translatorFor } from '../../lib/i18n';
import { checkOverrideFile } from '../../core/calendar/override-file';
import { databaseOf, type WithDatabase } from './io';
import { runCli } from './runtime';

/** Where a CLI command writes, and in which language: process streams in production, buffers in tests. */
export interface CalendarIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  t: Translate;
}

export type { WithDatabase } from './io';

export const CALENDAR_USAGE =
  'Usage: steward calendar load FILE [--by NAME] [--lng zh-CN|en]\n       steward calendar show [YEAR] [--lng zh-CN|en]\n';

/** Reads and checks an override file without touching the database: every problem, or the validated file. */
export async function readOverrideFile(file: string): Promise<{ ok: true; file: YearScheduleFile } | { ok: false; problems: FieldProblem[] }> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (err) {
    return { ok: false, problems: [{ field: '(file)', code: 'calendar_file_unreadable', params: { file, reason: (err as Error).message } }] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { ok: false, problems: [{ field: '(file)', code: 'calendar_file_not_json', params: { file, reason: (err as Error).message } }] };
  }
  return checkOverrideFile(raw);
}

/**
 * `steward calendar load FILE`: checks the whole file first and reports every problem in the operator's
 * language, writing nothing when there is any (exit 1); otherwise stores the year in one upsert (exit 0),
 * after which every running instance computes with it on its next request.
 */
export async function calendarLoad(file: string, loadedBy: string, io: CalendarIo, withDb: WithDatabase, now: Date = new Date()): Promise<number> {
  const { t } = io;
  const checked = await readOverrideFile(file);
  if (!checked.ok) {
    io.stderr.write(t('bot:calendar.cli.invalid', { file, count: checked.problems.length }) + '\n');
    for (const p of checked.problems) io.stderr.write(t('bot:calendar.cli.problem', { field: p.field, reason: describeProblem(p, t) }) + '\n');
    return 1;
  }
  const schedule = checked.file;
  const { created } = await withDb(({ calendarOverrides }) => calendarOverrides.saveOverride(schedule, loadedBy, now));
  io.stdout.write(
    t('bot:calendar.cli.loaded', { year: schedule.year, holidays: schedule.holidays.length, makeup: schedule.makeupWorkdays.length }) + '\n',
  );
  if (!created) io.stdout.write(t('bot:calendar.cli.replaced', { year: schedule.year }) + '\n');
  if (packageSchedules().has(schedule.year)) io.stdout.write(t('bot:calendar.cli.replaces_package', { year: schedule.year }) + '\n');
  return 0;
}

/**
 * `steward calendar show [YEAR]`: which years have an official schedule (package or override), whether this
 * and next year are covered; with YEAR, its days off and make-up workdays, or a loud "provisional" warning.
 */
export async function calendarShow(yearArg: string | undefined, io: CalendarIo, withDb: WithDatabase, now: Date = new Date()): Promise<number> {
  let year: number | undefined;
  if (yearArg !== undefined) {
    year = Number(yearArg);
    if (!/^\d{4}$/.test(yearArg) || year < OVERRIDE_YEAR_MIN || year > OVERRIDE_YEAR_MAX) {
      io.stderr.write(io.t('errors:calendar_year_param_invalid') + '\n' + CALENDAR_USAGE);
      return 2;
    }
  }
  const { cal, overrides } = await withDb(async ({ deps }) => ({ cal: await deps.calendar.current(), overrides: (await deps.calendar.overrides?.()) ?? [] }));
  io.stdout.write(calendarStatusLines(calendarStatus(cal, overrides, now, year), io.t).join('\n') + '\n');
  return 0;
}

/** The operator's name recorded with an override: `--by`, else the login name. */
function defaultLoadedBy(): string {
  try {
    return os.userInfo().username || 'operator';
  } catch {
    return 'operator';
  }
}

/** The `steward calendar …` entry point: configuration, language, the database, exit code. */
export function calendarCommand(sub: string | undefined, arg: string | undefined, opts: { lng?: string; by?: string }): Promise<never> {
  return runCli(
    async (config, logger) => {
      const lng = localeSchema.catch(config.STEWARD_LOCALE).parse(opts.lng ?? config.STEWARD_LOCALE);
      const io: CalendarIo = { stdout: process.stdout, stderr: process.stderr, t: translatorFor(lng) };
      const withDb = databaseOf(config, logger);
      if (sub === 'load' && arg) return calendarLoad(arg, opts.by?.trim() || defaultLoadedBy(), io, withDb);
      if (sub === 'show') return calendarShow(arg, io, withDb);
      process.stderr.write(CALENDAR_USAGE);
      return 2;
    },
    { logLevel: process.env.LOG_LEVEL ?? 'warn' },
  );
}
