import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildMiniprogram } from './build-miniprogram';

function files(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel)).flatMap((n) => (statSync(path.join(dir, rel, n)).isDirectory() ? files(dir, path.join(rel, n)) : [path.join(rel, n)]));
}

describe('#miniprogram.build', () => {
  it('type-checks the mini-program (with the DTO types of core/) and builds a folder WeChat DevTools opens as is', () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'steward-mp-build-'));
    const result = buildMiniprogram({ outDir });
    expect(result.diagnostics).toEqual([]);
    const app = JSON.parse(readFileSync(path.join(outDir, 'app.json'), 'utf8')) as { pages: string[] };
    expect(app.pages).toEqual(expect.arrayContaining(['pages/login/index', 'pages/inbox/index', 'pages/request/index', 'pages/complaints/index', 'pages/checks/index', 'pages/notices/index']));
    for (const page of app.pages) for (const ext of ['js', 'json', 'wxml', 'wxss']) expect(existsSync(path.join(outDir, `${page}.${ext}`))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(outDir, 'project.config.json'), 'utf8'))).toMatchObject({ compileType: 'miniprogram', miniprogramRoot: './' });
    const js = files(outDir).filter((f) => f.endsWith('.js') && !f.startsWith('miniprogram_npm'));
    // Only relative requires: type-only imports of core/ and zod are gone, no TypeScript is left.
    for (const f of js) {
      const text = readFileSync(path.join(outDir, f), 'utf8');
      for (const m of text.matchAll(/require\("([^"]+)"\)/g)) expect({ f, module: m[1] }).toEqual({ f, module: expect.stringMatching(/^\.\.?\//) });
      expect(text).not.toMatch(/^import\s/m);
    }
    expect(files(outDir).some((f) => f.endsWith('.ts'))).toBe(false);
    // The locales are the server's, merged per language.
    const en = readFileSync(path.join(outDir, 'locales', 'en.js'), 'utf8');
    expect(en).toContain('temp_offline_too_long');
    expect(en).toContain('Awaiting my decision');
  });

  it('brings TDesign in as "构建 npm" does and compiles the server address in from STEWARD_MP_API_BASE', () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'steward-mp-build-'));
    const result = buildMiniprogram({ outDir, typecheck: false, apiBase: 'https://steward.example.gov.cn/' });
    expect(result.diagnostics).toEqual([]);
    // Every component a page names resolves in miniprogram_npm, as WeChat resolves a bare npm path.
    const app = JSON.parse(readFileSync(path.join(outDir, 'app.json'), 'utf8')) as { usingComponents: Record<string, string> };
    for (const p of Object.values(app.usingComponents)) expect(existsSync(path.join(outDir, 'miniprogram_npm', `${p}.json`))).toBe(true);
    // Its ES modules are CommonJS now, and its bare requires point into miniprogram_npm.
    const button = readFileSync(path.join(outDir, 'miniprogram_npm/tdesign-miniprogram/button/button.js'), 'utf8');
    expect(button).not.toMatch(/^import\s/m);
    expect(button).not.toMatch(/require\("tslib"\)/);
    expect(readFileSync(path.join(outDir, 'config.js'), 'utf8')).toContain('"https://steward.example.gov.cn"');
  });

});
