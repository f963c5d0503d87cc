import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUPPORTED_LOCALES } from '../core/config.schema';
import { loadLocaleResources } from '../lib/i18n';
import { errorCodesInSource } from '../test/error-codes';

const LOCALES = path.dirname(fileURLToPath(import.meta.url));
const resources = loadLocaleResources(LOCALES);

/** `{a: {b: 'x'}}` → `{'a.b': 'x'}`; values that are not strings are kept to be reported. */
function flatten(obj: Record<string, unknown>, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const [kk, vv] of flatten(v as Record<string, unknown>, key)) out.set(kk, vv);
    else out.set(key, v);
  }
  return out;
}

/** Plural forms differ by language (en has _one, zh has only _other): compare the base key. */
const PLURAL = /_(zero|one|two|few|many|other)$/;
const baseKey = (key: string) => key.replace(PLURAL, '');
const params = (s: unknown) => [...new Set([...String(s).matchAll(/{{\s*([\w.]+)\s*(?:,[^}]*)?}}/g)].map((m) => m[1]!))].sort();

const flat: Record<string, Record<string, Map<string, unknown>>> = {};
for (const lng of SUPPORTED_LOCALES) {
  flat[lng] = {};
  for (const [ns, tree] of Object.entries(resources[lng] ?? {})) flat[lng]![ns] = flatten(tree);
}
const namespaces = [...new Set(SUPPORTED_LOCALES.flatMap((lng) => Object.keys(flat[lng]!)))].sort();

/** Every key of a namespace in any locale, by base key, with the params of each locale's forms. */
function keysOf(ns: string): Map<string, Record<string, string[]>> {
  const out = new Map<string, Record<string, string[]>>();
  // A pluralized key gets `count` from i18next whether or not a form prints it ("1 working day after…").
  const plural = new Set(SUPPORTED_LOCALES.flatMap((lng) => [...(flat[lng]![ns]?.keys() ?? [])].filter((k) => PLURAL.test(k)).map(baseKey)));
  for (const lng of SUPPORTED_LOCALES) {
    for (const [key, value] of flat[lng]![ns] ?? new Map()) {
      const base = baseKey(key);
      const entry = out.get(base) ?? {};
      entry[lng] = [...new Set([...(entry[lng] ?? []), ...params(value)])].filter((p) => p !== 'count' || !plural.has(base)).sort();
      out.set(base, entry);
    }
  }
  return out;
}

describe('#locales', () => {
  it('has the same namespace files in every locale', () => {
    const files = (lng: string) => readdirSync(path.join(LOCALES, lng)).filter((f) => f.endsWith('.json')).sort();
    for (const lng of SUPPORTED_LOCALES) expect({ lng, files: files(lng) }).toEqual({ lng, files: files('zh-CN') });
    expect(namespaces).toEqual(expect.arrayContaining(['bot', 'commands', 'common', 'errors', 'import']));
  });

  it.each(namespaces)('has every key of %s in every locale, with the same {{params}}', (ns) => {
    const problems: string[] = [];
    for (const [key, byLng] of keysOf(ns)) {
      for (const lng of SUPPORTED_LOCALES) {
        if (!byLng[lng]) problems.push(`${lng} lacks ${ns}:${key}`);
        else if (byLng[lng].join(',') !== byLng['zh-CN']?.join(',')) problems.push(`${ns}:${key} params differ: zh-CN {${byLng['zh-CN']?.join(',')}} vs ${lng} {${byLng[lng].join(',')}}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('holds only non-empty strings', () => {
    const problems: string[] = [];
    for (const lng of SUPPORTED_LOCALES)
      for (const ns of namespaces) for (const [key, value] of flat[lng]![ns] ?? new Map()) if (typeof value !== 'string' || value.trim() === '') problems.push(`${lng} ${ns}:${key}`);
    expect(problems).toEqual([]);
  });

  it('has a message in every locale for every error code the code base uses', () => {
    const codes = errorCodesInSource();
    // The scan finds the codes we know are there, so a broken pattern cannot pass silently.
    expect([...codes.keys()]).toEqual(expect.arrayContaining(['site_admin_only', 'domain_not_gov_cn', 'department_domain_not_under_portal', 'unit_code_invalid', 'site_unknown', 'userid_format', 'site_ref_required', 'validation_failed', 'not_found']));
    const missing: string[] = [];
    for (const [code, file] of codes) for (const lng of SUPPORTED_LOCALES) if (!flat[lng]!.errors?.has(code)) missing.push(`${lng} errors:${code} (used in ${file})`);
    expect(missing).toEqual([]);
  });

  it('says 门户网站, never 入口网站, in Chinese', () => {
    const bad: string[] = [];
    for (const ns of namespaces) for (const [key, value] of flat['zh-CN']![ns] ?? new Map()) if (/入口[网網]站/.test(String(value))) bad.push(`${ns}:${key}`);
    expect(bad).toEqual([]);
  });
});

describe('#locales part files', () => {
  function dirWith(files: Record<string, unknown>): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'locales-'));
    for (const lng of SUPPORTED_LOCALES) {
      mkdirSync(path.join(dir, lng));
      for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, lng, name), JSON.stringify(body));
    }
    return dir;
  }

  it('merges two parts that add keys under the same subtree instead of dropping one', () => {
    const merged = loadLocaleResources(dirWith({ 'bot.json': { report: { a: 'A', deep: { x: 'X' } } }, 'bot.extra.json': { report: { b: 'B', deep: { y: 'Y' } } } }));
    expect(merged['zh-CN']!.bot).toEqual({ report: { a: 'A', b: 'B', deep: { x: 'X', y: 'Y' } } });
  });

  it('refuses two parts that set the same key', () => {
    expect(() => loadLocaleResources(dirWith({ 'bot.json': { report: { a: 'A' } }, 'bot.extra.json': { report: { a: 'other' } } }))).toThrow(/report\.a/);
  });
});
