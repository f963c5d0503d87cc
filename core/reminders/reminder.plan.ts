import type { PersonRef } from '../complaints/complaint.ports';
import type { Digest } from '../complaints/complaint.sweep';
import type { ObligationDigest } from '../obligations/obligation.digest';
import type { InspectionDigestLine } from '../inspection/digest';
import { chinaDateOf, chinaInstant } from '../calendar/civil-date';
import { afterQuietHours } from './quiet-hours';
import type { NotificationKind } from './notification';
import type { ReminderSettings } from './reminder.settings';

export type { NotificationKind } from './notification';

/** The thing a notification is about, so a reader (or a test) finds every message of one report. */
export interface Subject {
  kind: 'request' | 'complaint' | 'task' | 'calendar' | 'digest' | 'campaign' | 'site';
  id: string;
}

/**
 * A notification to store, not yet stored: `key` + `userid` is its natural key (unique in storage), so
 * planning the same thing twice — two instances, a job re-run after a lock expired — stores it once.
 */
export interface NotificationIntent {
  key: string;
  userid: string;
  locale: string;
  kind: NotificationKind;
  /** Full i18n key (`bot:reminders.start`); a template may nest others with `$t(…)`. */
  template: string;
  params: Record<string, string>;
  subject: Subject | null;
  /** Sent after its time because the service was not running then. */
  late: boolean;
  /** Not delivered before this instant (the end of the quiet hours, for anything but escalations). */
  notBefore: Date;
  /** Structured content for renderers that need more than params (the digest). */
  data?: Record<string, unknown>;
}

/** One running deadline anywhere in the system, with who acts on it and who hears when it passes. */
export interface DeadlineItem {
  subject: Subject;
  /** Which duty: `transfer`, `answer`, … (part of the key: a report has one deadline per stage). */
  stage: string;
  /** China-local due date: the deadline is the end of it (`dueAt`). */
  dueDate: string;
  dueAt: Date;
  params: Record<string, string>;
  recipients: PersonRef[];
  escalateTo: PersonRef[];
  /** The messages (full i18n keys) of each slot and of the escalation; an error report's (`bot:reminders.*`) without. */
  templates?: Record<Slot | 'escalation', string>;
}

export type Slot = 'start' | 'before_end';

const isLate = (now: Date, due: Date, s: ReminderSettings) => now.getTime() - due.getTime() > s.lateAfterMs;

/**
 * The reminders and escalations due at `now` for these deadlines. On the due day: one at `startAt`, one at
 * `beforeEndAt`; when the job only gets to run after both (the service was down), only the later one is
 * sent — once, marked late — since it says everything the first would. After the deadline: one escalation to
 * `escalateTo`, at any hour. A reminder that quiet hours would push past the deadline is dropped: the
 * escalation follows it anyway. Pure: the same input gives the same keys, whoever computes them.
 */
export function planDeadlineReminders(items: readonly DeadlineItem[], now: Date, s: ReminderSettings): NotificationIntent[] {
  const out: NotificationIntent[] = [];
  for (const item of items) {
    const base = `${item.subject.kind}:${item.subject.id}:${item.stage}:${item.dueDate}`;
    const params = { ...item.params, dueDate: item.dueDate };
    if (now.getTime() >= item.dueAt.getTime()) {
      for (const p of item.escalateTo) {
        out.push({ key: `escalation:${base}`, userid: p.userid, locale: p.locale, kind: 'escalation', template: item.templates?.escalation ?? 'bot:reminders.escalation', params, subject: item.subject, late: isLate(now, item.dueAt, s), notBefore: now });
      }
      continue;
    }
    const slots = (
      [
        ['start', chinaInstant(item.dueDate, s.startAt)],
        ['before_end', chinaInstant(item.dueDate, s.beforeEndAt)],
      ] as [Slot, Date][]
    )
      .filter(([, at]) => at.getTime() <= now.getTime() && at.getTime() < item.dueAt.getTime())
      .sort((a, b) => a[1].getTime() - b[1].getTime());
    const slot = slots.at(-1);
    if (!slot) continue;
    const notBefore = afterQuietHours(now, s.quietHours);
    if (notBefore.getTime() >= item.dueAt.getTime()) continue;
    for (const p of item.recipients) {
      out.push({ key: `reminder:${base}:${slot[0]}`, userid: p.userid, locale: p.locale, kind: 'reminder', template: item.templates?.[slot[0]] ?? `bot:reminders.${slot[0]}`, params, subject: item.subject, late: isLate(now, slot[1], s), notBefore });
    }
  }
  return out;
}

