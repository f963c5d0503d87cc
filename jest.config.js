/**
 * Jest runs our TypeScript as native ESM: @swc/jest strips types and keeps `import`, and Node's
 * --experimental-vm-modules (set by `npm test`) lets Jest load ESM-only packages such as agenda 6 as they are.
 * Chosen once, for the whole project: see the README, "Tests".
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'es6' } }],
  },
  testMatch: ['<rootDir>/{core,reports,store,api,bot,jobs,lib,inspect,scripts,test,locales,bench}/**/*.test.ts'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/setup-after-env.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
