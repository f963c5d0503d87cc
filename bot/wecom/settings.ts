import type { Config, Locale } from '../../core/config.schema';

/** WeCom's documented per-member limit for one app: 30 messages a minute and 1000 an hour (doc 90236). */
export interface PaceSettings {
  perMinute: number;
  minuteMs: number;
  perHour: number;
  hourMs: number;
  /**
   * Added to both windows: a message reserved at t may reach WeCom a little later than the one reserved
   * 30 slots after it, so our windows are a bit longer than WeCom's to stay under its count.
   */
  marginMs: number;
}

/** Everything the WeCom channel needs; built from the environment, with knobs tests shorten. */
export interface WecomSettings {
  corpId: string;
  agentId: number;
  secret: string;
  token: string;
  aesKey: string;
  apiBase: string;
  defaultLocale: Locale;
  /** The AppID of the mini-program linked to the app (WECOM_MINIPROGRAM_APPID): cards open its pages. */
  miniprogramAppid?: string;
  /** A callback whose `timestamp` is further than this from our clock is refused (replay guard). */
  replayWindowMs: number;
  /** Largest callback body read; WeCom's envelopes are a few KB. */
  maxBodyBytes: number;
  pace: PaceSettings;
  /** `duplicate_check_interval` on message/send: WeCom's own guard against our retry after a lost answer. */
  duplicateCheckSeconds: number;
  httpTimeoutMs: number;
  /** Quick retries inside one API call on 5xx / -1 / network errors, before the outbox's slower ones. */
  httpRetries: number;
  retryBaseMs: number;
  /** Refresh the access token this long before WeCom says it expires. */
  tokenRefreshMarginMs: number;
  /** appchat/send: WeCom lets each member receive 200 group messages a minute; we pace each chat below that. */
  groupPace: GroupPace;
  /** A group robot (webhook) takes 20 messages a minute; past that WeCom answers 45009 and drops the message. */
  robotPace: GroupPace;
  inbound: {
    /** A callback recorded `received` but not finished this long after its run started is run again. */
    leaseMs: number;
    /** How often each instance looks for such callbacks (besides at start). */
    recoverEveryMs: number;
    /** Runs of one callback before it is given up (marked `failed`). */
    maxRuns: number;
    /**
     * On stop, how long to keep running the accepted callbacks still queued; the rest stay `received` and
     * are recovered after their lease (here after a restart, or by another instance).
     */
    stopGraceMs: number;
  };
  outbox: {
    /** A claimed message not finished by then is claimed again (its sender died or hung). */
    leaseMs: number;
    pollMs: number;
    workers: number;
    /** Attempts of a transient failure before a message is marked failed. */
    maxAttempts: number;
    backoffBaseMs: number;
    backoffMaxMs: number;
  };
}

export const DEFAULT_PACE: PaceSettings = { perMinute: 30, minuteMs: 60_000, perHour: 1000, hourMs: 3_600_000, marginMs: 2_000 };

/** A per-minute pace for one group chat or one group robot (no hourly limit). */
export interface GroupPace {
  perMinute: number;
  minuteMs: number;
  marginMs: number;
}

export const DEFAULT_GROUP_PACE: GroupPace = { perMinute: 100, minuteMs: 60_000, marginMs: 2_000 };
export const DEFAULT_ROBOT_PACE: GroupPace = { perMinute: 20, minuteMs: 60_000, marginMs: 2_000 };

export type WecomOverrides = Partial<Omit<WecomSettings, 'pace' | 'outbox' | 'groupPace' | 'robotPace' | 'inbound'>> & {
  pace?: Partial<PaceSettings>;
  groupPace?: Partial<GroupPace>;
  robotPace?: Partial<GroupPace>;
  inbound?: Partial<WecomSettings['inbound']>;
  outbox?: Partial<WecomSettings['outbox']>;
};

/** Why the settings cannot be used; each message names the variable. */
export class WecomSettingsError extends Error {}

