// Component and unit tests (jsdom). The browser suite is jest.e2e.config.cjs.
const preset = require('../../jest.preset.cjs');

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  displayName: 'admin',
  // jsdom renders of the whole editor share 2 cores with the API suites in CI: a generous ceiling.
  testTimeout: 60_000,
  testEnvironment: '<rootDir>/src/test/jsdom-environment.cjs',
  testEnvironmentOptions: { customExportConditions: ['@corsplane/source', 'browser'] },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.spec.tsx'],
  setupFilesAfterEnv: ['<rootDir>/src/test/setup.ts'],
  moduleNameMapper: { ...preset.moduleNameMapper, '\\.css$': '<rootDir>/src/test/style-stub.cjs' },
};
