import { intakeComplaints } from '../core/complaints/complaint.intake';
import type { Deps } from '../core/ports';
import { DEFAULT_REMINDER_SETTINGS, type ReminderSettings } from '../core/reminders/reminder.settings';
import type { DeliveryChannel } from '../bot/deliver';
import { replyText, type Reply } from '../bot/reply';
import { createLogger } from '../lib/logger';
import { seedDemoIfEmpty } from '../store/demo/seed-demo';
import { createDeps, createServices } from '../lib/services';
import type { JobEnv } from './job';

/** Shared by the reminder-engine tests (not a test itself): China-time instants, a settable clock, demo data. */
export const china = (local: string) => new Date(`${local}:00+08:00`);

export interface TestClock {
  at: Date;
  now(): Date;
  set(local: string): void;
}

export function testClock(local: string): TestClock {
  return {
    at: china(local),
    now() {
      return this.at;
    },
    set(l: string) {
      this.at = china(l);
    },
  };
}

export const quietLogger = createLogger('silent');
export const settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS;

/** What a job handler gets in these tests: the ports, the composition root's housekeeping, the default settings. */
export const jobEnv = (deps: Deps, services = createServices()): JobEnv => ({ deps, housekeeping: services.housekeeping, delivery: services.delivery, settings, logger: quietLogger, instance: 'test' });

/** The Hebei demo (正定县教育局网站 1301230002: supervisor demo.county, above it demo.city; admin demo.siteadmin). */
export async function seedWorld(clock: TestClock): Promise<Deps> {
  await seedDemoIfEmpty();
  return createDeps(clock);
}

/** Takes in error reports as the national platform exports them: `[platformId, site, receivedAt China-local]`. */
export async function receive(deps: Deps, rows: [string, string, string][], now: Date): Promise<void> {
  const report = await intakeComplaints(
    deps,
    rows.map(([id, site, at], i) => ({ row: i + 2, data: { 问题编号: id, 网站标识码: site, 网页地址: '', 错误类型: '错别字', 问题描述: `测试 ${id}`, 提交时间: at } })),
    { now },
  );
  if (report.failedRows) throw new Error(`intake failed: ${JSON.stringify(report.failed)}`);
}

/** A push channel that records every send; `failNext` makes the next sends throw (a network error). */
export function recordingChannel(name = 'recording') {
  const sent: { to: string; text: string }[] = [];
  let failures = 0;
  const channel: DeliveryChannel & { sent: typeof sent; failNext(n: number): void } = {
    name,
    sent,
    failNext(n: number) {
      failures = n;
    },
    async send(to: string, reply: Reply) {
      if (failures > 0) {
        failures--;
        throw new Error('ECONNRESET (test)');
      }
      // Yield, as a real send would, so concurrent senders interleave.
      await new Promise((r) => setTimeout(r, 5));
      sent.push({ to, text: replyText(reply) });
    },
  };
  return channel;
}

/** Polls until `check` holds (agenda works on its own schedule). */
export async function eventually(check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
