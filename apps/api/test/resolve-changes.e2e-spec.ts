import http from 'node:http';
import { jest } from '@jest/globals';
import pg from 'pg';
import { LISTENER_APPLICATION_NAME } from '../src/modules/resolve/change-listener.service.js';
import { MAX_STREAM_TENANTS } from '../src/modules/resolve/resolve-changes.route.js';
import {
  createKey,
  createTenant,
  createUser,
  replacePolicy,
  validPolicy,
  type TestUser,
} from './factories/factories.js';
import { listen, openStream, SseClient, WAIT_MS } from './factories/sse-client.js';
import { createTestApp, type TestApp } from './factories/test-app.js';

// GET /resolve/changes (SPEC §5) on real HTTP servers and PostgreSQL: events from LISTEN/NOTIFY, read with
// fetch() as an SDK reads them. Every wait polls for its condition with a generous deadline.
jest.setTimeout(120_000);

let t: TestApp;
let url: string;
let admin: TestUser;
let platformKey: string;

beforeAll(async () => {
  t = await createTestApp({ RESOLVE_STREAM_HEARTBEAT_SECONDS: '1' });
  url = await listen(t);
  admin = await createUser(t, { platformRole: 'admin' });
  platformKey = (await createKey(t, null, 'platform')).bearer;
});
// Streams stay open until their server closes (which ends them): aborting fetch() leaves undici connections
// that never send a request, and the server's close() waits for those (Node reaps them after headersTimeout).
afterAll(() => t?.close());

async function tenantWithKey(app: TestApp = t) {
  const tenant = await createTenant(app);
  const key = await createKey(app, tenant);
  return { tenant, key };
}

const putPolicy = (slug: string, pattern: string, app: TestApp = t) =>
  replacePolicy(app, admin, slug, validPolicy({ origins: [{ pattern }] }));

