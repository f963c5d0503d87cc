import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createLogger } from '../../lib/logger';
import { WecomInboundModel } from '../../store/wecom-inbound.model';
import { useTestDatabase } from '../../test/db';
import { createServices } from '../../lib/services';
import { createWecomCallback, type InboundMessage } from './callback';
import { sealEnvelope, signatureOf } from './crypto';
import { buildWecomSettings } from './settings';
import { buildXml } from './xml';

useTestDatabase();

const settings = buildWecomSettings({ corpId: 'wwstop', agentId: 1000002, secret: 's', token: 'tok', aesKey: 'b'.repeat(43), apiBase: 'http://127.0.0.1:9', defaultLocale: 'zh-CN' });

async function post(port: number, msgId: string): Promise<number> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const inner = buildXml({ ToUserName: 'wwstop', FromUserName: 'demo.siteadmin', CreateTime: timestamp, MsgType: 'text', Content: 'whoami', MsgId: msgId, AgentID: 1000002 });
  const encrypted = sealEnvelope(settings.aesKey, inner, 'wwstop');
  const query = new URLSearchParams({ msg_signature: signatureOf(settings.token, timestamp, 'n0nce', encrypted), timestamp, nonce: 'n0nce' });
  const res = await fetch(`http://127.0.0.1:${port}/?${query}`, { method: 'POST', body: buildXml({ ToUserName: 'wwstop', AgentID: 1000002, Encrypt: encrypted }) });
  return res.status;
}

describe('#wecom callback stop', () => {
  it('leaves the accepted messages not started yet as they are (received, for recovery) and waits for the running one', async () => {
    let unblock!: () => void;
    const blocked = new Promise<void>((r) => (unblock = r));
    const ran: string[] = [];
    const cb = createWecomCallback({
      settings,
      logger: createLogger('silent'),
      store: createServices().wecomStore,
      maxConcurrentCommands: 1,
      quietAfterMs: 0,
      onMessage: async (m: InboundMessage) => {
        ran.push(m.key);
        await blocked;
      },
    });
    const app = new Koa();
    app.use(cb.middleware);
    const server = http.createServer(app.callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as AddressInfo;
    try {
      for (const id of ['8100000000000000001', '8100000000000000002', '8100000000000000003']) expect(await post(port, id)).toBe(200);
      for (let i = 0; i < 50 && ran.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(ran).toEqual(['msg:8100000000000000001']);

      let stopped: number | undefined;
      const stopping = cb.stop(0).then((left) => (stopped = left));
      await new Promise((r) => setTimeout(r, 50));
      expect(stopped).toBeUndefined(); // the running one is waited for
      unblock();
      await stopping;
      expect(stopped).toBe(2);
      expect(ran).toEqual(['msg:8100000000000000001']);
      const docs = await WecomInboundModel.find({ _id: /^msg:81000000000000000/ }).lean();
      expect(docs.map((d) => [d._id, d.status]).sort()).toEqual([
        ['msg:8100000000000000001', 'received'],
        ['msg:8100000000000000002', 'received'],
        ['msg:8100000000000000003', 'received'],
      ]);
    } finally {
      unblock();
      server.close();
    }
  });
});
