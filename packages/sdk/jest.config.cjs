const preset = require('../../jest.preset.cjs');

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  displayName: 'sdk',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  // Each adapter suite starts a real corsplane API with its own embedded PostgreSQL.
  maxWorkers: 2,
  // Generous: on a busy machine (another suite or a benchmark beside it) starting PostgreSQL and the API
  // takes minutes; the tests assert behaviour, never timings.
  testTimeout: 300_000,
};
