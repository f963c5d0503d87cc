import { NotificationModel } from '../store/notification.model';
import { calendarRepo } from '../store/calendar.repo';
import { clearDatabase, useTestDatabase } from '../test/db';
import { runCalendarWarning } from './calendar-warning.job';
import { china, seedWorld, settings, testClock } from './reminders.fixture';
import { schedule2027 } from '../store/calendar.fixture';

useTestDatabase();

const clock = testClock('2026-11-14T10:00');
const warnings = () => NotificationModel.find({ kind: 'warning' }).sort({ userid: 1 }).lean();

beforeEach(async () => {
  await clearDatabase();
});

/** Art. 35 deadlines need next year's official holidays; the State Council publishes them each autumn. */
describe('#calendar-warning job', () => {
  it('says nothing before 15 November', async () => {
    const deps = await seedWorld(clock);
    expect(await runCalendarWarning({ deps, settings }, china('2026-11-14T10:00'))).toEqual({ missingYear: null, inserted: 0 });
    expect(await warnings()).toEqual([]);
  });

  it('warns every province admin once a day from 15 November while next year is missing', async () => {
    const deps = await seedWorld(clock);
    await runCalendarWarning({ deps, settings }, china('2026-11-15T08:00')); // before the configured 09:00
    expect(await warnings()).toEqual([]);
    await runCalendarWarning({ deps, settings }, china('2026-11-15T09:00'));
    await runCalendarWarning({ deps, settings }, china('2026-11-15T15:00'));
    const first = await warnings();
    expect(first.map((n) => n.userid)).toEqual(['demo.province', 'demo.province.deputy']);
    expect(first.every((n) => n.template === 'bot:reminders.calendar_missing')).toBe(true);

    await runCalendarWarning({ deps, settings }, china('2026-11-16T09:30'));
    expect(await warnings()).toHaveLength(4);
  });

  it('stops once an operator loads next year', async () => {
    const deps = await seedWorld(clock);
    await calendarRepo.saveOverride(schedule2027, 'ops');
    expect(await runCalendarWarning({ deps, settings }, china('2026-11-24T10:00'))).toEqual({ missingYear: null, inserted: 0 });
  });
});
