import { createChatEngine } from '../bot/chat-engine';
import { replyText } from '../bot/reply';
import { seedDemoIfEmpty } from '../store/demo/seed-demo';
import { depsDouble } from '../test/deps-double';
import { useTestDatabase } from '../test/db';
import { translatorFor } from './i18n';
import { createLogger } from './logger';
import { createServices } from './services';

useTestDatabase();

beforeAll(async () => {
  await seedDemoIfEmpty();
});

describe('#composition root', () => {
  it('builds every port of Deps: none is left undefined', () => {
    const { deps } = createServices();
    const missing = Object.entries(deps).filter(([, port]) => port === undefined || port === null);
    expect(missing).toEqual([]);
  });

  it('without WeCom configured, builds no WeCom channel and a groups port that says so, in the asker’s language', async () => {
    const services = createServices();
    expect(services.wecom).toBeUndefined();
    await expect(services.deps.wecomGroups.groupOf('130123')).rejects.toMatchObject({ code: 'wecom_groups_unavailable' });
    const engine = createChatEngine({ deps: services.deps, logger: createLogger('silent'), defaultLocale: 'zh-CN' });
    const answer = replyText(await engine.handle({ userid: 'demo.county', text: '建群', source: 'shell' }));
    expect(answer).toContain(translatorFor('zh-CN')('errors:wecom_groups_unavailable'));
  });

  it('hands chat commands their storage ports: a mini-program binding code and a Wechaty binding code, with no module loaded for its side effect', async () => {
    const engine = createChatEngine({ deps: createServices().deps, logger: createLogger('silent'), defaultLocale: 'zh-CN' });
    const mp = replyText(await engine.handle({ userid: 'demo.siteadmin', text: '小程序绑定码', source: 'shell' }));
    expect(mp).toMatch(/[A-Z0-9]{4}/);
    expect(mp).not.toContain(translatorFor('zh-CN')('errors:mp_binding_unavailable'));
    const wechaty = replyText(await engine.handle({ userid: 'demo.siteadmin', text: '绑定码', source: 'shell' }));
    expect(wechaty).not.toContain(translatorFor('zh-CN')('errors:wechaty_binding_unavailable'));
    expect(wechaty).toMatch(/[A-Z0-9]{8}/);
  });

  it('gives each call its own clock, so a test’s time never leaks into another’s', () => {
    const at = new Date('2026-03-01T00:00:00Z');
    expect(createServices({ clock: { now: () => at } }).deps.clock.now()).toBe(at);
    expect(createServices().deps.clock.now()).not.toBe(at);
  });
});

describe('#deps double', () => {
  it('answers the ports a test gives and refuses, by name, those it left out', async () => {
    const at = new Date('2026-03-01T00:00:00Z');
    const deps = depsDouble({ clock: { now: () => at } });
    expect(deps.clock.now()).toBe(at);
    expect(() => deps.sites.getById('x')).toThrow('deps.sites.getById: not in this test');
  });
});
