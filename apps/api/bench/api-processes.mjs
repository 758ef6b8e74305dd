// Real API processes for the replica test, the fault test and the benchmarks: tools/api-harness.mjs (the one
// harness the console's e2e and the SDK's tests use too), with this project's defaults: a given, already
// migrated DATABASE_URL, production mode, only PATH inherited, ready once /healthz answers.
import {
  adminClient,
  adminToken,
  API_MAIN,
  freePort,
  pinned,
  REPO_ROOT,
  startApi as startHarnessApi,
} from '../../../tools/api-harness.mjs';

export { adminClient, adminToken, API_MAIN, freePort, pinned, REPO_ROOT };

/**
 * `node apps/api/dist/main.js` (pinned to CPU `cpu` when given) on 127.0.0.1:`port` against `databaseUrl`
 * (already migrated); resolves once /healthz answers. `stop()` sends SIGTERM (graceful: final blocked-origin
 * flush) and SIGKILLs after 5 s.
 */
export function startApi({
  databaseUrl,
  port,
  env = {},
  name,
  timeoutMs = 120_000,
  nodeArgs,
  cpu,
}) {
  return startHarnessApi({
    port,
    name,
    timeoutMs,
    nodeArgs,
    cpu,
    inheritEnv: false,
    readyPath: '/healthz',
    killAfterMs: 5000,
    env: {
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      MIGRATE_ON_START: 'false',
      SEED_DEMO: 'false',
      ...env,
    },
  });
}
