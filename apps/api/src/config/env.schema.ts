import { isIP } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root (src/config or dist/config are four levels below it). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

const bool = (fallback: boolean) => z.stringbool().default(fallback);
const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An address, a CIDR range or one of proxy-addr's names for a range. */
function isProxyRange(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const max = family === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}

/**
 * Which proxies' `X-Forwarded-*` to believe: `false`; a number of hops (the client address is that many
 * entries from the right of X-Forwarded-For); or the proxies' addresses and CIDR ranges. `true` (every hop,
 * so the leftmost entry, which the client writes itself) is refused: it lets anyone choose their address.
 */
const trustProxy = z
  .string()
  .default('false')
  .transform((raw, ctx): false | number | string[] => {
    const value = raw.trim().toLowerCase();
    if (value === 'false' || value === '0' || value === '') return false;
    if (/^\d{1,2}$/.test(value)) return Number(value);
    const entries = value.split(',').map((e) => e.trim());
    if (value !== 'true' && entries.every(isProxyRange)) return entries;
    ctx.addIssue({
      code: 'custom',
      message:
        'give the number of proxies in front of the API (e.g. 1), or their addresses/CIDR ranges (e.g. 10.0.0.0/8); `true` would trust the client-written start of X-Forwarded-For',
    });
    return z.NEVER;
  });

