const preset = require('../../jest.preset.cjs');

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  displayName: 'sdk',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  // Each adapter suite starts a real corsplane API with its own embedded PostgreSQL.
  maxWorkers: 2,
  testTimeout: 60000,
};
