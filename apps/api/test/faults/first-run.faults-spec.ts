// Issue 15, first run: the built server on a fresh data directory (embedded PostgreSQL, no ADMIN_EMAIL)
// ends its start-up output with the one "listening" line naming the URL to open, then the generated first
// admin's block, so neither scrolls away behind other lines. JSON logs (not a terminal): the order must
// hold there too (the logger writes synchronously, like main()'s block).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { freePort, startApi, type ApiProcess } from '../../../../tools/api-harness.mjs';

jest.setTimeout(300_000);

let api: ApiProcess | undefined;
let dataDir = '';
afterAll(async () => {
  await api?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

it('prints the listening URL, then the first-admin block, as its last lines', async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corsplane-first-run-'));
  fs.chmodSync(dataDir, 0o755);
  const port = await freePort();
  api = await startApi({
    port,
    env: {
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      SEED_DEMO: 'false',
    },
    // Nothing of the caller's environment (no ADMIN_EMAIL/ADMIN_PASSWORD): the first run generates the admin.
    inheritEnv: false,
  });
  // Ready answers once the server listens; the block follows the listening line in the same tick.
  for (let i = 0; i < 100 && !api.output().includes('(shown only now'); i++)
    await new Promise((r) => setTimeout(r, 100));
  const lines = api
    .output()
    .split('\n')
    .filter((l) => l.trim() !== '');
  const listening = lines.findIndex((l) =>
    l.includes(`corsplane listening: open http://localhost:${port}`),
  );
  expect(listening).toBeGreaterThanOrEqual(0);
  expect(lines.slice(listening + 1).map((l) => l.trim())).toEqual([
    'First admin created. Sign in with:',
    expect.stringMatching(/^email: +\S+@\S+$/),
    expect.stringMatching(/^password: +\S{12,}$/),
    '(shown only now; set ADMIN_EMAIL/ADMIN_PASSWORD to choose them)',
  ]);
  expect(lines.filter((l) => l.includes('listening'))).toHaveLength(1);
});
