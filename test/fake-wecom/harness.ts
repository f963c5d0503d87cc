import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { Router } from '@koa/router';
import { mountWecom } from '../../bot/wecom/routes';
import { buildWecomSettings, type WecomOverrides } from '../../bot/wecom/settings';
import type { Wecom } from '../../bot/wecom/wecom';
import { createLogger, type Logger } from '../../lib/logger';
import { createServices } from '../../lib/services';
import { startFakeWecom, type FakeWecom } from './fake-wecom';

export interface WecomHarness {
  fake: FakeWecom;
  /** App instances sharing the test database, as behind a load balancer; the first one takes callbacks. */
  instances: Wecom[];
  /** Our callback URL on loopback, where the fake posts what WeCom would. */
  url: string;
  close(): Promise<void>;
}

/**
 * The WeCom channel as the tests meet it: a fake WeCom server, our channel configured against it (test
 * overrides on top), its drainers started, and `/wecom/callback` served on a loopback port.
 */
export async function startWecomHarness(over: WecomOverrides, opts: { instances?: number; logger?: Logger; menu?: boolean } = {}): Promise<WecomHarness> {
  const fake = await startFakeWecom();
  const settings = buildWecomSettings(
    { corpId: fake.corpId, agentId: fake.agentId, secret: fake.secret, token: fake.token, aesKey: fake.aesKey, apiBase: fake.base, defaultLocale: 'zh-CN' },
    over,
  );
  const logger = opts.logger ?? createLogger('silent');
  const instances = Array.from({ length: opts.instances ?? 1 }, () => createServices({ logger, wecom: { settings } }).wecom!);
  for (const w of instances) await w.channel.start();
  // As `steward start` does (scripts/cli/start.ts): the app menu, when the test asks for it.
  if (opts.menu) await instances[0]!.publishMenu();
  const router = new Router();
  mountWecom(router, instances[0]!);
  const app = new Koa();
  app.use(router.routes());
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    fake,
    instances,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/wecom/callback`,
    async close() {
      for (const w of instances) await w.channel.stop();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await fake.close();
    },
  };
}
