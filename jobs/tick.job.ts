import type { JobSpec } from './job';

/** The request engine's heartbeat: due timers (offline windows, closure notices) and pending effects. */
export const tickJob: JobSpec = {
  name: 'tick',
  run: (env, now) => env.deps.effects.requests(now),
};
