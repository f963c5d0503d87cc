import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** core/ holds the domain rules and must stay free of I/O (ARCHITECTURE.md, convention 1); file writers (pdfkit, exceljs) live in reports/. */
const ioModules = ['mongoose', 'mongodb', 'koa', '@koa/*', 'wechaty', 'wechaty-*', 'agenda', '@agendajs/*', 'pino', 'fs', 'node:*', 'net', 'http', 'child_process', 'pdfkit', 'exceljs'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', '.cache/**', 'coverage/**', 'miniprogram/**/*.js', 'tools/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ioModules.map((group) => ({ group: [group], message: 'core/ has no I/O: take it through a port (core/ports.ts).' })) }],
      'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'core/ takes the clock through a port.' }, { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'core/ takes the clock through a port.' }],
    },
  },  {
    // bot/, jobs/ and api/ reach MongoDB only through the ports the composition root (lib/services.ts) builds:
    // no import from store/ at all, not even of a type (a port's shape is declared in core/, `*.ports.ts`).
    // Tests and their fixtures may set up data directly.
    files: ['bot/**/*.ts', 'jobs/**/*.ts', 'api/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.fixture.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)store(/|$)', message: 'bot/, jobs/ and api/ reach MongoDB through ports built by the composition root (lib/services.ts), not store/; port types live in core/ (*.ports.ts).' }] },
      ],
    },
  },
);
