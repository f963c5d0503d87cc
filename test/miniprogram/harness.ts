import http from 'node:http';
import { apiPortsOf, createServices } from '../../lib/services';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { JSDOM } from 'jsdom';
import { createApp } from '../../api/app';
import { createLogger } from '../../lib/logger';
import { buildMiniprogram } from '../../scripts/build-miniprogram';
import { fakeMiniprogramConfig, startFakeWechat, type FakeWechat } from '../fake-wechat/fake-wechat';

/**
 * Page tests of the mini-program with miniprogram-simulate, against the real API.
 *
 * Why not `@jest-environment jsdom`: the test also runs the real server (Koa, mongoose) in-process, and
 * jest's jsdom environment is a browser realm: there mongoose resolves bson's browser build (ESM, refused by
 * `require`), and with node export conditions it still lacks TextEncoder and Node's typed-array realm. So the
 * test runs in the node environment and installs a jsdom window as the globals miniprogram-simulate and
 * j-component use (window, document, Element, Event, CustomEvent…): the same jsdom, without the realm split.
 */
export function installDom(): void {
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', { pretendToBeVisual: true, url: 'http://localhost/' });
  const g = globalThis as Record<string, unknown>;
  const win = dom.window as unknown as Record<string, unknown>;
  g.window = dom.window;
  for (const key of Object.getOwnPropertyNames(dom.window)) {
    if (key === 'localStorage' || key === 'sessionStorage') continue;
    // Node has its own Event/EventTarget; j-component dispatches jsdom's, which jsdom's elements require.
    if (!(key in g) || ['Event', 'CustomEvent', 'EventTarget'].includes(key)) g[key] = win[key];
  }
}

/**
 * The mini-program as WeChat DevTools would open it (TDesign in `miniprogram_npm`, as "构建 npm" leaves it),
 * built once per test file into a temp dir, talking to `apiBase` (the build's `STEWARD_MP_API_BASE`).
 */
export function buildOnce(apiBase = 'http://127.0.0.1:3000'): string {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'steward-mp-'));
  const result = buildMiniprogram({ outDir, typecheck: false, apiBase });
  if (result.diagnostics.length) throw new Error(result.diagnostics.join('\n'));
  return outDir;
}

export interface FakeWxOptions {
  /** 'wxwork' inside WeCom. */
  environment?: 'wxwork' | 'wechat';
  /** What wx.qy.login / wx.login answer: a code from the fake WeCom/WeChat peer. */
  loginCode: () => string;
}

/**
 * The `wx` the pages call: storage in memory, `wx.request` as a real HTTP call (to the API on loopback),
 * `wx.qy.login` / `wx.login` from the fake peer, navigation recorded.
 */