/**
 * Every setting of the API. This module is the only reader of `process.env`; the result is checked at boot
 * and a bad value stops the process with a message naming the variable.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: int(3000, 0, 65535),
  /** Unset: an embedded PostgreSQL is started in DATA_DIR (see scripts/embedded-postgres.mjs). */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATABASE_POOL_MAX: int(10, 1, 200),
  DATA_DIR: z.string().min(1).default(path.join(REPO_ROOT, '.data')),
  EMBEDDED_PG_PORT: int(54329, 1, 65535),
  MIGRATE_ON_START: bool(true),
  SEED_DEMO: bool(true),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12).max(1024).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `auto`: human-readable lines on a terminal, JSON otherwise. */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  SESSION_TTL_HOURS: int(12, 1, 24 * 90),
  /** Longest lifetime of an admin token; also the lifetime of one created without `expiresInDays`. */
  ADMIN_TOKEN_MAX_DAYS: int(90, 1, 3650),
  /** How long an invitation link stays usable (SPEC §4: one-time links); at most 30 days. */
  INVITATION_TTL_HOURS: int(72, 1, 24 * 30),
  /**
   * The console's public origin, used to build invitation links (`<PUBLIC_URL>/invite/<token>`); unset: the
   * origin of the request that created the invitation (the console is served at `/`, so a path is dropped).
   */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .transform((u) => new URL(u).origin)
    .optional(),
  /** Secure cookies need HTTPS; on by default in production. */
  COOKIE_SECURE: z.stringbool().optional(),
  /** Extra origins (comma-separated) allowed to make cookie-authenticated writes, e.g. a Vite dev server. */
  ADMIN_ORIGINS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((o) => o.trim().toLowerCase())
        .filter(Boolean),
    ),
  BODY_LIMIT_BYTES: int(1024 * 1024, 1024, 50 * 1024 * 1024),
  /**
   * Body limit of the routes that carry a whole policy (PUT /v1/tenants/:slug/policy, POST …/policy/validate,
   * POST …/simulate, PUT …/policy/candidate): 100,000 origins (SPEC §2.3) of ~335 bytes each, e.g. a 60-character
   * pattern, a 200-character note and an expiry. A realistic 100,000-origin policy is ~15 MiB of JSON.
   */
  POLICY_BODY_LIMIT_BYTES: int(32 * 1024 * 1024, 1024, 256 * 1024 * 1024),
  /**
   * A single-origin write stores a delta version; once a chain of deltas reaches this many versions the next
   * one is a full snapshot instead (modules/policies/policy-version-chain.ts). Reading a version replays at
   * most this many - 1 deltas; a smaller value costs a whole-policy copy more often.
   */
  POLICY_SNAPSHOT_INTERVAL: int(1000, 1, 100_000),
  /**
   * A page of GET /v1/audit holds no more rows than fit in this many bytes of `before` and `after` as PostgreSQL
   * stores them (pg_column_size: compressed), then answers nextCursor; the first row always fits. A PUT of a
   * 100,000-origin policy stores ~0.9 MB per document (~11.6 MB of JSON each), so such rows come two to a page
   * (~46 MB of JSON), where a 50-row page of them would be ~1.2 GB.
   */
  AUDIT_PAGE_MAX_BYTES: int(4 * 1024 * 1024, 1024, 256 * 1024 * 1024),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: int(5, 1, 1000),
  LOGIN_MAX_FAILURES_PER_IP: int(20, 1, 100000),
  LOGIN_LOCKOUT_SECONDS: int(900, 1, 86400),
  TRUST_PROXY: trustProxy,
  /** What /resolve tells callers (SDKs, gateways) they may reuse an answer for: cacheTtlSeconds, Cache-Control. */
  RESOLVE_CACHE_TTL_SECONDS: int(30, 0, 86400),
  /** Compiled policies kept in memory: at most this many tenants… */
  RESOLVE_POLICY_CACHE_MAX: int(10_000, 1, 10_000_000),
  /** …and at most this many origin entries in total (each tenant counts its entries + 1). */
  RESOLVE_POLICY_CACHE_MAX_ENTRIES: int(2_000_000, 1, 1_000_000_000),
  /** Safety net behind LISTEN/NOTIFY invalidation: a cached policy is reloaded after this long anyway. */
  RESOLVE_POLICY_CACHE_TTL_SECONDS: int(300, 1, 86400),
  /** Verified /resolve keys kept in memory (by the presented secret, KeyCacheService), and for how long. */
  RESOLVE_KEY_CACHE_MAX: int(10_000, 1, 10_000_000),
  RESOLVE_KEY_CACHE_TTL_SECONDS: int(300, 1, 86400),
  /** Unknown keys and tenant slugs are remembered too (separately, so a flood cannot evict good keys). */
  RESOLVE_NEGATIVE_CACHE_MAX: int(10_000, 1, 10_000_000),
  RESOLVE_NEGATIVE_CACHE_TTL_SECONDS: int(10, 1, 3600),
  /** Unknown keys one client (address) may have looked up per window before its lookups answer 429. */
  RESOLVE_UNKNOWN_KEYS_PER_CLIENT: int(30, 1, 1_000_000),
  RESOLVE_UNKNOWN_KEYS_WINDOW_SECONDS: int(60, 1, 3600),
  /**
   * Body limit of POST /resolve/events only, read after the key is verified. 1 MiB holds an SDK batch of a
   * few thousand events of real-sized origins (the SDK splits larger flushes into several batches).
   */
  RESOLVE_EVENTS_BODY_LIMIT_BYTES: int(1024 * 1024, 1024, 256 * 1024 * 1024),
  /** Open GET /resolve/changes streams per process (one per SDK process); beyond it 503 + Retry-After. */
  RESOLVE_STREAM_MAX_CONNECTIONS: int(10_000, 1, 1_000_000),
  /** A `: ping` comment on every stream this often (SPEC §5: at least every 15 s; proxies' idle timeouts). */
  RESOLVE_STREAM_HEARTBEAT_SECONDS: int(15, 1, 15),
  /** Blocked-origin counts are written to PostgreSQL in one batched upsert this often. */
  BLOCKED_FLUSH_INTERVAL_MS: int(1000, 10, 60_000),
  /** Distinct (tenant, origin, reason, hour) keys held per flush window; beyond it, per-tenant overflow rows. */
  BLOCKED_MAX_KEYS: int(10_000, 10, 10_000_000),
  /**
   * Itemised (origin, reason) rows one tenant may have per hour, in memory and in the table (all replicas);
   * later ones are counted in the tenant's "(overflow)" row of their reason, so totals stay exact.
   */
  BLOCKED_MAX_ORIGINS_PER_TENANT_HOUR: int(200, 1, 1_000_000),
  /** Blocked-origin rows older than this are purged (hourly, and at start). */
  BLOCKED_RETENTION_DAYS: int(30, 1, 3650),
  /** Single sign-on (SPEC §4): all three set, or none. */
  OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(500).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(2000).optional(),
  /** ID-token claim listing `platform:admin|viewer` and `tenant:<slug>:editor|viewer`. */
  OIDC_ROLES_CLAIM: z.string().min(1).max(200).default('corsplane_roles'),
  /** The callback URL registered at the provider; default: this request's origin + /v1/auth/oidc/callback. */
  OIDC_REDIRECT_URI: z.url({ protocol: /^https?$/ }).optional(),
});

export type Env = z.infer<typeof envSchema> & {
  cookieSecure: boolean;
  migrationsDir: string;
  /** The SSO settings when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are all set. */
  oidc: { issuer: string; clientId: string; clientSecret: string } | null;
};

export class EnvValidationError extends Error {}

/** Parses the environment (process.env by default); throws with one line per bad variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new EnvValidationError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  const oidcSet = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET].filter(Boolean);
  if (oidcSet.length !== 0 && oidcSet.length !== 3)
    throw new EnvValidationError(
      'Invalid configuration:\n  OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: set all three for single sign-on, or none',
    );
  return {
    ...env,
    cookieSecure: env.COOKIE_SECURE ?? env.NODE_ENV === 'production',
    migrationsDir: path.join(REPO_ROOT, 'prisma', 'migrations'),
    oidc:
      env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET
        ? {
            issuer: env.OIDC_ISSUER,
            clientId: env.OIDC_CLIENT_ID,
            clientSecret: env.OIDC_CLIENT_SECRET,
          }
        : null,
  };
}

/** Injection token of the validated Env. */
export const ENV = Symbol('ENV');
