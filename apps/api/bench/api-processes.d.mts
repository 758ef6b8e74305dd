// Types of api-processes.mjs for the TypeScript tests that import it.
export {
  adminClient,
  adminToken,
  API_MAIN,
  freePort,
  pinned,
  REPO_ROOT,
  type ApiProcess,
} from '../../../tools/api-harness.mjs';
import type { ApiProcess } from '../../../tools/api-harness.mjs';
export declare function startApi(o: {
  databaseUrl: string;
  port: number;
  env?: Record<string, string>;
  name?: string;
  timeoutMs?: number;
  nodeArgs?: string[];
  cpu?: number;
}): Promise<ApiProcess>;
