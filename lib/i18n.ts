import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n } from 'i18next';
import { SUPPORTED_LOCALES, type Locale } from '../core/config.schema';
import type { Translate } from '../core/i18n';

const LOCALES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'locales');

/**
 * Reads every `locales/<lng>/<ns>[.<part>].json`; parts merge into their namespace, so each feature keeps
 * its own file (`errors.requests.json` adds to `errors`). The same files are copied into the mini-program.
 */
export function loadLocaleResources(dir = LOCALES_DIR): Record<string, Record<string, Record<string, unknown>>> {
  const resources: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const lng of SUPPORTED_LOCALES) {
    resources[lng] = {};
    for (const file of readdirSync(path.join(dir, lng)).filter((f) => f.endsWith('.json'))) {
      const ns = file.split('.')[0]!;
      resources[lng][ns] = { ...resources[lng][ns], ...JSON.parse(readFileSync(path.join(dir, lng, file), 'utf8')) };
    }
  }
  return resources;
}

let instance: i18n | undefined;

/** One i18next instance per process, loaded synchronously from disk at first use. */
export function i18n(): i18n {
  if (instance) return instance;
  const resources = loadLocaleResources();
  instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: 'zh-CN',
    fallbackLng: false,
    supportedLngs: [...SUPPORTED_LOCALES],
    ns: Object.keys(resources['zh-CN'] ?? {}),
    defaultNS: 'common',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}

/** A translate function bound to one locale, as handlers and renderers receive it. */
export function translatorFor(lng: Locale): Translate {
  const t = i18n().getFixedT(lng);
  return (key, params) => t(key, params ?? {}) as string;
}
