import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { loadLocaleResources } from '../lib/i18n';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const MINIPROGRAM_DIR = path.join(ROOT, 'miniprogram');
export const DEFAULT_OUT_DIR = path.join(MINIPROGRAM_DIR, 'dist');

/** The namespaces the mini-program shows: its own strings (common:mp.*), error messages, request/complaint names. */
const LOCALE_NAMESPACES = ['common', 'errors', 'bot'];
/** Copied as they are; `.ts` is compiled; everything else (tests, typings, tsconfig, dist) stays behind. */
const STATIC = new Set(['.wxml', '.wxss', '.json', '.png', '.jpg', '.svg', '.wxs']);

/**
 * The npm packages the mini-program uses, brought in as WeChat DevTools' "构建 npm" does: each package's
 * `miniprogram_dist` copied to `dist/miniprogram_npm/<name>`, where a page's `usingComponents` entry
 * `tdesign-miniprogram/button/button` resolves.
 */
export const MINIPROGRAM_NPM = ['tdesign-miniprogram'];

/** Where an npm package's built mini-program files are (`<package>/miniprogram_dist`). */
export function miniprogramDistOf(pkg: string): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'miniprogram_dist');
}

/**
 * The server address compiled into the build (`STEWARD_MP_API_BASE`), written to `config.js` as
 * `BUILD_API_BASE`; the sign-in page no longer asks for it.
 */
export const DEFAULT_BUILD_API_BASE = 'http://127.0.0.1:3000';

export interface BuildOptions {
  /** The server the built mini-program talks to; default `STEWARD_MP_API_BASE`, else http://127.0.0.1:3000. */
  apiBase?: string;
  outDir?: string;
  /** Type-check against miniprogram/tsconfig.json first (the DTO types of core/ included); default true. */
  typecheck?: boolean;
  /** Written into project.config.json; WeChat DevTools' test id (`touristappid`) when none is given. */
  appid?: string;
}

/** Every file under `dir`, relative to it. */
function walk(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel)).flatMap((n) => (statSync(path.join(dir, rel, n)).isDirectory() ? walk(dir, path.join(rel, n)) : [path.join(rel, n)]));
}

/** `require("tslib")` → the nearest `miniprogram_npm/tslib` above the requiring file, as WeChat resolves it. */
function resolveBare(file: string, spec: string): string {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'miniprogram_npm', spec);
    if (existsSync(candidate) || existsSync(`${candidate}.js`)) {
      const rel = path.relative(path.dirname(file), candidate).split(path.sep).join('/');
      return rel.startsWith('.') ? rel : `./${rel}`;
    }
    if (dir === path.dirname(dir)) return spec;
  }
}

/**
 * One npm package as DevTools' "构建 npm" plus its ES6-to-ES5 step leave it: `miniprogram_dist` copied to
 * `miniprogram_npm/<pkg>`, its ES modules compiled to CommonJS and its bare `require`s pointed at the
 * `miniprogram_npm` folder they resolve to. (The simulator runs the files with Node's `require`.)
 */
