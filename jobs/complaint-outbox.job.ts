import type { JobSpec } from './job';

/**
 * Error reports' pending effects (the per-document outbox) → notification documents, once each; then the
 * register of open deadlines' upkeep: entries whose report, request or site check was written but not its
 * register entry (a crash between the two writes, or a database older than the register) are applied, and the
 * people who act are resolved for the error-report entries set since the last run.
 */
export const complaintOutboxJob: JobSpec = {
  name: 'complaint-outbox',
  run: async (env, now) => {
    const effects = await env.deps.effects.complaints(now, { quietHours: env.settings.quietHours });
    const register = await env.deps.deadlines.maintain(now);
    return { ...effects, register };
  },
};
