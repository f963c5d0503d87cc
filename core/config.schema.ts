import { z } from 'zod';

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
 * Every setting the service reads from the environment, validated once at start so a typo fails loudly
 * before anything listens or writes.
 */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
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
  WECHATY_PUPPET: optionalText,
  WECHATY_PUPPET_TOKEN: optionalText,
});

export type Config = z.infer<typeof configSchema>;