/**
 * The channel's settings, or undefined when WeCom is not configured (no WECOM_* at all): the channel then
 * does not start. Half a configuration is an error, named variable by variable.
 */
export function wecomSettingsFromConfig(config: Config, over: WecomOverrides = {}): WecomSettings | undefined {
  const raw = {
    WECOM_CORP_ID: config.WECOM_CORP_ID,
    WECOM_AGENT_ID: config.WECOM_AGENT_ID,
    WECOM_SECRET: config.WECOM_SECRET,
    WECOM_TOKEN: config.WECOM_TOKEN,
    WECOM_AES_KEY: config.WECOM_AES_KEY,
  };
  if (Object.values(raw).every((v) => !v)) return undefined;
  const missing = Object.entries(raw).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length) throw new WecomSettingsError(`WeCom is half configured: set ${missing.join(', ')}`);
  return buildWecomSettings(
    {
      corpId: raw.WECOM_CORP_ID!,
      agentId: Number(raw.WECOM_AGENT_ID),
      secret: raw.WECOM_SECRET!,
      token: raw.WECOM_TOKEN!,
      aesKey: raw.WECOM_AES_KEY!,
      apiBase: config.WECOM_API_BASE,
      defaultLocale: config.STEWARD_LOCALE,
      ...(config.WECOM_MINIPROGRAM_APPID ? { miniprogramAppid: config.WECOM_MINIPROGRAM_APPID } : {}),
    },
    over,
  );
}

/** Fills defaults and checks the shapes WeCom prescribes (Token ≤32 alnum, EncodingAESKey 43 chars). */
export function buildWecomSettings(
  base: Pick<WecomSettings, 'corpId' | 'agentId' | 'secret' | 'token' | 'aesKey' | 'apiBase' | 'defaultLocale' | 'miniprogramAppid'>,
  over: WecomOverrides = {},
): WecomSettings {
  const s: WecomSettings = {
    replayWindowMs: 5 * 60_000,
    maxBodyBytes: 64 * 1024,
    duplicateCheckSeconds: 180,
    httpTimeoutMs: 10_000,
    httpRetries: 2,
    retryBaseMs: 300,
    tokenRefreshMarginMs: 5 * 60_000,
    ...base,
    ...over,
    pace: { ...DEFAULT_PACE, ...over.pace },
    groupPace: { ...DEFAULT_GROUP_PACE, ...over.groupPace },
    robotPace: { ...DEFAULT_ROBOT_PACE, ...over.robotPace },
    inbound: { leaseMs: 5 * 60_000, recoverEveryMs: 30_000, maxRuns: 3, stopGraceMs: 10_000, ...over.inbound },
    outbox: { leaseMs: 60_000, pollMs: 500, workers: 4, maxAttempts: 10, backoffBaseMs: 1_000, backoffMaxMs: 10 * 60_000, ...over.outbox },
  };
  const problems: string[] = [];
  if (!Number.isInteger(s.agentId) || s.agentId <= 0) problems.push('WECOM_AGENT_ID must be the numeric AgentId');
  if (!/^[A-Za-z0-9]{1,32}$/.test(s.token)) problems.push('WECOM_TOKEN must be 1-32 letters or digits');
  if (!/^[A-Za-z0-9+/]{43}$/.test(s.aesKey)) problems.push('WECOM_AES_KEY must be the 43-character EncodingAESKey');
  if (s.miniprogramAppid !== undefined && !/^wx[0-9a-f]{16}$/i.test(s.miniprogramAppid)) problems.push('WECOM_MINIPROGRAM_APPID must be a mini-program AppID (wx and 16 hex digits)');
  if (s.duplicateCheckSeconds < 0 || s.duplicateCheckSeconds > 4 * 3600) problems.push('duplicate check interval is at most 4 h');
  if (problems.length) throw new WecomSettingsError(problems.join('; '));
  s.apiBase = s.apiBase.replace(/\/+$/, '');
  return s;
}
