// Prints the workspace's test totals from test-results/jest-summary.jsonl as one closing line.
import fs from 'node:fs';

const file = new URL('../test-results/jest-summary.jsonl', import.meta.url);
const lines = fs.existsSync(file)
  ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean)
  : [];
const total = { passed: 0, failed: 0, skipped: 0 };
for (const line of lines) {
  const run = JSON.parse(line);
  console.log(
    `  ${run.project}: ${run.passed} passed, ${run.failed} failed, ${run.skipped} skipped`,
  );
  for (const key of Object.keys(total)) total[key] += run[key];
}
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(lines.length === 0 || total.failed > 0 ? 1 : 0);