/** A digest as stored on its notification: plain JSON, rendered at delivery in the reader's locale. */
export interface DigestData {
  today: string;
  dueToday: number;
  overdue: number;
  top: { platformId: string; siteName: string | null; stage: string; dueAt: string }[];
  /** Art. 23: the daily look into the site's message box, a quiet line for site admins. */
  mailbox: boolean;
  /** Recurring obligations (art. 29, 30, 32, 36) overdue, due today or due within the reminder window; absent when none. */
  obligations?: ObligationDigest | null;
  /** The daily inspection (art. 28), one line per site the person administers; absent when none. */
  inspection?: InspectionDigestLine[] | null;
}

/**
 * One digest per person per working day, at `digestAt` or the first run after it: what is due today and
 * overdue (from `buildDigests`), for site admins the daily mailbox line of art. 23 — even on a day with
 * nothing due, since checking the box is itself the day's duty — and the recurring obligations the person
 * answers for (from `buildObligationDigests`), all in the same message. Nothing on days off, nothing after a
 * day's quiet hours began (tomorrow's digest says it better).
 */
export function planDigests(
  input: {
    today: string;
    workingDay: boolean;
    digests: readonly Digest[];
    mailboxUsers: readonly PersonRef[];
    obligations?: ReadonlyMap<string, { locale: string; digest: ObligationDigest }>;
    /** Userid → the inspection lines of the sites they administer. */
    inspection?: ReadonlyMap<string, { locale: string; lines: InspectionDigestLine[] }>;
  },
  now: Date,
  s: ReminderSettings,
): NotificationIntent[] {
  if (!input.workingDay) return [];
  const at = chinaInstant(input.today, s.digestAt);
  if (now.getTime() < at.getTime()) return [];
  const notBefore = afterQuietHours(now, s.quietHours);
  if (chinaDateOf(notBefore) !== input.today) return [];
  const people = new Map<string, { locale: string; digest?: Digest; mailbox: boolean; obligations?: ObligationDigest; inspection?: InspectionDigestLine[] }>();
  for (const d of input.digests) if (d.dueToday + d.overdue > 0) people.set(d.userid, { locale: d.locale, digest: d, mailbox: false });
  for (const p of input.mailboxUsers) {
    const entry = people.get(p.userid);
    if (entry) entry.mailbox = true;
    else people.set(p.userid, { locale: p.locale, mailbox: true });
  }
  for (const [userid, o] of input.obligations ?? []) {
    if (!o.digest.top.length) continue;
    const entry = people.get(userid);
    if (entry) entry.obligations = o.digest;
    else people.set(userid, { locale: o.locale, mailbox: false, obligations: o.digest });
  }
  for (const [userid, o] of input.inspection ?? []) {
    if (!o.lines.length) continue;
    const entry = people.get(userid);
    if (entry) entry.inspection = o.lines;
    else people.set(userid, { locale: o.locale, mailbox: false, inspection: o.lines });
  }
  const late = isLate(now, at, s);
  return [...people.entries()].map(([userid, e]) => {
    const data: DigestData = {
      today: input.today,
      dueToday: e.digest?.dueToday ?? 0,
      overdue: e.digest?.overdue ?? 0,
      top: (e.digest?.top ?? []).map((i) => ({ platformId: i.platformId, siteName: i.siteName, stage: i.stage, dueAt: i.dueAt.toISOString() })),
      mailbox: e.mailbox,
      obligations: e.obligations ?? null,
      ...(e.inspection ? { inspection: e.inspection } : {}),
    };
    return {
      key: `digest:${input.today}`,
      userid,
      locale: e.locale,
      kind: 'digest',
      template: 'bot:reminders.digest',
      params: { today: input.today },
      subject: { kind: 'digest', id: `${userid}:${input.today}` },
      late,
      notBefore,
      data: data as unknown as Record<string, unknown>,
    };
  });
}

/**
 * The daily warning to province admins that a year's holiday schedule is missing (from
 * `missingScheduleWarning`): once per person per day, from `calendarWarningAt`.
 */
export function planCalendarWarning(
  input: { today: string; missingYear: number | null; provinceAdmins: readonly PersonRef[] },
  now: Date,
  s: ReminderSettings,
): NotificationIntent[] {
  if (input.missingYear === null) return [];
  const at = chinaInstant(input.today, s.calendarWarningAt);
  if (now.getTime() < at.getTime()) return [];
  const notBefore = afterQuietHours(now, s.quietHours);
  if (chinaDateOf(notBefore) !== input.today) return [];
  return input.provinceAdmins.map((p) => ({
    key: `calendar-warning:${input.missingYear}:${input.today}`,
    userid: p.userid,
    locale: p.locale,
    kind: 'warning' as const,
    template: 'bot:reminders.calendar_missing',
    params: { year: String(input.missingYear) },
    subject: { kind: 'calendar' as const, id: String(input.missingYear) },
    late: isLate(now, at, s),
    notBefore,
  }));
}
