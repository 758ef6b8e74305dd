const preset = require('../../jest.preset.cjs');

/**
 * `npm run test:faults`: fault-injection tests. Each starts its own PostgreSQL (which it stops and starts)
 * and the built API as a child process, so they run one at a time and take their time.
 * @type {import('jest').Config}
 */
module.exports = {
  ...preset,
  displayName: 'api-faults',
  testMatch: ['<rootDir>/test/faults/**/*.faults-spec.ts'],
  maxWorkers: 1,
  testTimeout: 180000,
};
