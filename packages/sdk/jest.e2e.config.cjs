const preset = require('../../jest.preset.cjs');

/** Browser proof: real Chromium, the example services, a real corsplane API. */
module.exports = {
  ...preset,
  displayName: 'sdk-e2e',
  testMatch: ['<rootDir>/e2e/**/*.e2e.ts'],
  maxWorkers: 1,
  testTimeout: 60000,
};
