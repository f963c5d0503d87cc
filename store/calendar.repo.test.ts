import mongoose from 'mongoose';
import { yearScheduleFileSchema, type YearScheduleFile } from '../core/calendar';
import { schedule2027 } from './calendar.fixture';
import { ValidationError } from '../core/errors';
import { useTestDatabase } from '../test/db';
import { CALENDAR_VERSION_KEY, CalendarYearModel } from './calendar.model';
import { calendarRepo, checkOverrideFile, createCalendarProvider } from './calendar.repo';

useTestDatabase();

const china = (local: string): Date => new Date(`${local}+08:00`);

async function storedYears(): Promise<number[]> {
  return (await CalendarYearModel.find().sort({ _id: 1 }).lean()).map((d) => d._id);
}

describe('#calendar.store', () => {
  beforeEach(async () => {
    await CalendarYearModel.deleteMany({});
    await mongoose.connection.db!.collection('meta').deleteMany({ _id: CALENDAR_VERSION_KEY as never });
  });

  it('the test file itself is valid', () => {
    expect(yearScheduleFileSchema.safeParse(schedule2027).success).toBe(true);
  });

  it('stores a year as one document keyed by the year, with who loaded it and when', async () => {
    const at = new Date('2026-11-20T02:00:00Z');
    expect(await calendarRepo.saveOverride(schedule2027, 'ops.li', at)).toEqual({ year: 2027, created: true });
    const doc = await CalendarYearModel.findById(2027).lean();
    expect(doc).toMatchObject({ _id: 2027, loadedBy: 'ops.li', loadedAt: at, note: schedule2027.note });
    expect(doc!.holidays).toEqual([...schedule2027.holidays].sort());
    expect(await calendarRepo.version()).toBe(1);

    // Loading the year again replaces it whole; still one document, and the marker moves again.
    expect(await calendarRepo.saveOverride({ ...schedule2027, makeupWorkdays: ['2027-02-20'] }, 'ops.wang')).toEqual({ year: 2027, created: false });
    expect(await CalendarYearModel.countDocuments()).toBe(1);
    expect((await calendarRepo.getOverride(2027))?.makeupWorkdays).toEqual(['2027-02-20']);
    expect((await calendarRepo.getOverride(2027))?.loadedBy).toBe('ops.wang');
    expect(await calendarRepo.version()).toBe(2);
  });

  it('refuses an invalid file with each reason and writes nothing', async () => {
    const bad = { ...schedule2027, holidays: ['2027-01-01', '2026-12-31', '2027-02-30'], makeupWorkdays: ['2027-09-27'] };
    const check = checkOverrideFile(bad);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.problems.map((p) => [p.field, p.code, p.params?.date])).toEqual([
      ['holidays[2]', 'calendar_date_not_real', '2027-02-30'],
      ['holidays[1]', 'calendar_date_outside_year', '2026-12-31'],
      ['makeupWorkdays[0]', 'calendar_makeup_not_weekend', '2027-09-27'],
    ]);
    await expect(calendarRepo.saveOverride(bad as YearScheduleFile, 'ops.li')).rejects.toBeInstanceOf(ValidationError);
    expect(checkOverrideFile([1, 2])).toEqual({ ok: false, problems: [{ field: '(file)', code: 'calendar_file_not_object' }] });
    expect(!checkOverrideFile({ ...schedule2027, holiday: [] }).ok && checkOverrideFile({ ...schedule2027, holiday: [] })).toMatchObject({
      problems: [{ field: '(file)', code: 'calendar_unknown_key', params: { keys: 'holiday' } }],
    });
    expect(await storedYears()).toEqual([]);
    expect(await calendarRepo.version()).toBe(0);
  });

  it('an override loaded elsewhere is used at once by every running provider, without restart', async () => {
    const instanceA = createCalendarProvider();
    const instanceB = createCalendarProvider();
    const before = await instanceA.current();
    expect(await instanceA.current()).toBe(before); // cached while nothing changed
    expect(before.hasSchedule(2027)).toBe(false);
    expect(before.deadlineAfterWorkingDays(china('2027-09-30T17:00'), 1)).toMatchObject({ dueDate: '2027-10-04', provisional: true });
    expect((await instanceB.current()).hasSchedule(2027)).toBe(false);

    // Another process (steward calendar load) saves 2027.
    await calendarRepo.saveOverride(schedule2027, 'ops.li');

    const after = await instanceA.current();
    expect(after).not.toBe(before);
    expect(after.hasSchedule(2027)).toBe(true);
    expect(after.deadlineAfterWorkingDays(china('2027-09-30T17:00'), 1)).toEqual({
      dueDate: '2027-10-08',
      dueAt: new Date('2027-10-08T16:00:00Z'),
      provisional: false,
    });
    expect(after.dayInfo('2027-10-09')).toMatchObject({ working: true, reason: 'makeup_workday', provisional: false });
    expect((await instanceB.current()).hasSchedule(2027)).toBe(true);
    expect(await instanceA.overrides()).toEqual([{ year: 2027, loadedBy: 'ops.li', loadedAt: expect.any(Date), note: schedule2027.note }]);
  });

  it('computes 2026-09-30 17:00 + 1 working day = end of 2026-10-08 through the provider', async () => {
    const cal = await createCalendarProvider().current();
    expect(cal.deadlineAfterWorkingDays(china('2026-09-30T17:00'), 1)).toEqual({
      dueDate: '2026-10-08',
      dueAt: new Date('2026-10-08T16:00:00Z'),
      provisional: false,
    });
  });

  it('concurrent calls after a change share one rebuild', async () => {
    const provider = createCalendarProvider();
    await provider.current();
    await calendarRepo.saveOverride(schedule2027, 'ops.li');
    const [a, b, c] = await Promise.all([provider.current(), provider.current(), provider.current()]);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(a.hasSchedule(2027)).toBe(true);
  });

  it('leaves out (and reports) a stored year that was corrupted by hand, instead of breaking every deadline', async () => {
    await calendarRepo.saveOverride(schedule2027, 'ops.li');
    await CalendarYearModel.collection.updateOne({ _id: 2027 as never }, { $set: { makeupWorkdays: ['2027-09-27'] } });
    await mongoose.connection.db!.collection('meta').updateOne({ _id: CALENDAR_VERSION_KEY as never }, { $inc: { version: 1 } });
    const reported: number[] = [];
    const cal = await createCalendarProvider({ onInvalidOverride: (year) => reported.push(year) }).current();
    expect(reported).toEqual([2027]);
    expect(cal.hasSchedule(2027)).toBe(false);
    expect(cal.hasSchedule(2026)).toBe(true);
  });
});
