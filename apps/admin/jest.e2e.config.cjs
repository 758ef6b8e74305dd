// The console's browser suite: real API (node apps/api/dist/main.js) on a fresh embedded PostgreSQL,
// real Debian Chromium through playwright-core. One worker: the flows share one API process.
const preset = require('../../jest.preset.cjs');

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  displayName: 'admin-e2e',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/e2e/**/*.e2e.ts'],
  globalSetup: '<rootDir>/e2e/setup/global-setup.mjs',
  globalTeardown: '<rootDir>/e2e/setup/global-teardown.mjs',
  maxWorkers: 1,
  testTimeout: 90_000,
};
