import type { Server } from 'node:http';
import { createApp } from '../../api/app';
import { openDatabase } from '../../lib/boot';
import { startTicker } from '../../lib/ticker';
import { storeDeps } from '../../store/index';
import { runDueTimers } from '../../store/outbox';
import { runCli } from './runtime';

/** `steward start`: the service on the configured (or embedded) database, until SIGINT/SIGTERM. */
export function start(): Promise<never> {
  return runCli(async (config, logger) => {
    const { db, close } = await openDatabase(config, logger);
    process.stderr.write(`Site Steward: ${db.description}\n`);
    const deps = storeDeps();
    const ticker = startTicker(deps, logger, runDueTimers);
    const app = createApp({ deps, logger, config: { bodyLimit: config.STEWARD_BODY_LIMIT, defaultLocale: config.STEWARD_LOCALE } });
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
    await ticker.stop();
    await close();
    return 0;
  });
}
