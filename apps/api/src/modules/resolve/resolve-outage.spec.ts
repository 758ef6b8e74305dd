import { jest } from '@jest/globals';
import { DatabaseUnavailableError } from '../../common/errors/database-unavailable.js';
import { OVERFLOW_ORIGIN } from './blocked-log.service.js';
import { createLogger } from '../../common/logging/logger.js';
import { CIRCUIT_OPEN_MS, DatabaseCircuit } from './database-circuit.service.js';
import { RETRY_AFTER_SECONDS } from './resolve.service.js';
import {
  APP,
  COLD,
  KEYS,
  PLATFORM,
  refused,
  TENANTS,
  WARM,
  world,
} from '../../../test/factories/resolve-world.js';

// The resolve path while PostgreSQL is unreachable, with the database replaced by a switchable fake:
// cached keys and tenants keep their answers (stale-if-error), everything else is a 503 with Retry-After
// (never a 401, a 404 or a made-up decision), the blocked log keeps exact counts in bounded memory, and
// everything comes back by itself. The real outage (PostgreSQL stopped) is `npm run test:faults`.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('/resolve while the database is unreachable', () => {
  it('keeps answering cached keys and tenants with the same decision, with no database round trip per request', async () => {
    const w = world();
    const before = await w.ask(WARM, APP);
    expect(before).toMatchObject({ status: 200, body: { allowed: true } });
    const platformBefore = await w.ask(PLATFORM, 'https://evil.example', 'warm');
    expect(platformBefore).toMatchObject({ status: 200, body: { allowed: false } });
    w.db.down = true;
    w.listenerLost();
    const loads = w.db.loads;
    for (let i = 0; i < 200; i++) {
      const out = await w.ask(WARM, APP);
      expect(out.status).toBe(200);
      expect(out.body).toEqual(before.body);
      expect((await w.ask(PLATFORM, 'https://evil.example', 'warm')).body).toEqual(
        platformBefore.body,
      );
    }
    // One failed reload of key, tenant, slug and policy; then the circuit and the 1 s retry window hold.
    expect(w.db.loads - loads).toBeLessThanOrEqual(4);
    expect(w.circuit.available).toBe(false);
  });

  it('serves entries past their TTL too (stale-if-error), and reloads them once the database is back', async () => {
    const w = world({ RESOLVE_POLICY_CACHE_TTL_SECONDS: '1', RESOLVE_KEY_CACHE_TTL_SECONDS: '1' });
    expect((await w.ask(WARM, APP)).status).toBe(200);
    w.db.down = true;
    await sleep(1100);
    expect(await w.ask(WARM, APP)).toMatchObject({ status: 200, body: { allowed: true } });
    // Back up, with a changed policy: seen after the circuit window and the stale entry's retry window.
    w.db.down = false;
    w.db.origins = ['https://new.example'];
    await sleep(CIRCUIT_OPEN_MS + 1100);
    expect(await w.ask(WARM, APP)).toMatchObject({ status: 200, body: { allowed: false } });
    expect(w.circuit.available).toBe(true);
  });

  it('answers 503 with Retry-After for a key it has never seen (not 401: the key may be valid)', async () => {
    const w = world();
    await w.ask(WARM, APP);
    w.db.down = true;
    const out = await w.ask(COLD, APP);
    expect(out).toEqual({
      status: 503,
      body: { statusCode: 503, error: 'Service Unavailable', message: expect.any(String) },
      retryAfter: RETRY_AFTER_SECONDS,
    });
    // A made-up key is no different: it cannot be told apart from a new one without the database.
    expect(
      (await w.ask('cpk_live_nope0001_secretsecretsecretsecretsecretsecretsecrets', APP)).status,
    ).toBe(503);
    // A malformed Authorization still is a 401 (no lookup needed).
    expect((await w.ask('', APP)).status).toBe(401);
  });

  it('answers 503 for a tenant it has never loaded (platform key cached, tenant not)', async () => {
    const w = world();
    await w.ask(PLATFORM, APP, 'warm');
    w.db.down = true;
    expect(await w.ask(PLATFORM, APP, 'cold')).toMatchObject({
      status: 503,
      retryAfter: RETRY_AFTER_SECONDS,
    });
    expect(await w.ask(PLATFORM, APP, 'warm')).toMatchObject({ status: 200 });
  });

  it('recovers without a restart: the tenant never loaded gets its decision once the database is back', async () => {
    const w = world();
    w.db.down = true;
    expect((await w.ask(COLD, APP)).status).toBe(503);
    w.db.down = false;
    await sleep(CIRCUIT_OPEN_MS + 50);
    expect(await w.ask(COLD, APP)).toMatchObject({ status: 200, body: { allowed: true } });
  });

  it('does not turn other database errors into a 503 (a bug stays a 500)', async () => {
    const w = world();
    w.db.down = 'other';
    await expect(w.ask(COLD, APP)).rejects.toThrow('syntax error');
  });

  it('forgets a stale entry when the database says the key was revoked or the tenant deleted', async () => {
    const w = world();
    await w.ask(WARM, APP);
    w.listenerLost();
    delete KEYS[WARM];
    try {
      expect((await w.ask(WARM, APP)).status).toBe(401);
    } finally {
      KEYS[WARM] = { tenant: 'warm' };
    }
  });
});

