/**
 * The mini-program speaks the server's languages from the same `locales/` files: the build merges the
 * namespaces it needs (common, errors, bot) into `locales/<lng>.js`. Keys are `ns:path`, params `{{name}}`,
 * as with i18next on the server.
 */
export type Lng = 'zh-CN' | 'en';
export const LANGUAGES: readonly Lng[] = ['zh-CN', 'en'];
type Tree = { [key: string]: string | Tree };

// The mini-program cannot import JSON: the build writes the locales as CommonJS modules, required statically.
const resources: Record<Lng, Record<string, Tree>> = {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  'zh-CN': require('../locales/zh-CN') as Record<string, Tree>,
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  en: require('../locales/en') as Record<string, Tree>,
};

const LNG_KEY = 'steward.lng';

/** The chosen language: the user's pick, else the signed-in user's own locale, else Chinese. */
export function currentLng(): Lng {
  const v = wx.getStorageSync(LNG_KEY) as unknown;
  return v === 'en' || v === 'zh-CN' ? v : 'zh-CN';
}

export function setLng(lng: Lng): void {
  wx.setStorageSync(LNG_KEY, lng);
}

export function translate(lng: Lng, key: string, params: Record<string, unknown> = {}): string {
  const [ns, path] = key.includes(':') ? (key.split(':', 2) as [string, string]) : ['common', key];
  let node: string | Tree | undefined = resources[lng][ns];
  for (const part of path.split('.')) node = node && typeof node === 'object' ? node[part] : undefined;
  if (typeof node !== 'string') return key;
  return node.replace(/{{\s*([\w.]+)\s*}}/g, (_m, name: string) => (params[name] === undefined ? '' : String(params[name])));
}

export function t(key: string, params?: Record<string, unknown>): string {
  return translate(currentLng(), key, params);
}

/** The labels a page shows, looked up once per render: `labels({title: 'mp.inbox.title'})`. */
export function labels<K extends string>(keys: Record<K, string>): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const k of Object.keys(keys) as K[]) out[k] = t(keys[k].includes(':') ? keys[k] : `common:${keys[k]}`);
  return out;
}
