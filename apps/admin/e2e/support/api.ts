import type {
  CreatedApiKey,
  Policy,
  PolicyInput,
  Tenant,
  User,
  CreateUser,
} from '@corsplane/contracts';
import { e2eEnv } from './harness.js';

/**
 * Test data through the real admin API, as a script would: an admin bearer token (no browser involved).
 * Each test makes its own tenants so suites never depend on one another.
 */
export class AdminApi {
  private constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  static async connect(): Promise<AdminApi> {
    const { baseUrl, admin } = e2eEnv();
    const login = await fetch(`${baseUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const res = await fetch(`${baseUrl}/v1/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ name: `e2e ${Date.now()}` }),
    });
    if (!res.ok) throw new Error(`token failed: ${res.status} ${await res.text()}`);
    const { token } = (await res.json()) as { token: string };
    return new AdminApi(baseUrl, token);
  }

  async call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: (text ? JSON.parse(text) : undefined) as T,
      headers: res.headers,
    };
  }

  private async ok<T>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T> {
    const r = await this.call<T>(method, path, body, headers);
    if (r.status >= 300)
      throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  createTenant(slug: string, name = `Tenant ${slug}`) {
    return this.ok<Tenant>('POST', '/v1/tenants', { slug, name });
  }

  getPolicy(slug: string) {
    return this.ok<Policy>('GET', `/v1/tenants/${slug}/policy`);
  }

  async putPolicy(slug: string, patch: Partial<PolicyInput>): Promise<Policy> {
    const current = await this.getPolicy(slug);
    const { version, ...doc } = current;
    return this.ok<Policy>(
      'PUT',
      `/v1/tenants/${slug}/policy`,
      { ...doc, ...patch },
      { 'if-match': `"${version}"` },
    );
  }

  createKey(slug: string, name: string) {
    return this.ok<CreatedApiKey>('POST', `/v1/tenants/${slug}/keys`, { name });
  }

  createUser(body: CreateUser) {
    return this.ok<User>('POST', '/v1/users', body);
  }

  /** GET /resolve with a tenant key, as a gateway calls it. */
  async resolve(key: string, query: Record<string, string>) {
    const res = await fetch(`${this.baseUrl}/resolve?${new URLSearchParams(query).toString()}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return {
      status: res.status,
      body: body as { allowed?: boolean; reason?: string; matchedPattern?: string | null },
    };
  }
}
