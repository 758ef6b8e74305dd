const preset = require('../../jest.preset.cjs');

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  displayName: 'policy',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  collectCoverageFrom: ['<rootDir>/src/**/*.ts', '!<rootDir>/src/**/*.spec.ts'],
  coverageReporters: ['text-summary', 'lcov'],
  // The engine is the one implementation of the CORS rules: every branch is exercised.
  coverageThreshold: { global: { branches: 100, functions: 100, lines: 100, statements: 100 } },
};
