/* global process, setTimeout, clearTimeout */
// Stops the API with SIGTERM (it closes Nest, then stops its embedded PostgreSQL) and removes the data.
import fs from 'node:fs';
import path from 'node:path';

export default async function globalTeardown() {
  const state = globalThis.__CORSPLANE_CONSOLE_E2E__;
  if (!state) return;
  const { child, dir, log, idp } = state;
  await idp?.close();
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    let timer;
    const timeout = new Promise(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), 20_000)),
    );
    const outcome = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') child.kill('SIGKILL');
  }
  // A killed API leaves its postgres running (re-parented to init): stop it by its data dir.
  const pgData = path.join(dir, 'data');
  const pid = findPostmasterPid(pgData);
  if (pid) {
    try {
      process.kill(pid, 'SIGINT'); // PostgreSQL "fast" shutdown
    } catch {
      // already gone
    }
  }
  try {
    fs.closeSync(log);
  } catch {
    // ignore
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

function findPostmasterPid(root) {
  const stack = [root];
  while (stack.length) {
    const d = stack.pop();
    let entries = [];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isFile() && e.name === 'postmaster.pid') {
        const pid = Number(fs.readFileSync(path.join(d, e.name), 'utf8').split('\n')[0]);
        return Number.isInteger(pid) && pid > 0 ? pid : null;
      }
      if (e.isDirectory() && d.split(path.sep).length - root.split(path.sep).length < 3)
        stack.push(path.join(d, e.name));
    }
  }
  return null;
}
