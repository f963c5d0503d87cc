import { execFile } from 'node:child_process';
import { createServices } from '../../lib/services';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import { translatorFor } from '../../lib/i18n';
import { CALENDAR_VERSION_KEY, CalendarYearModel } from '../../store/calendar.model';
import { calendarRepo, createCalendarProvider } from '../../store/calendar.repo';
import { schedule2027 } from '../../store/calendar.fixture';
import { PROJECT_ROOT } from '../../store/database';
import { testDatabaseUri, useTestDatabase } from '../../test/db';
import { calendarLoad, calendarShow, type CalendarIo, type WithDatabase } from './calendar';
import { NODE, STEWARD } from '../../test/cli';

const db = useTestDatabase();
const china = (local: string): Date => new Date(`${local}+08:00`);
const onOpenConnection: WithDatabase = (fn) => fn(createServices());

function io(lng: 'zh-CN' | 'en' = 'en'): CalendarIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    t: translatorFor(lng),
    out: () => out,
    err: () => err,
  };
}

let dir = '';
async function file(name: string, content: unknown): Promise<string> {
  const p = path.join(dir, name);
  await writeFile(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
}

describe('#calendar.cli', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'steward-calendar-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await CalendarYearModel.deleteMany({});
    await mongoose.connection.db!.collection('meta').deleteMany({ _id: CALENDAR_VERSION_KEY as never });
  });

  it('load: stores a valid year (exit 0) and a running provider uses it on its next call', async () => {
    const provider = createCalendarProvider();
    expect((await provider.current()).hasSchedule(2027)).toBe(false);
    const out = io();
    expect(await calendarLoad(await file('2027.json', schedule2027), 'ops.li', out, onOpenConnection)).toBe(0);
    expect(out.out()).toBe(
      'Loaded the 2027 holiday schedule: 18 days off, 3 make-up working days. Every running instance uses it from its next request.\n',
    );
    expect((await provider.current()).hasSchedule(2027)).toBe(true);
    expect((await calendarRepo.getOverride(2027))?.loadedBy).toBe('ops.li');
  });

  it('load: an invalid file is refused with every reason, localized, and nothing is saved (exit 1)', async () => {
    const bad = { ...schedule2027, holidays: ['2027-01-01', '2026-12-31'], makeupWorkdays: ['2027-09-27', '2027-13-01'], extra: 1 };
    const zh = io('zh-CN');
    let opened = false;
    const p = await file('bad.json', bad);
    expect(await calendarLoad(p, 'ops.li', zh, async (fn) => ((opened = true), fn(createServices())))).toBe(1);
    expect(opened).toBe(false); // the database is not even opened
    expect(zh.err()).toBe(
      [
        `${p} 未载入，没有保存任何内容：共 4 个问题。`,
        '· makeupWorkdays[1]：2027-13-01 这一天不存在',
        '· (file)：无法识别的字段 extra：只允许 year、holidays、makeupWorkdays 和 note',
        '· holidays[1]：2026-12-31 不在 2027 年内',
        '· makeupWorkdays[0]：2027-09-27 是工作日（周一至周五）：调休上班日只会是周六或周日',
        '',
      ].join('\n'),
    );
    const en = io('en');
    expect(await calendarLoad(await file('broken.json', '{"year": 2027,'), 'ops.li', en, onOpenConnection)).toBe(1);
    expect(en.err()).toContain('is not valid JSON');
    expect(await calendarLoad(path.join(dir, 'missing.json'), 'ops.li', en, onOpenConnection)).toBe(1);
    expect(en.err()).toContain('cannot read');
    expect(await CalendarYearModel.countDocuments()).toBe(0);
    expect(await calendarRepo.version()).toBe(0);
  });

  it('show: lists package years and overrides, and one year in detail; a missing year is provisional, loudly', async () => {
    await calendarRepo.saveOverride(schedule2027, 'ops.li', new Date('2026-11-20T02:00:00Z'));
    const list = io();
    expect(await calendarShow(undefined, list, onOpenConnection, china('2026-11-21T09:00'))).toBe(0);
    expect(list.out()).toContain('Official schedules from the package (chinese-days): 2004–2026');
    expect(list.out()).toContain('· 2027: loaded by ops.li on 2026-11-20 10:00 · 国办发明电〔2026〕x号 (test data)');
    expect(list.out()).toContain('Next year (2027): ✅ official schedule');

    const year = io();
    await calendarShow('2027', year, onOpenConnection, china('2026-11-21T09:00'));
    expect(year.out()).toContain('2027: official schedule loaded by ops.li on 2026-11-20 10:00');
    expect(year.out()).toContain('· 2027-10-01 (Fri) – 2027-10-07 (Thu) (7 days)');
    expect(year.out()).toContain('· 2027-10-09 (Sat)');

    const missing = io('zh-CN');
    await calendarShow('2028', missing, onOpenConnection, china('2026-11-21T09:00'));
    expect(missing.out()).toContain('⚠️ 没有 2028 年的官方节假日安排！2028 年内的所有期限都是暂定的');

    const badYear = io();
    expect(await calendarShow('20x7', badYear, onOpenConnection)).toBe(2);
  });

  it('`steward calendar load FILE` from another process is used at once by this running instance', async () => {
    const provider = createCalendarProvider();
    expect((await provider.current()).hasSchedule(2027)).toBe(false);
    const env = { ...process.env, MONGODB_URI: testDatabaseUri(), STEWARD_DB_NAME: db.name(), LOG_LEVEL: 'warn' };
    const { stdout } = await promisify(execFile)(NODE, [...STEWARD, 'calendar', 'load', await file('cli-2027.json', schedule2027), '--by', 'ops.zhao', '--lng', 'en'], {
      cwd: PROJECT_ROOT,
      env,
    });
    expect(stdout).toContain('Loaded the 2027 holiday schedule');
    const cal = await provider.current();
    expect(cal.deadlineAfterWorkingDays(china('2027-09-30T17:00'), 1)).toMatchObject({ dueDate: '2027-10-08', provisional: false });
    expect((await calendarRepo.getOverride(2027))?.loadedBy).toBe('ops.zhao');

    const bad = promisify(execFile)(NODE, [...STEWARD, 'calendar', 'load', await file('cli-bad.json', { ...schedule2027, year: 2026 })], { cwd: PROJECT_ROOT, env });
    await expect(bad).rejects.toMatchObject({ code: 1 });
  }, 60_000);
});