export function fakeWx(opts: FakeWxOptions) {
  const storage = new Map<string, unknown>();
  const navigations: string[] = [];
  /** What the pages asked WeChat to show: navigation titles, toasts, pull-to-refresh stops. */
  const shown = { titles: [] as string[], toasts: [] as string[], stoppedRefresh: 0 };
  // TDesign reads the base library's version: 2.19.1 keeps it off `wx://proxy-scroll-view`, which j-component lacks.
  const system = { platform: 'devtools', SDKVersion: '2.19.1', windowWidth: 375, windowHeight: 667, screenWidth: 375, screenHeight: 667, pixelRatio: 2, statusBarHeight: 20 };
  const requests: { method: string; url: string; status: number }[] = [];
  const login = (o: { success?: (r: { code: string }) => void }) => setTimeout(() => o.success?.({ code: opts.loginCode() }), 0);
  const api = {
    getStorageSync: (k: string) => (storage.has(k) ? storage.get(k) : ''),
    setStorageSync: (k: string, v: unknown) => void storage.set(k, v),
    removeStorageSync: (k: string) => void storage.delete(k),
    getSystemInfoSync: () => ({ ...system, ...(opts.environment === 'wxwork' ? { environment: 'wxwork' } : {}) }),
    getAppBaseInfo: () => ({ SDKVersion: system.SDKVersion, language: 'zh_CN', theme: 'light' }),
    getWindowInfo: () => ({ ...system, safeArea: { top: 20, bottom: 667, left: 0, right: 375, width: 375, height: 647 } }),
    setNavigationBarTitle: (o: { title: string }) => void shown.titles.push(o.title),
    showToast: (o: { title: string }) => void shown.toasts.push(o.title),
    stopPullDownRefresh: () => void shown.stoppedRefresh++,
    switchTab: (o: { url: string }) => void navigations.push(o.url),
    redirectTo: (o: { url: string }) => void navigations.push(o.url),
    navigateBack: () => void navigations.push('back'),
    login,
    qy: opts.environment === 'wxwork' ? { login } : undefined,
    reLaunch: (o: { url: string }) => void navigations.push(o.url),
    navigateTo: (o: { url: string }) => void navigations.push(o.url),
    request(o: { url: string; method?: string; data?: unknown; header?: Record<string, string>; success?: (r: unknown) => void; fail?: (e: unknown) => void }) {
      const method = o.method ?? 'GET';
      const body = method === 'POST' ? JSON.stringify(o.data ?? {}) : undefined;
      const req = http.request(o.url, { method, headers: { ...o.header, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let data: unknown = text;
          try {
            data = JSON.parse(text);
          } catch {
            /* not JSON: wx passes the text */
          }
          requests.push({ method, url: o.url, status: res.statusCode ?? 0 });
          o.success?.({ statusCode: res.statusCode, data, header: res.headers });
        });
      });
      req.on('error', (e) => o.fail?.({ errMsg: `request:fail ${e.message}` }));
      if (body) req.write(body);
      req.end();
    },
  };
  return { api, storage, navigations, requests, shown };
}

export type Simulate = {
  load(p: string, o: Record<string, unknown>): string;
  render(id: string): Page;
  sleep(ms?: number): Promise<void>;
};
export interface Elem {
  dom: HTMLElement;
  dispatchEvent(name: string, o?: Record<string, unknown>): void;
}
export interface Page {
  dom: HTMLElement;
  instance: { data: Record<string, unknown>; onLoad(query?: Record<string, string>): unknown; [method: string]: unknown };
  attach(parent: HTMLElement): void;
  querySelector(sel: string): Elem | null;
  querySelectorAll(sel: string): Elem[];
}

const require = createRequire(import.meta.url);

/** miniprogram-simulate (CommonJS), loaded after the DOM exists; its `wx` replaced by `wx`. */
export function simulator(wx: Record<string, unknown>): Simulate {
  const simulate = require('miniprogram-simulate') as Simulate;
  Object.assign((globalThis as unknown as { wx: Record<string, unknown> }).wx, wx);
  const g = globalThis as unknown as Record<string, unknown>;
  g.getApp = () => ({ globalData: {} });
  // The page stack as WeChat keeps it: the last page opened is the current one (the tab bar reads its route).
  g.getCurrentPages = () => [{ route: currentRoute.value }];
  return simulate;
}

const loaded = new Map<string, string>();
/** The route of the page opened last (`getCurrentPages()`). */
export const currentRoute = { value: '' };

/**
 * The npm components a page uses (app.json's global ones and its own), as WeChat resolves a bare
 * `tdesign-miniprogram/button/button` after "构建 npm": to `/miniprogram_npm/tdesign-miniprogram/button/button`.
 */
function npmComponents(outDir: string, file: string): Record<string, string> {
  const using = (json: string) => ((JSON.parse(readFileSync(json, 'utf8')) as { usingComponents?: Record<string, string> }).usingComponents ?? {});
  const all = { ...using(path.join(outDir, 'app.json')), ...using(`${file}.json`) };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => !/^[./]/.test(v)).map(([k, v]) => [k, `/miniprogram_npm/${v}`]));
}

