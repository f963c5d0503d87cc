import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

export interface BuildOptions {
  outDir?: string;
  /** Type-check against miniprogram/tsconfig.json first (the DTO types of core/ included); default true. */
  typecheck?: boolean;
  /** Written into project.config.json; WeChat DevTools' test id (`touristappid`) when none is given. */
  appid?: string;
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
  let files = 0;
  const write = (rel: string, content: string) => {
    mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
    writeFileSync(path.join(outDir, rel), content);
    files++;
  };
  for (const rel of sources(MINIPROGRAM_DIR)) {
    const ext = path.extname(rel);
    if (ext === '.ts') {
      const source = ts.sys.readFile(path.join(MINIPROGRAM_DIR, rel)) ?? '';
      const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2018, esModuleInterop: true }, fileName: rel }).outputText;
      write(rel.replace(/\.ts$/, '.js'), js);
    } else if (STATIC.has(ext)) {
      mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
      copyFileSync(path.join(MINIPROGRAM_DIR, rel), path.join(outDir, rel));
      files++;
    }
  }
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
        setting: { es6: true, minified: true, urlCheck: false, postcss: true },
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
