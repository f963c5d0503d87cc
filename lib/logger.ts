import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * One structured logger for the process. Secrets never reach it: the redact list covers every field that
 * could carry one (WeCom secret, token, AES key, access tokens, authorization headers).
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'site-steward' },
      redact: {
        paths: ['secret', 'token', 'aesKey', 'access_token', 'password', '*.secret', '*.token', '*.aesKey', '*.access_token', 'req.headers.authorization', 'headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination ?? pino.destination(2),
  );
}
