import { z } from 'zod';
import { parseObligationConfig } from './obligations/obligation.config';
import { parseTrackingSince } from './obligations/tracking';
import { parseInspectionConfig } from './inspection/inspection.config';
import { reviewWorkingDaysSchema } from './requests/review.settings';
import { strictInt } from './strict-input';

/** Locales the product speaks; every user-facing string exists in each (art. 25). */
export const SUPPORTED_LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const localeSchema = z.enum(SUPPORTED_LOCALES);

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/**
 * A whole number setting in decimal digits (`strictInt`: `PORT=0x50` is refused, not read as 80); unset or
 * empty takes the default.
 */
const envInt = (min: number, max: number, fallback: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), strictInt({ min, max, message: `a whole number from ${min} to ${max}, in decimal digits` }).default(fallback));

/** A China-local time of day, `HH:MM`. */
const hhmm = z.string().trim().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'like 09:00 (China time)');

/**
 * Every setting the service reads from the environment, validated once at start so a typo fails loudly
 * before anything listens or writes.
 */
export const configSchema = z.object({
  PORT: envInt(0, 65535, 3000),
  HOST: z.string().default('0.0.0.0'),
  MONGODB_URI: optionalText.pipe(
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
      .optional(),
  ),
  STEWARD_DATA_DIR: z.string().trim().min(1).default('./data'),
  STEWARD_DB_NAME: z.string().trim().regex(/^[A-Za-z0-9_-]{1,63}$/, 'letters, digits, _ and - only').default('steward'),
  STEWARD_LOCALE: localeSchema.default('zh-CN'),
  STEWARD_DEMO_DATA: z.enum(['auto', 'off']).default('auto'),
  STEWARD_BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, 'like 256kb or 1mb').default('1mb'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WECOM_CORP_ID: optionalText,
  WECOM_AGENT_ID: optionalText,
  WECOM_SECRET: optionalText,
  WECOM_TOKEN: optionalText,
  WECOM_AES_KEY: optionalText,
  WECOM_API_BASE: z.string().url().default('https://qyapi.weixin.qq.com'),
  /** The mini-program linked to the WeCom app: cards then open its pages (e.g. an approval card, its request). */
  WECOM_MINIPROGRAM_APPID: optionalText,
  /** The mini-program inside WeChat: `sns/jscode2session` (WeCom's mini-program login uses WECOM_*). */
  WECHAT_API_BASE: z.string().url().default('https://api.weixin.qq.com'),
  WECHAT_APPID: optionalText,
  WECHAT_SECRET: optionalText,
  /** Lifetime of a mini-program session token in seconds (its refresh token lives 30 days). */
  STEWARD_SESSION_TTL: envInt(60, 86_400, 7200),
  WECHATY_PUPPET: optionalText,
  WECHATY_PUPPET_TOKEN: optionalText,
  /** Reminder engine (jobs/, core/reminders), all China time: see core/reminders/reminder.settings.ts. */
  STEWARD_JOBS: z.enum(['on', 'off']).default('on'),
  STEWARD_REMINDER_START_AT: hhmm.default('09:00'),
  STEWARD_REMINDER_BEFORE_END_AT: hhmm.default('16:00'),
  STEWARD_DIGEST_AT: hhmm.default('08:30'),
  STEWARD_CALENDAR_WARNING_AT: hhmm.default('09:00'),
  STEWARD_QUIET_HOURS: z
    .string()
    .trim()
    .regex(/^(off|([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d)$/, 'like 22:00-08:00, or off')
    .default('22:00-08:00'),
  STEWARD_REMINDER_LATE_AFTER_MIN: envInt(1, 1440, 15),
  STEWARD_DELIVERY_MAX_ATTEMPTS: envInt(1, 100, 10),
  STEWARD_DELIVERY_BACKOFF_SEC: envInt(1, 86_400, 30),
  STEWARD_JOB_LOCK_LIMIT: envInt(1, 100, 10),
  STEWARD_JOB_LOCK_LIFETIME_SEC: envInt(10, 86_400, 600),
  /** Working days each approval level has to decide a request (core/requests/review.settings.ts). */
  STEWARD_REVIEW_WORKING_DAYS: reviewWorkingDaysSchema,
  /**
   * Dates of the recurring obligations (core/obligations/obligation.config.ts), as JSON; empty means the Hebei
   * Measures' defaults. E.g. `{"quarterly_check":{"monthsAfterQuarter":1},"annual_report_public":{"due":"01-15"}}`.
   */
  /**
   * The day this deployment started tracking deadlines (`YYYY-MM-DD`, China time): obligations and quarterly
   * checks due before it are neither overdue nor escalated (core/obligations/tracking.ts). Empty: the day the
   * database was created, recorded at first start (store/tracking-since.ts).
   */
  STEWARD_TRACKING_SINCE: optionalText.refine((v) => v === undefined || parseTrackingSince(v) !== undefined, 'a date like 2026-12-01'),
  STEWARD_OBLIGATIONS: optionalText.superRefine((v, ctx) => {
    try {
      parseObligationConfig(v);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  }),
  /**
   * The daily website inspection (art. 28; core/inspection/inspection.config.ts), as JSON; empty means the
   * national check's defaults. E.g. `{"probesPerDay":24,"downAlertMinutes":60,"columnLimitDays":{"other":180},"crawlFrom":"00:30"}`.
   */
  STEWARD_INSPECTION: optionalText.superRefine((v, ctx) => {
    try {
      parseInspectionConfig(v);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  }),
});

export type Config = z.infer<typeof configSchema>;
