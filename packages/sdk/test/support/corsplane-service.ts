// Starts the real corsplane API (apps/api/dist, built by Nx before these tests) as a child
// process on its own embedded PostgreSQL, and drives it through its admin API, with the shared
// harness (tools/api-harness.mjs). SDK tests talk to it exactly as a microservice would.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  adminClient,
  adminToken,
  API_MAIN,
  freePort,
  startApi,
  type AdminClient,
  type ApiProcess,
} from '../../../../tools/api-harness.mjs';

const ADMIN_EMAIL = 'sdk-tests@corsplane.test';
const ADMIN_PASSWORD = 'sdk-tests-password-1';

export interface CorsplaneService {
  readonly url: string;
  /** Creates a tenant with this policy and a tenant key; returns the key's secret. */
  createTenant(slug: string, policy: object): Promise<string>;
  /** Replaces a tenant's policy (reads the ETag first). */
  setPolicy(slug: string, policy: object): Promise<void>;
  /** Creates another key for a tenant. */
  createKey(slug: string): Promise<{ id: string; secret: string }>;
  /** Revokes a tenant key. */
  revokeKey(slug: string, id: string): Promise<void>;
  /** Creates a platform key (any tenant, named with `tenant`). */
  createPlatformKey(): Promise<string>;
  /** Replaces the platform baseline (SPEC §2.2; reads the ETag first). */
  setBaseline(origins: Array<{ pattern: string }>): Promise<void>;
  /** Deletes a tenant (its keys go with it). */
  deleteTenant(slug: string): Promise<void>;
  /** Creates or replaces the tenant's candidate policy (SPEC §4.1; reads its ETag first). */
  setCandidate(slug: string, policy: object): Promise<void>;
  /** The candidate's impact: totals of the shadow differences counted (SPEC §4.1). */
  candidateImpact(slug: string): Promise<{
    rows: Array<{ origin: string; direction: string; reason: string; count: number }>;
    totals: { wouldBlock: number; wouldAllow: number };
  }>;
  /** The tenant's blocked-origin aggregates. */
  blockedOrigins(slug: string): Promise<Array<{ origin: string; reason: string; count: number }>>;
  /** Stops the API (and its PostgreSQL), keeping the data. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  dispose(): Promise<void>;
}

export { freePort };

export async function startCorsplane(): Promise<CorsplaneService> {
  if (!fs.existsSync(API_MAIN))
    throw new Error(`${API_MAIN} is missing: build the API first (nx runs it before these tests)`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corsplane-sdk-'));
  fs.chmodSync(dataDir, 0o755);
  const port = await freePort();
  const pgPort = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let api: ApiProcess | null = null;
  let admin: AdminClient | null = null;
  let token = '';

  async function start(): Promise<void> {
    api = await startApi({
      port,
      env: {
        DATA_DIR: dataDir,
        EMBEDDED_PG_PORT: String(pgPort),
        ADMIN_EMAIL,
        ADMIN_PASSWORD,
        SEED_DEMO: 'false',
      },
    });
    if (token === '') token = await adminToken(url, ADMIN_EMAIL, ADMIN_PASSWORD);
    admin ??= adminClient(url, token);
  }

  async function stop(): Promise<void> {
    await api?.stop();
    api = null;
  }

  const call = (
    method: string,
    route: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<unknown> => (admin as AdminClient).call(method, route, body, headers);

  await start();
  return {
    url,
    async createTenant(slug, policy) {
      await call('POST', '/v1/tenants', { slug, name: slug });
      await (admin as AdminClient).putPolicy(slug, policy);
      return (admin as AdminClient).createKey(slug, 'sdk');
    },
    async setPolicy(slug, policy) {
      await (admin as AdminClient).putPolicy(slug, policy);
    },
    async setBaseline(origins) {
      await (admin as AdminClient).putBaseline(origins);
    },
    async createKey(slug) {
      return (admin as AdminClient).createKeyWithId(slug, 'sdk');
    },
    async revokeKey(slug, id) {
      await call('DELETE', `/v1/tenants/${slug}/keys/${id}`);
    },
    async createPlatformKey() {
      return (admin as AdminClient).createPlatformKey('sdk platform');
    },
    async deleteTenant(slug) {
      await call('DELETE', `/v1/tenants/${slug}`);
    },
    async setCandidate(slug, policy) {
      const current = await fetch(`${url}/v1/tenants/${slug}/policy/candidate`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const etag = current.ok ? (current.headers.get('etag') ?? '') : '';
      await current.body?.cancel();
      await call(
        'PUT',
        `/v1/tenants/${slug}/policy/candidate`,
        policy,
        etag ? { 'if-match': etag } : {},
      );
    },
    async candidateImpact(slug) {
      return (await call('GET', `/v1/tenants/${slug}/policy/candidate/impact`)) as Awaited<
        ReturnType<CorsplaneService['candidateImpact']>
      >;
    },
    async blockedOrigins(slug) {
      const list = (await call('GET', `/v1/tenants/${slug}/blocked-origins`)) as {
        items: Array<{ origin: string; reason: string; count: number }>;
      };
      return list.items;
    },
    stop,
    start,
    async dispose() {
      await stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