describe('the blocked-origin log across an outage', () => {
  it('keeps exact totals in bounded memory and writes them all after recovery', async () => {
    const w = world({ BLOCKED_MAX_KEYS: '10' });
    const tenant = TENANTS.warm!.id;
    w.db.down = true;
    let sent = 0;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 300; i++) {
        w.blocked.record(tenant, `https://o${i % 50}.example`, 'origin-not-allowed');
        sent++;
      }
      await w.blocked.flush(); // fails: folded back
      expect(w.blocked.pendingCount()).toBe(sent);
    }
    // Bounded: at most BLOCKED_MAX_KEYS itemised rows plus one overflow row per tenant, reason and hour.
    const internals = (
      w.blocked as unknown as {
        blocked: { size: number; overflow: Map<string, unknown> };
      }
    ).blocked;
    expect(internals.size).toBeLessThanOrEqual(10);
    expect(internals.overflow.size).toBeLessThanOrEqual(2);
    w.db.down = false;
    await sleep(CIRCUIT_OPEN_MS + 50);
    await w.blocked.flush();
    expect(w.blocked.pendingCount()).toBe(0);
    const written = w.db.upserts.flat();
    expect(written.reduce((n, r) => n + r.count, 0)).toBe(sent);
    expect(written.some((r) => r.origin === OVERFLOW_ORIGIN)).toBe(true);
  });
});

describe('DatabaseCircuit', () => {
  const logger = createLogger('silent');

  it('fails fast for a second after a connection failure, then tries again', async () => {
    const circuit = new DatabaseCircuit(logger);
    const fn = jest.fn(async () => {
      throw refused();
    });
    await expect(circuit.run(fn)).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(circuit.run(fn)).rejects.toBeInstanceOf(DatabaseUnavailableError);
    expect(fn).toHaveBeenCalledTimes(1);
    await sleep(CIRCUIT_OPEN_MS + 20);
    await expect(circuit.run(async () => 42)).resolves.toBe(42);
    expect(circuit.available).toBe(true);
  });

  it('treats a lookup that never answers as unreachable, and lets other errors through', async () => {
    const circuit = new DatabaseCircuit(logger);
    await expect(circuit.run(() => new Promise(() => undefined), 50)).rejects.toBeInstanceOf(
      DatabaseUnavailableError,
    );
    const other = new DatabaseCircuit(logger);
    await expect(
      other.run(async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(other.available).toBe(true);
  });
});
