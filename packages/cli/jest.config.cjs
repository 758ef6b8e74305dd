const preset = require('../../jest.preset.cjs');

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  displayName: 'cli',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  // The end-to-end suite starts a real corsplane API with its own embedded PostgreSQL.
  maxWorkers: 2,
  testTimeout: 120000,
};
