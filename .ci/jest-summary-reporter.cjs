// Appends each Jest run's totals to test-results/jest-summary.jsonl, so .ci/run can print one
// closing line for the whole workspace ("N passed, N failed") after Nx has run every project.
const fs = require('node:fs');
const path = require('node:path');

class JestSummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const dir = path.join(__dirname, '..', 'test-results');
    fs.mkdirSync(dir, { recursive: true });
    const line = {
      project: path.relative(path.join(__dirname, '..'), this.rootDir),
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    fs.appendFileSync(path.join(dir, 'jest-summary.jsonl'), `${JSON.stringify(line)}\n`);
  }
}

module.exports = JestSummaryReporter;
