#!/usr/bin/env node
// Committed launcher: npm links `corsplane` at install time, before `dist/` is built.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('corsplane: not built yet: run `npm run build -w @corsplane/cli` first\n');
  process.exit(2);
}
await import(main.href);
