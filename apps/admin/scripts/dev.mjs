/* global process */
// `npm run dev` at the root: the API (built, on :3000) and Vite (on :5173, proxying /v1, /resolve… to it).
// Ctrl-C stops both. Open http://127.0.0.1:5173/.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// Vite itself, not an npx/npm wrapper: killing a wrapper would leave the real server running.
const vitePkg = createRequire(path.join(root, 'apps/admin/package.json')).resolve(
  'vite/package.json',
);
const viteBin = path.join(path.dirname(vitePkg), 'bin', 'vite.js');
const children = [
  spawn('npm', ['run', 'dev:api'], { cwd: root, stdio: 'inherit' }),
  spawn(process.execPath, [viteBin], { cwd: path.join(root, 'apps/admin'), stdio: 'inherit' }),
];
let stopping = false;
const stop = (code) => {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  process.exitCode = code;
};
for (const c of children) c.on('exit', (code) => stop(code ?? 0));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
