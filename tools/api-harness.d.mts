// Types of api-harness.mjs for the TypeScript tests that import it.
import type { ChildProcess } from 'node:child_process';

export declare const REPO_ROOT: string;
export declare const API_MAIN: string;
export declare function freePort(): Promise<number>;
export declare function pinned(
  cpu: number | undefined,
  command: string,
  args: string[],
): [string, string[]];
export interface ApiProcess {
  name: string;
  pid: number;
  port: number;
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}
export declare function startApi(o: {
  port: number;
  env?: Record<string, string>;
  inheritEnv?: boolean;
  name?: string;
  readyPath?: string;
  timeoutMs?: number;
  killAfterMs?: number;
  nodeArgs?: string[];
  cpu?: number;
  stdio?: 'pipe' | number;
}): Promise<ApiProcess>;
export declare function call(
  url: string,
  method: string,
  route: string,
  o?: { bearer?: string; cookie?: string; body?: unknown; headers?: Record<string, string> },
): Promise<{ json: unknown; headers: Headers }>;
export declare function adminToken(url: string, email: string, password: string): Promise<string>;
export interface AdminClient {
  call(
    method: string,
    route: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<any>;
  createTenant(slug: string, name?: string): Promise<unknown>;
  deleteTenant(slug: string): Promise<unknown>;
  putPolicy(slug: string, policy: unknown): Promise<number>;
  putBaseline(origins: Array<{ pattern: string }>): Promise<unknown>;
  createKey(slug: string, name?: string): Promise<string>;
  createKeyWithId(slug: string, name?: string): Promise<{ id: string; secret: string }>;
  revokeKey(slug: string, id: string): Promise<unknown>;
  createPlatformKey(name?: string): Promise<string>;
}
export declare function adminClient(url: string, token: string): AdminClient;
