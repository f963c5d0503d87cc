import { parseLine } from '../../bot/parser';
import { renderResult } from '../../bot/render/index';
import { replyText } from '../../bot/reply';
import { buildCtx } from '../../lib/command-context';
import { describeError } from '../presenters/error.presenter';
import { calendarRepo } from '../../store/calendar.repo';
import { schedule2027 } from '../../store/calendar.fixture';
import { createDeps } from '../../lib/services';
import { useTestDatabase } from '../../test/db';
import type { Locale } from '../config.schema';
import type { User } from '../registry/types';
import { allCommands, commandById } from './registry';
import { runCommand } from './run';

useTestDatabase(); // a fresh database: no override is loaded until the test that loads one

const china = (local: string): Date => new Date(`${local}+08:00`);

/** Any registered user may use the calendar commands: this one has no role at all. */
const user = (locale: Locale): User => ({ id: '000000000000000000000001', userid: 'plain.user', name: '张三', locale, roles: [], active: true });

/** Runs a chat line the way every channel does: parse, runCommand, render. */
async function chat(line: string, now: Date, locale: Locale = 'zh-CN'): Promise<{ out: unknown; text: string }> {
  const parsed = parseLine(line, allCommands());
  if (!parsed) throw new Error(`not a command: ${line}`);
  const ctx = buildCtx(user(locale), 'shell', createDeps({ now: () => now }));
  try {
    const out = await runCommand(parsed.command, parsed.input, ctx);
    return { out, text: replyText(renderResult(parsed.command.id, out, ctx.t)) };
  } catch (err) {
    return { out: err, text: describeError(err, ctx.t, 'req').message };
  }
}

describe('#calendar.commands', () => {
  it('calendar.status: covered years, this year and next, and no warning before 15 November', async () => {
    const { out, text } = await chat('日历', china('2026-06-01T09:00'));
    expect(out).toMatchObject({ today: '2026-06-01', currentYear: 2026, currentYearCovered: true, nextYearCovered: false, warning: null, detail: null });
    expect((out as { years: { year: number; source: string }[] }).years.at(-1)).toMatchObject({ year: 2026, source: 'package' });
    expect(text).toContain('2004–2026');
    expect(text).toContain('今年（2026）：✅');
  });

  it('calendar.status warns from 15 November when next year is missing, in each language', async () => {
    const zh = await chat('工作日历', china('2026-11-15T08:00'));
    expect(zh.out).toMatchObject({ warning: { year: 2027 } });
    expect(zh.text).toContain('缺少 2027 年的官方节假日安排');
    const en = await chat('calendar', china('2026-11-15T08:00'), 'en');
    expect(en.text).toContain('The official holiday schedule for 2027 is missing');
    expect(en.text).toContain('Next year (2027): not loaded yet');
  });

  it('a year without a schedule is shown as provisional, loudly', async () => {
    const { out, text } = await chat('calendar 2028', china('2026-06-01T09:00'), 'en');
    expect(out).toMatchObject({ detail: { year: 2028, scheduled: false, provisional: true, source: null } });
    expect(text).toContain('NO OFFICIAL HOLIDAY SCHEDULE FOR 2028');
    expect(text).toContain('2028-10-01 (Sun) – 2028-10-03 (Tue) (3 days)');
  });

  it('a package year lists its days off and make-up days', async () => {
    const { text } = await chat('日历 2026', china('2026-06-01T09:00'));
    expect(text).toContain('2026 年：官方安排（软件包 chinese-days）');
    expect(text).toContain('2026-10-01（周四） 至 2026-10-07（周三）（共 7 天）');
    expect(text).toContain('· 2026-10-10（周六）');
  });

  it('calendar.deadline: 2026-09-30 17:00 + 1 working day is the end of 2026-10-08', async () => {
    const { out, text } = await chat('工作日 2026-09-30T17:00 1', china('2026-09-30T17:00'));
    expect(out).toMatchObject({ fromDate: '2026-09-30', days: 1, dueDate: '2026-10-08', dueAt: '2026-10-08T16:00:00.000Z', provisional: false });
    expect(text).toContain('2026-10-08（周四） 北京时间 24:00 前截止');
    expect(text).toContain('跳过的放假日：2026-10-01');
    const en = await chat('workdays 2026-09-30 1', china('2026-09-30T17:00'), 'en');
    expect(en.text).toBe(
      '1 working day after 2026-09-30 (Wed): due by the end of 2026-10-08 (Thu) (24:00 China time).\n' +
        'Days off skipped: 2026-10-01, 2026-10-02, 2026-10-03, 2026-10-04, 2026-10-05, 2026-10-06, 2026-10-07',
    );
  });

  it('calendar.deadline counts make-up Saturdays and flags a count into an unscheduled year', async () => {
    const { out } = await chat('workdays 2026-10-09 1', china('2026-10-09T10:00'), 'en');
    expect(out).toMatchObject({ dueDate: '2026-10-10', makeupWorkdaysCounted: ['2026-10-10'], provisional: false });
    const cross = await chat('workdays 2026-12-30 3', china('2026-12-30T10:00'), 'en');
    expect(cross.out).toMatchObject({ provisional: true, provisionalYears: [2027] });
    expect(cross.text).toContain('⚠️ PROVISIONAL: 2027 has no official holiday schedule yet');
  });

  it('refuses a bad date or count with a localized reason', async () => {
    expect((await chat('工作日 2026-02-30 1', china('2026-06-01T09:00'))).text).toContain('from: 不是日期');
    expect((await chat('workdays 2026-09-30 -1', china('2026-06-01T09:00'), 'en')).text).toContain(
      'days: the number of working days must be a whole number from 0 to 1000',
    );
    expect((await chat('calendar 1999', china('2026-06-01T09:00'), 'en')).text).toContain('year: give a year between 2000 and 2100');
  });

  it('an override loaded by the operator is shown and used at once', async () => {
    await calendarRepo.saveOverride(schedule2027, 'ops.li', new Date('2026-11-20T02:00:00Z'));
    const status = await chat('calendar', china('2026-11-21T09:00'), 'en');
    expect(status.out).toMatchObject({ nextYearCovered: true, warning: null });
    expect(status.text).toContain('· 2027: loaded by ops.li on 2026-11-20 10:00');
    const deadline = await chat('workdays 2027-09-30 1', china('2027-09-30T10:00'), 'en');
    expect(deadline.out).toMatchObject({ dueDate: '2027-10-08', provisional: false });
  });

  it('REST: calendar.year and calendar.deadline take string input from the path and query', async () => {
    const ctx = buildCtx(user('en'), 'api', createDeps({ now: () => china('2026-06-01T09:00') }));
    const year = (await runCommand(commandById('calendar.year')!, { year: '2027' }, ctx)) as { detail: { source: string; makeupWorkdays: string[] } };
    expect(year.detail).toMatchObject({ source: 'override', makeupWorkdays: schedule2027.makeupWorkdays });
    const due = await runCommand(commandById('calendar.deadline')!, { from: '2026-09-30T09:00:00Z', days: '1' }, ctx);
    expect(due).toMatchObject({ dueDate: '2026-10-08', provisional: false });
    expect(commandById('calendar.status')!.http).toEqual({ method: 'get', path: '/calendar' });
  });
});
