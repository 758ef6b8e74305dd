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
  // @fastify/static (served /docs) require()s content-disposition 3, which is ESM-only: Node 20 loads it
  // natively, Jest (before Node 24.9) needs it compiled to CommonJS.
  transform: {
    ...preset.transform,
    '/node_modules/content-disposition/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  testTimeout: 30000,
};