function buildNpmPackage(pkg: string, to: string): number {
  const from = miniprogramDistOf(pkg);
  if (!existsSync(from)) throw new Error(`${pkg} has no miniprogram_dist: run npm ci`);
  // Compiled once per package version (the tests build the mini-program once per file), then copied.
  const { version } = JSON.parse(readFileSync(path.join(from, '..', 'package.json'), 'utf8')) as { version: string };
  const cache = path.join(ROOT, 'node_modules', '.cache', 'steward-miniprogram-npm', `${pkg.replace('/', '+')}@${version}-v2`);
  if (!existsSync(path.join(cache, '.done'))) {
    const tmp = `${cache}.${process.pid}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    compileNpmPackage(from, tmp);
    writeFileSync(path.join(tmp, '.done'), '');
    rmSync(cache, { recursive: true, force: true });
    mkdirSync(path.dirname(cache), { recursive: true });
    try {
      renameSync(tmp, cache);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another process got there first
    }
  }
  cpSync(cache, to, { recursive: true, filter: (f) => path.basename(f) !== '.done' });
  return walk(to).length;
}

function compileNpmPackage(from: string, to: string): void {
  // Type declarations are for editors, not for the mini-program: the built folder holds no TypeScript.
  cpSync(from, to, { recursive: true, filter: (f) => !f.endsWith('.d.ts') });
  const all = walk(to);
  for (const rel of all.filter((f) => f.endsWith('.js'))) {
    const file = path.join(to, rel);
    let js = readFileSync(file, 'utf8');
    if (!rel.includes('miniprogram_npm') && /\b(import|export)\b/.test(js)) {
      js = ts.transpileModule(js, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2018, esModuleInterop: true, allowJs: true }, fileName: rel }).outputText;
    }
    js = js.replace(/require\((["'])([^."'/][^"']*)\1\)/g, (_m, q: string, spec: string) => `require(${q}${resolveBare(file, spec)}${q})`);
    writeFileSync(file, js);
  }
}

export interface BuildResult {
  outDir: string;
  files: number;
  diagnostics: string[];
}

/** Type errors of the mini-program, formatted like tsc's; empty when it compiles. */
export function typecheckMiniprogram(): string[] {
  const configPath = path.join(MINIPROGRAM_DIR, 'tsconfig.json');
  const read = ts.readConfigFile(configPath, (f) => ts.sys.readFile(f));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, MINIPROGRAM_DIR);
  const program = ts.createProgram(parsed.fileNames, { ...parsed.options, noEmit: true });
  const host = { getCanonicalFileName: (f: string) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' };
  return ts.getPreEmitDiagnostics(program).map((d) => ts.formatDiagnostic(d, host).trim());
}

function sources(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(dir, rel))) {
    const r = path.join(rel, name);
    if (!rel && ['dist', 'typings', 'node_modules', 'tsconfig.json'].includes(name)) continue;
    if (statSync(path.join(dir, r)).isDirectory()) out.push(...sources(dir, r));
    else if (!name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(r);
  }
  return out;
}

/**
 * Builds the mini-program into `outDir` so WeChat DevTools opens it as is: type-check, then each `.ts` compiled
 * on its own to CommonJS (type-only imports of core/ vanish), templates and styles copied, the locales merged
 * into `locales/<lng>.js`, plus project.config.json.
 */
export function buildMiniprogram(opts: BuildOptions = {}): BuildResult {
  const outDir = opts.outDir ?? DEFAULT_OUT_DIR;
  const diagnostics = opts.typecheck === false ? [] : typecheckMiniprogram();
  if (diagnostics.length) return { outDir, files: 0, diagnostics };
  rmSync(outDir, { recursive: true, force: true });
  const apiBase = (opts.apiBase ?? process.env.STEWARD_MP_API_BASE ?? DEFAULT_BUILD_API_BASE).replace(/\/+$/, '');
  let files = 0;
  const write = (rel: string, content: string) => {
    mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
    writeFileSync(path.join(outDir, rel), content);
    files++;
  };
  for (const rel of sources(MINIPROGRAM_DIR)) {
    const ext = path.extname(rel);
    if (ext === '.ts') {
      let source = ts.sys.readFile(path.join(MINIPROGRAM_DIR, rel)) ?? '';
      if (rel === 'config.ts') source = source.replace(/export const BUILD_API_BASE = '[^']*';/, `export const BUILD_API_BASE = ${JSON.stringify(apiBase)};`);
      const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2018, esModuleInterop: true }, fileName: rel }).outputText;
      write(rel.replace(/\.ts$/, '.js'), js);
    } else if (STATIC.has(ext)) {
      mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
      copyFileSync(path.join(MINIPROGRAM_DIR, rel), path.join(outDir, rel));
      files++;
    }
  }
  for (const pkg of MINIPROGRAM_NPM) files += buildNpmPackage(pkg, path.join(outDir, 'miniprogram_npm', pkg));
  const resources = loadLocaleResources();
  for (const [lng, namespaces] of Object.entries(resources)) {
    const picked = Object.fromEntries(LOCALE_NAMESPACES.map((ns) => [ns, namespaces[ns] ?? {}]));
    write(`locales/${lng}.js`, `// Generated from locales/${lng}/ by scripts/build-miniprogram.ts; do not edit.\nmodule.exports = ${JSON.stringify(picked)};\n`);
  }
  write(
    'project.config.json',
    `${JSON.stringify(
      {
        description: 'Site Steward mini-program (built by scripts/build-miniprogram.ts)',
        compileType: 'miniprogram',
        miniprogramRoot: './',
        appid: opts.appid ?? 'touristappid',
        projectname: 'site-steward',
        setting: { es6: true, minified: true, urlCheck: false, postcss: true, packNpmManually: false },
        libVersion: '3.0.0',
      },
      null,
      2,
    )}\n`,
  );
  // The repository's package.json says "type": "module"; the compiled pages are CommonJS, as WeChat runs them.
  write('package.json', `${JSON.stringify({ private: true, type: 'commonjs' }, null, 2)}\n`);
  return { outDir, files, diagnostics };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outArg = process.argv.indexOf('--out');
  const result = buildMiniprogram({ ...(outArg > 0 && process.argv[outArg + 1] ? { outDir: path.resolve(process.argv[outArg + 1]!) } : {}), ...(process.env.WECHAT_APPID ? { appid: process.env.WECHAT_APPID } : {}) });
  if (result.diagnostics.length) {
    process.stderr.write(`${result.diagnostics.join('\n')}\nmini-program type-check failed (${result.diagnostics.length} errors)\n`);
    process.exit(1);
  }
  process.stdout.write(`mini-program built: ${result.files} files in ${path.relative(process.cwd(), result.outDir) || '.'}\nOpen that folder in WeChat DevTools (导入项目).\n`);
}
