const preset = require('../../jest.preset.cjs');

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  displayName: 'api',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  // One embedded PostgreSQL for the whole run; every suite gets its own database cloned from a migrated template.
  globalSetup: '<rootDir>/test/setup/global-setup.mjs',
  globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
  // Two cores are shared: a couple of workers, each suite with its own Nest app and database.
  maxWorkers: 2,
  testTimeout: 30000,
};
