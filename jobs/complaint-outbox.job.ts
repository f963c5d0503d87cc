import { dispatchComplaintEffects } from '../store/notification-outbox';
import type { JobSpec } from './job';

/** Error reports' pending effects (the per-document outbox) → notification documents, once each. */
export const complaintOutboxJob: JobSpec = {
  name: 'complaint-outbox',
  run: (env, now) => dispatchComplaintEffects(env.deps, now, { quietHours: env.settings.quietHours }),
};
