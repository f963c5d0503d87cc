import { z } from 'zod';
import { tryDayNumber } from '../calendar/civil-date';

/** The recurring duties of the Measures this module schedules. */
export const OBLIGATION_IDS = [
  'quarterly_check',
  'supervision_report',
  'security_self_check',
  'special_meeting',
  'annual_report_public',
  'annual_report_sealed',
  'mailbox_check',
] as const;
export type ObligationId = (typeof OBLIGATION_IDS)[number];

/** `MM-DD`; 02-29 is allowed and means the last day of February in common years. */
const monthDay = z
  .string()
  .trim()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'obligation_month_day')
  .refine((v) => tryDayNumber(`2024-${v}`) !== undefined, 'obligation_month_day');

const siteFilter = z.object({ level: z.enum(['province', 'city', 'county', 'township']), kind: z.enum(['portal', 'department']).optional() }).strict();
export type SiteFilter = z.infer<typeof siteFilter>;

const enabled = z.boolean().default(true);

/**
 * The dates of every obligation, defaulting to the Hebei Measures; another province sets its own with
 * `STEWARD_OBLIGATIONS` (a JSON object of this shape; any part left out keeps its default).
 */
export const obligationConfigSchema = z
  .object({
    /** Art. 32: each quarter's check published and reported by the end of the month `monthsAfterQuarter` after the quarter's last month (2: Q4 → end of February). */
    quarterly_check: z.object({ enabled, monthsAfterQuarter: z.number().int().min(-2).max(6).default(2) }).strict().prefault({}),
    /** Art. 32: the yearly supervision report of a supervising unit, by this day of the following year. */
    supervision_report: z.object({ enabled, due: monthDay.default('01-31') }).strict().prefault({}),
    /** Art. 29: at least one security self-check per half year, due by these days (a day before July counts in the next year for the second half). */
    security_self_check: z.object({ enabled, firstHalfDue: monthDay.default('06-30'), secondHalfDue: monthDay.default('12-31') }).strict().prefault({}),
    /** Art. 30: at least one special meeting a year, minutes reported, by this day of the same year. */
    special_meeting: z.object({ enabled, due: monthDay.default('12-31') }).strict().prefault({}),
    /** Art. 36: the annual report public by this day of the following year. */
    annual_report_public: z.object({ enabled, due: monthDay.default('01-31') }).strict().prefault({}),
    /** Art. 36: the sealed copy to the province by this day of the following year, for the sites these filters match (cities incl. 定州/辛集, provincial departments). */
    annual_report_sealed: z
      .object({
        enabled,
        due: monthDay.default('01-30'),
        appliesTo: z.array(siteFilter).default([{ level: 'city' }, { level: 'province', kind: 'department' }]),
      })
      .strict()
      .prefault({}),
    /** Art. 23: the netizen mailbox looked at every day; a quiet digest item, never a ping or an escalation. */
    mailbox_check: z.object({ enabled }).strict().prefault({}),
    /**
     * Reminders (the daily digest's obligation lines, quarterly check campaign reminders) start this many
     * working days before a due day: with 3, a due day on Monday 30 November is reminded of from Wednesday 25.
     */
    remindWorkingDays: z.number().int().min(0).max(30).default(3),
    /** Overdue this many days (or more) makes an escalation candidate. */
    escalateAfterDays: z.number().int().min(0).max(365).default(1),
    /** `obligationsDue` reports what falls due within this many days. */
    horizonDays: z.number().int().min(0).max(366).default(30),
    /** …and what fell due this many days ago at most and is still not acknowledged. */
    lookbackDays: z.number().int().min(1).max(800).default(120),
  })
  .strict();

export type ObligationConfig = z.output<typeof obligationConfigSchema>;

export const DEFAULT_OBLIGATION_CONFIG: ObligationConfig = obligationConfigSchema.parse({});

/**
 * The deployment's configuration from the `STEWARD_OBLIGATIONS` text (JSON), defaults when empty. Throws a
 * readable error for a typo, so the service refuses to start instead of computing wrong deadlines.
 */
export function parseObligationConfig(text: string | undefined): ObligationConfig {
  if (!text || !text.trim()) return DEFAULT_OBLIGATION_CONFIG;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error('STEWARD_OBLIGATIONS is not valid JSON');
  }
  const parsed = obligationConfigSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`STEWARD_OBLIGATIONS: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