/** Loads a built component (a page or the custom tab bar) once, with WeChat's own template compiler (wcc). */
export function loadComponent(simulate: Simulate, outDir: string, rel: string): string {
  const file = path.join(outDir, rel);
  if (!loaded.has(file)) loaded.set(file, simulate.load(file, { compiler: 'official', rootPath: outDir, usingComponents: npmComponents(outDir, file) }));
  return loaded.get(file)!;
}

/**
 * Compiles the whole build's templates (wcc compiles a root at once: the pages and TDesign's components) before
 * the first test, so no test pays for it inside its own time limit.
 */
export function warmUp(simulate: Simulate, outDir: string): void {
  loadComponent(simulate, outDir, path.join('pages', 'login', 'index'));
}

/**
 * A fresh instance of a built page (a Component-constructed page, as WeChat allows), attached. Each page's
 * definition is loaded once: jest's module registry runs the page's JS once, as the mini-program does.
 */
export function openPage(simulate: Simulate, outDir: string, page: string): Page {
  currentRoute.value = `pages/${page}/index`;
  const comp = simulate.render(loadComponent(simulate, outDir, path.join('pages', page, 'index')));
  comp.attach(document.createElement('parent-wrapper'));
  return comp;
}

export async function waitFor<T>(probe: () => T | undefined | null | false, what: string, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const textOf = (page: Page, sel: string) => page.querySelector(sel)?.dom.textContent?.trim() ?? '';
/** Types into a field: native `<input>` answers `input`, TDesign's `t-input`/`t-textarea` answer `change`. */
export const type = (page: Page, sel: string, value: string) => {
  const el = page.querySelector(sel)!;
  el.dispatchEvent('input', { detail: { value } });
  el.dispatchEvent('change', { detail: { value } });
};
/** Picks a value in a `<picker>` (a date `2028-07-01`, or a selector's index). */
export const pick = (page: Page, sel: string, value: string | number) => page.querySelector(sel)!.dispatchEvent('change', { detail: { value } });
/** Confirms the page's open `t-dialog` (`#confirm-dialog`), as the user's tap on its confirm button would. */
export const confirmDialog = (page: Page, sel = '#confirm-dialog') => page.querySelector(sel)!.dispatchEvent('confirm');
export const tap = (page: Page, sel: string) => page.querySelector(sel)!.dispatchEvent('tap');

/**
 * The API of `createApp` on loopback (the test database, the fake WeChat/WeCom peer), a built mini-program and
 * a simulator whose `wx` talks to it; `signIn(userid)` signs in on the login page through `wx.qy.login`.
 * Call at the top level of a test file, after `useTestDatabase()` and `installDom()`.
 */
export function useMiniprogramApi(deps: Parameters<typeof createApp>[0]['deps']) {
  const env = { base: '', outDir: '', who: '', fake: undefined as unknown as FakeWechat, simulate: undefined as unknown as Simulate };
  const wx = fakeWx({ environment: 'wxwork', loginCode: () => env.fake.wecomCode(env.who) });
  let server: http.Server;
  beforeAll(async () => {
    env.fake = await startFakeWechat();
    const app = createApp({
      deps,
      ...apiPortsOf(createServices()),
      logger: createLogger('silent'),
      config: { bodyLimit: '1mb', defaultLocale: 'zh-CN' },
      miniprogram: fakeMiniprogramConfig(env.fake),
    });
    server = http.createServer(app.callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    env.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    env.outDir = buildOnce(env.base);
    env.simulate = simulator(wx.api);
    warmUp(env.simulate, env.outDir);
  }, 180_000);
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await env.fake.close();
  });
  async function signIn(userid: string): Promise<Page> {
    env.who = userid;
    wx.storage.clear();
    wx.navigations.length = 0;
    const login = openPage(env.simulate, env.outDir, 'login');
    login.instance.onLoad();
    tap(login, '#sign-in');
    await waitFor(() => wx.navigations.includes('/pages/inbox/index'), `${userid} signed in`);
    return login;
  }
  return { env, wx, signIn, open: (page: string) => openPage(env.simulate, env.outDir, page) };
}
