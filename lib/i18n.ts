import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n } from 'i18next';
import { SUPPORTED_LOCALES, type Locale } from '../core/config.schema';
import type { Translate } from '../core/i18n';

const LOCALES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'locales');

type Tree = Record<string, unknown>;
const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Deep merge of one part file into its namespace: two parts may both add keys under `annual_report`, but
 * two parts giving the same key a value is a mistake we refuse loudly (a shallow merge used to drop one
 * part's whole subtree without a word).
 */
function mergeParts(into: Tree, part: Tree, file: string, at = ''): Tree {
  const out: Tree = { ...into };
  for (const [key, value] of Object.entries(part)) {
    const here = at ? `${at}.${key}` : key;
    if (!(key in out)) out[key] = value;
    else if (isTree(out[key]) && isTree(value)) out[key] = mergeParts(out[key], value, file, here);
    else throw new Error(`locales: ${file} sets "${here}", which another part of the namespace already sets`);
  }
  return out;
}

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
      resources[lng][ns] = mergeParts(resources[lng][ns] ?? {}, JSON.parse(readFileSync(path.join(dir, lng, file), 'utf8')) as Record<string, unknown>, `${lng}/${file}`);
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