describe('GET /resolve/changes', () => {
  it('opens an uncompressed, unbuffered event stream', async () => {
    const { key } = await tenantWithKey();
    const { status, client, res } = await SseClient.open(url, key.bearer);
    expect(status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(res.headers.get('x-request-id')).toBeTruthy();
    // A comment right after the head: proxies and clients see bytes at once.
    const stream = client as SseClient;
    expect(await stream.until('a frame', () => stream.frames[0])).toEqual({
      comment: 'subscribed',
    });
  });

  it('sends event: policy with the new version when the tenant key\u2019s policy changes', async () => {
    const { tenant, key } = await tenantWithKey();
    const stream = await openStream(url, key.bearer);
    const v1 = await putPolicy(tenant.slug, 'https://one.example');
    const v2 = await putPolicy(tenant.slug, 'https://two.example');
    expect(await stream.event(0)).toEqual({
      event: 'policy',
      data: { tenant: tenant.slug, version: v1 },
    });
    expect(await stream.event(1)).toEqual({
      event: 'policy',
      data: { tenant: tenant.slug, version: v2 },
    });
    // The refetch the event prompts serves that version.
    const res = await t.http().get('/resolve/policy').set('authorization', key.bearer).expect(200);
    expect(res.body.version).toBe(v2);
  });

  it('sends a change committed right after the head to the stream (subscribed before the head)', async () => {
    const { tenant, key } = await tenantWithKey();
    const { client } = await SseClient.open(url, key.bearer);
    const stream = client as SseClient;
    // No wait for any frame: the 200 head alone must mean "subscribed".
    const version = await putPolicy(tenant.slug, 'https://right-away.example');
    expect(await stream.event(0)).toEqual({
      event: 'policy',
      data: { tenant: tenant.slug, version },
    });
  });

  it('tells nothing of other tenants to a tenant key', async () => {
    const { tenant, key } = await tenantWithKey();
    const other = await tenantWithKey();
    const stream = await openStream(url, key.bearer, `?tenant=${tenant.slug}`);
    await putPolicy(other.tenant.slug, 'https://other.example');
    const mine = await putPolicy(tenant.slug, 'https://mine.example');
    // Commit order is NOTIFY order: had the other tenant's change been sent, it would come first.
    expect(await stream.event(0)).toEqual({
      event: 'policy',
      data: { tenant: tenant.slug, version: mine },
    });
  });

  it('sends revoked {} and ends the stream when the key is revoked', async () => {
    const { tenant, key } = await tenantWithKey();
    const other = await createKey(t, tenant, 'other');
    const stream = await openStream(url, key.bearer);
    const kept = await openStream(url, other.bearer);
    await t
      .http()
      .delete(`/v1/tenants/${tenant.slug}/keys/${key.id}`)
      .set('authorization', admin.bearer)
      .expect(204);
    expect(await stream.event(0)).toEqual({ event: 'revoked', data: {} });
    await stream.untilEnded();
    // The tenant's other key keeps its stream, and its events.
    const version = await putPolicy(tenant.slug, 'https://after-revoke.example');
    expect(await kept.event(0)).toEqual({
      event: 'policy',
      data: { tenant: tenant.slug, version },
    });
    expect(kept.ended).toBe(false);
  });

  it('sends revoked {} and ends a tenant key\u2019s stream when its tenant is deleted', async () => {
    const { tenant, key } = await tenantWithKey();
    const stream = await openStream(url, key.bearer);
    await t
      .http()
      .delete(`/v1/tenants/${tenant.slug}`)
      .set('authorization', admin.bearer)
      .expect(204);
    expect(await stream.event(0)).toEqual({ event: 'revoked', data: {} });
    await stream.untilEnded();
  });

  it('follows the tenants a platform key names; a deleted one gives revoked {tenant} and the stream goes on', async () => {
    const a = await tenantWithKey();
    const b = await tenantWithKey();
    const c = await tenantWithKey();
    const stream = await openStream(url, platformKey, `?tenant=${a.tenant.slug},${b.tenant.slug}`);
    const va = await putPolicy(a.tenant.slug, 'https://a.example');
    await putPolicy(c.tenant.slug, 'https://c.example');
    const vb = await putPolicy(b.tenant.slug, 'https://b.example');
    expect(await stream.event(0)).toEqual({
      event: 'policy',
      data: { tenant: a.tenant.slug, version: va },
    });
    expect(await stream.event(1)).toEqual({
      event: 'policy',
      data: { tenant: b.tenant.slug, version: vb },
    });
    await t
      .http()
      .delete(`/v1/tenants/${a.tenant.slug}`)
      .set('authorization', admin.bearer)
      .expect(204);
    expect(await stream.event(2)).toEqual({ event: 'revoked', data: { tenant: a.tenant.slug } });
    const vb2 = await putPolicy(b.tenant.slug, 'https://b2.example');
    expect(await stream.event(3)).toEqual({
      event: 'policy',
      data: { tenant: b.tenant.slug, version: vb2 },
    });
    expect(stream.ended).toBe(false);
  });

  it('follows every tenant for a platform key without tenant=, new ones included', async () => {
    const stream = await openStream(url, platformKey);
    const tenant = await createTenant(t);
    // A new tenant's first policy (version 1) is announced too.
    await stream.until('the new tenant\u2019s version 1', () =>
      stream
        .events()
        .find(
          (e) =>
            e.event === 'policy' &&
            (e.data as { tenant: string }).tenant === tenant.slug &&
            (e.data as { version: number }).version === 1,
        ),
    );
    const version = await putPolicy(tenant.slug, 'https://every.example');
    await stream.until('the change', () =>
      stream
        .events()
        .find((e) => JSON.stringify(e.data) === JSON.stringify({ tenant: tenant.slug, version })),
    );
    await t
      .http()
      .delete(`/v1/tenants/${tenant.slug}`)
      .set('authorization', admin.bearer)
      .expect(204);
    await stream.until('revoked {tenant}', () =>
      stream
        .events()
        .find(
          (e) => e.event === 'revoked' && (e.data as { tenant?: string }).tenant === tenant.slug,
        ),
    );
    expect(stream.ended).toBe(false);
  });

  it('sends a : ping comment every RESOLVE_STREAM_HEARTBEAT_SECONDS', async () => {
    const { key } = await tenantWithKey();
    const stream = await openStream(url, key.bearer);
    await stream.until('two pings', () =>
      stream.frames.filter((f) => f.comment === 'ping').length >= 2 ? true : undefined,
    );
    expect(stream.events()).toEqual([]);
  });

  it('refuses bad calls before the stream opens, with the error bodies of /resolve', async () => {
    const { tenant, key } = await tenantWithKey();
    const other = await createTenant(t);
    const tooMany = Array.from({ length: MAX_STREAM_TENANTS + 1 }, (_, i) => `t${i}`).join(',');
    const cases: Array<[string, string, number, string]> = [
      ['Bearer cpk_live_unknown', '', 401, 'Send a valid /resolve key'],
      [key.bearer, `?tenant=${other.slug}`, 403, 'This key belongs to another tenant'],
      [
        key.bearer,
        `?tenant=${tenant.slug},${other.slug}`,
        403,
        'This key belongs to another tenant',
      ],
      [platformKey, '?tenant=Bad_Slug', 400, 'tenant is not a valid tenant slug'],
      [platformKey, `?tenant=${tenant.slug},`, 400, 'tenant is not a valid tenant slug'],
      [
        platformKey,
        `?tenant=${tenant.slug}&tenant=${other.slug}`,
        400,
        'tenant must be given once',
      ],
      [platformKey, `?tenant=${tooMany}`, 400, `at most ${MAX_STREAM_TENANTS} tenants`],
      [
        platformKey,
        `?tenant=${tenant.slug},no-such-tenant`,
        404,
        'Tenant "no-such-tenant" not found',
      ],
    ];
    for (const [bearer, query, status, message] of cases) {
      const res = await fetch(`${url}/resolve/changes${query}`, {
        headers: { authorization: bearer },
      });
      const body = (await res.json()) as { statusCode: number; message: string };
      expect({ query, status: res.status, statusCode: body.statusCode }).toEqual({
        query,
        status,
        statusCode: status,
      });
      expect(body.message).toContain(message);
      expect(res.headers.get('content-type')).toContain('application/json');
      if (status === 401) expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('counts open streams and events in /metrics, and forgets a stream whose client went away', async () => {
    const { tenant, key } = await tenantWithKey();
    const stream = await openStream(url, key.bearer);
    await putPolicy(tenant.slug, 'https://metrics.example');
    await stream.event(0);
    const openStreams = async () =>
      Number(
        /^corsplane_resolve_streams_open (\d+)$/m.exec((await t.http().get('/metrics')).text)?.[1],
      );
    const metrics = (await t.http().get('/metrics').expect(200)).text;
    const sent = /^corsplane_resolve_stream_events_total\{type="policy"\} (\d+)$/m.exec(metrics);
    expect(Number(sent?.[1])).toBeGreaterThanOrEqual(1);

    // A client that disconnects (node:http, its socket destroyed): the gauge goes up, then back down.
    const before = await openStreams();
    const req = http.get(`${url}/resolve/changes`, {
      headers: { authorization: key.bearer },
      agent: false,
    });
    req.on('error', () => undefined);
    const res = await new Promise<http.IncomingMessage>((r) => req.once('response', r));
    expect(res.statusCode).toBe(200);
    expect(await openStreams()).toBe(before + 1);
    req.destroy();
    const deadline = Date.now() + WAIT_MS;
    let now = before + 1;
    while (now > before && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      now = await openStreams();
    }
    expect(now).toBe(before);
  });

  it('is documented in /docs-json', async () => {
    const res = await t.http().get('/docs-json').expect(200);
    const path = res.body.paths['/resolve/changes'];
    expect(Object.keys(path.get.responses).sort()).toEqual(
      ['200', '400', '401', '403', '404', '429', '503'].sort(),
    );
    expect(Object.keys(path.get.responses['200'].content)).toEqual(['text/event-stream']);
  });
});

describe('GET /resolve/changes with its own servers', () => {
  it('answers 503 + Retry-After beyond RESOLVE_STREAM_MAX_CONNECTIONS, and accepts again once one ends', async () => {
    const small = await createTestApp({ RESOLVE_STREAM_MAX_CONNECTIONS: '2' }, { replicaOf: t });
    try {
      const smallUrl = await listen(small);
      const { tenant, key } = await tenantWithKey();
      const spare = await createKey(t, tenant, 'spare');
      const first = await openStream(smallUrl, key.bearer);
      await openStream(smallUrl, spare.bearer);
      const refused = await SseClient.open(smallUrl, spare.bearer);
      expect(refused.status).toBe(503);
      expect(refused.res.headers.get('retry-after')).toBe('5');
      expect(await refused.res.json()).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: expect.stringContaining('change streams') as string,
      });
      // The service ends the first stream (its key is revoked): its slot is free again.
      await t
        .http()
        .delete(`/v1/tenants/${tenant.slug}/keys/${key.id}`)
        .set('authorization', admin.bearer)
        .expect(204);
      await first.untilEnded();
      const deadline = Date.now() + WAIT_MS;
      let again = await SseClient.open(smallUrl, spare.bearer);
      while (again.status === 503 && Date.now() < deadline) {
        await again.res.arrayBuffer();
        await new Promise((r) => setTimeout(r, 20));
        again = await SseClient.open(smallUrl, spare.bearer);
      }
      expect(again.status).toBe(200);
    } finally {
      // Closing the server ends the streams (no client-side abort: see afterAll).
      await small.close();
    }
  });

  it('delivers a change made through replica A to a stream opened on replica B', async () => {
    const replica = await createTestApp({}, { replicaOf: t });
    try {
      const replicaUrl = await listen(replica);
      const { tenant, key } = await tenantWithKey();
      const stream = await openStream(replicaUrl, key.bearer);
      const version = await putPolicy(tenant.slug, 'https://from-a.example');
      expect(await stream.event(0)).toEqual({
        event: 'policy',
        data: { tenant: tenant.slug, version },
      });
      const res = await fetch(`${replicaUrl}/resolve/policy`, {
        headers: { authorization: key.bearer },
      });
      expect(((await res.json()) as { version: number }).version).toBe(version);
    } finally {
      await replica.close();
    }
  });

  it('ends open streams when the app closes (and app.close() does not hang on them)', async () => {
    const closing = await createTestApp({}, { replicaOf: t });
    const closingUrl = await listen(closing);
    const { key } = await tenantWithKey();
    const stream = await openStream(closingUrl, key.bearer);
    await closing.close();
    await stream.untilEnded();
    expect(stream.events()).toEqual([]);
  });

  it('ends every stream when the LISTEN connection comes back (changes may have been missed)', async () => {
    const own = await createTestApp();
    try {
      const ownUrl = await listen(own);
      const { tenant, key } = await tenantWithKey(own);
      const ownPlatform = (await createKey(own, null, 'platform')).bearer;
      const streams = [
        await openStream(ownUrl, key.bearer),
        await openStream(ownUrl, ownPlatform, `?tenant=${tenant.slug}`),
      ];
      const c = new pg.Client({ connectionString: own.databaseUrl });
      await c.connect();
      try {
        await c.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
          [LISTENER_APPLICATION_NAME],
        );
      } finally {
        await c.end();
      }
      for (const s of streams) await s.untilEnded();
      // Reconnecting works, and changes flow again.
      const again = await openStream(ownUrl, key.bearer);
      const version = await replacePolicy(
        own,
        await createUser(own, { platformRole: 'admin' }),
        tenant.slug,
        validPolicy(),
      );
      expect(await again.event(0)).toEqual({
        event: 'policy',
        data: { tenant: tenant.slug, version },
      });
    } finally {
      await own.close();
    }
  });
});
