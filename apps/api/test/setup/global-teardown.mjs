import fs from 'node:fs';

export default async function globalTeardown() {
  const state = globalThis.__CORSPLANE_TEST_PG__;
  if (!state) return;
  try {
    await state.server?.stop();
  } finally {
    fs.rmSync(state.baseDir, { recursive: true, force: true });
  }
}
