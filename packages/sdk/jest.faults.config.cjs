const preset = require('../../jest.preset.cjs');

/**
 * `npm run test:faults` (SDK part): the resolver against the real service while that service is stopped.
 * @type {import('jest').Config}
 */
module.exports = {
  ...preset,
  displayName: 'sdk-faults',
  testMatch: ['<rootDir>/test/**/*.faults-spec.ts'],
  maxWorkers: 1,
  testTimeout: 120000,
};
