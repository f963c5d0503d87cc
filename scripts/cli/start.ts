import type { Server } from 'node:http';
import { createApp } from '../../api/app';
import { openDatabase } from '../../lib/boot';
import { reminderSettingsOf } from '../../core/reminders/reminder.settings';
import { startJobs, type JobRunner } from '../../jobs/agenda';
import { registerChannel } from '../../bot/deliver';
import { wecomTarget } from '../../bot/wecom/groups-target';
import type { Reply } from '../../bot/reply';
import { wecomMiddleware } from '../../bot/wecom/routes';
import { servicesFromConfig } from '../../lib/services';
import { runCli } from './runtime';

/** `steward start`: the service on the configured (or embedded) database, until SIGINT/SIGTERM. */
export function start(): Promise<never> {
  return runCli(async (config, logger) => {
    const { db, close, supervisor } = await openDatabase(config, logger, { supervise: true });
    process.stderr.write(`Site Steward: ${db.description}\n`);
    // The composition root: every port, the WeCom channel when WECOM_* is set — built once, here.
    // Commits kick their effects at once (jobs/kick.ts); the periodic jobs below are the safety net.
    const services = servicesFromConfig(config, logger, {
      kickEffects: true,
      // Crawls on a worker thread, so a night's crawl does not delay the probes' timing on the main one.
      crawlIn: 'worker',
    });
    const { deps, wecom } = services;
    // The job engine (agenda): request timers, complaint outbox, reminders, digests, delivery to channels.
    const jobs: JobRunner | undefined =
      config.STEWARD_JOBS === 'on'
        ? await startJobs({ deps, housekeeping: services.housekeeping, delivery: services.delivery, logger, settings: reminderSettingsOf(config), lockLimit: config.STEWARD_JOB_LOCK_LIMIT, lockLifetimeMs: config.STEWARD_JOB_LOCK_LIFETIME_SEC * 1000 })
        : undefined;
    // Chat channels: WeCom when WECOM_* is set, Wechaty when WECHATY_PUPPET is. Each registers for delivery.
    if (wecom) {
      await wecom.channel.start();
      // The app menu from the command registry; in the background, and a failure only logs (bot/wecom/menu.ts).
      void wecom.publishMenu();
      // WeCom reaches every registry user by userid, and unit groups (`group:`/`robot:`) where the channel
      // knows them; Wechaty rooms (`room:`) are Wechaty's.
      const channel = wecom.channel as typeof wecom.channel & { sendOnce?: (to: string, reply: Reply, key: string) => Promise<void> };
      const target = (to: string) => wecomTarget(to, services.wecomStore);
      registerChannel({
        name: channel.name,
        send: async (to, reply) => channel.send((await target(to))!, reply),
        ...(channel.sendOnce ? { sendOnce: async (to: string, reply: Reply, key: string) => channel.sendOnce!((await target(to))!, reply, key) } : {}),
        reaches: async (to) => (await target(to)) !== undefined,
      });
      logger.info({ corpId: config.WECOM_CORP_ID, agentId: config.WECOM_AGENT_ID }, 'WeCom channel on /wecom/callback');
    }
    const wechaty = config.WECHATY_PUPPET ? await (await import('../../bot/wechaty/wechaty-channel')).startWechatyChannel({ deps, logger, config, store: services.wechatyStore }) : undefined;
    if (wechaty) {
      const { contactOfUserid, roomsOfUnit } = services.wechatyStore;
      // Wechaty reaches people who bound their WeChat account, and rooms bound to a unit.
      registerChannel({
        name: wechaty.name,
        send: (to, reply) => wechaty.send(to, reply),
        reaches: async (to) => (to.startsWith('room:') ? (await roomsOfUnit(to.slice(5))).length > 0 : !to.includes(':') && Boolean(await contactOfUserid(to))),
      });
    }
    const app = createApp({
      deps,
      logger,
      config: { bodyLimit: config.STEWARD_BODY_LIMIT, defaultLocale: config.STEWARD_LOCALE },
      rawBodyRoutes: wecom ? [wecomMiddleware(wecom)] : [],
      channelHealth: wecom ? () => ({ wecom: wecom.health() }) : undefined,
      auth: services.apiAuth,
      database: services.database,
      ...(supervisor ? { databaseUp: supervisor.up } : {}),
    });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(config.PORT, config.HOST, () => resolve(s));
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    logger.info({ port }, 'listening');
    process.stderr.write(`Site Steward listening on http://localhost:${port} (API /api/v1, docs /api/v1/openapi.json, /readyz)\n`);

    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        server.close(() => resolve());
        server.closeIdleConnections?.();
        setTimeout(() => server.closeAllConnections?.(), 5000).unref();
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    await services.kicker?.stop();
    await jobs?.stop();
    services.closeInspector();
    await wecom?.channel.stop();
    await wechaty?.stop();
    await close();
    return 0;
  });
}
