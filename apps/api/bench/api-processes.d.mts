// Types of api-processes.mjs for the TypeScript tests that import it.
export declare const REPO_ROOT: string;
export declare const API_MAIN: string;
export declare function freePort(): Promise<number>;
export interface ApiProcess {
  name: string;
  pid: number;
  url: string;
  output(): string;
  stop(): Promise<void>;
}
export declare function startApi(o: {
  databaseUrl: string;
  port: number;
  env?: Record<string, string>;
  name?: string;
  timeoutMs?: number;
  nodeArgs?: string[];
  cpu?: number;
}): Promise<ApiProcess>;
export declare function pinned(
  cpu: number | undefined,
  command: string,
  args: string[],
): [string, string[]];
export declare function adminToken(url: string, email: string, password: string): Promise<string>;
export declare function adminClient(
  url: string,
  token: string,
): {
  createTenant(slug: string, name?: string): Promise<unknown>;
  putPolicy(slug: string, policy: unknown): Promise<number>;
  createKey(slug: string, name?: string): Promise<string>;
};
