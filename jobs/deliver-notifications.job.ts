import { deliverPending } from '../bot/deliver';
import type { JobSpec } from './job';

/** Pending notifications → the registered channels, each exactly once (see bot/deliver.ts). */
export const deliverNotificationsJob: JobSpec = {
  name: 'deliver-notifications',
  run: (env, now) => deliverPending(now, { store: env.delivery, settings: env.settings, instance: env.instance, logger: env.logger, ...(env.channels ? { channels: env.channels } : {}) }),
};
