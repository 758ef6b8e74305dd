// Shared Jest setup: ESM mode (Nest 12 is ESM-only) with @swc/jest; type-checking is tsc's job.
// Workspace packages resolve to their TypeScript sources through the "@corsplane/source" export condition.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testEnvironmentOptions: { customExportConditions: ['@corsplane/source', 'node', 'node-addons'] },
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.tsx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true, tsx: true },
          transform: {
            legacyDecorator: true,
            decoratorMetadata: true,
            react: { runtime: 'automatic' },
          },
          target: 'es2022',
        },
        module: { type: 'es6' },
      },
    ],
  },
  coveragePathIgnorePatterns: ['/node_modules/', '/dist/', '/test/'],
  reporters: ['default', require('node:path').join(__dirname, '.ci/jest-summary-reporter.cjs')],
};
