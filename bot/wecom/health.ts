import type { Logger } from '../../lib/logger';

/** Problems an operator must fix on WeCom's admin console; the code never heals them by itself. */
export type WecomProblemCode = 'ip_not_trusted' | 'no_visibility' | 'bad_credentials';

export interface WecomProblem {
  code: WecomProblemCode;
  errcode: number;
  errmsg: string;
  since: Date;
  hint: string;
}

export interface WecomHealthReport {
  ok: boolean;
  problems: WecomProblem[];
}

const HINTS: Record<WecomProblemCode, string> = {
  ip_not_trusted: 'WeCom error 60020: add this server\'s public IP to the app\'s 企业可信IP list (admin console → app → 企业可信IP).',
  no_visibility: 'WeCom error 60011: the recipient is outside the app\'s visible range (可见范围); widen it in the admin console.',
  bad_credentials: 'WeCom rejected the credentials (40001/40013/40056/…): check WECOM_CORP_ID, WECOM_SECRET and WECOM_AGENT_ID.',
};

/** Maps an errcode to a problem the operator must fix, if it is one. */
export function problemFor(errcode: number): WecomProblemCode | undefined {
  if (errcode === 60020) return 'ip_not_trusted';
  if (errcode === 60011) return 'no_visibility';
  if ([40001, 40013, 40056, 40091, 41002, 41004, 40089].includes(errcode)) return 'bad_credentials';
  return undefined;
}

/**
 * The health of the WeCom link as seen by this process: each problem logged once (at error, with the fix),
 * kept until a call of the same kind succeeds, and shown by `/readyz`.
 */
export function createWecomHealth(logger: Logger) {
  const problems = new Map<WecomProblemCode, WecomProblem>();
  return {
    report(code: WecomProblemCode, errcode: number, errmsg: string, now = new Date()): void {
      if (problems.has(code)) return;
      const p = { code, errcode, errmsg, since: now, hint: HINTS[code] };
      problems.set(code, p);
      logger.error({ wecom: { code, errcode, errmsg } }, p.hint);
    },
    clear(...codes: WecomProblemCode[]): void {
      for (const code of codes) {
        if (problems.delete(code)) logger.info({ wecom: { code } }, 'WeCom problem resolved');
      }
    },
    snapshot(): WecomHealthReport {
      return { ok: problems.size === 0, problems: [...problems.values()] };
    },
  };
}

export type WecomHealth = ReturnType<typeof createWecomHealth>;
