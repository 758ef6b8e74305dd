// Policy validation (SPEC §2): every problem of a document in one pass, each located by a
// path, so the console can show it beside its input (jub0bs/cors "cfgerrors" style).
import {
  isCorsProtocolHeader,
  isForbiddenMethod,
  isForbiddenRequestHeader,
  isIgnoredAllowedHeader,
  isIgnoredExposedHeader,
  isToken,
  normaliseMethod,
} from './http-tokens.js';
import { MAX_BASELINE_ORIGINS } from './baseline.js';
import { isLoopbackHost, parseOriginPattern } from './origin-pattern.js';
import type { OriginPattern } from './origin-pattern.js';
import { MAX_POLICY_ROUTES, parseRoutePath } from './route-path.js';
import type {
  Issue,
  IssueReason,
  OriginEntry,
  PolicyDocument,
  PolicyMode,
  RouteRule,
  ValidationResult,
} from './types.js';

/** Chromium caps `Access-Control-Max-Age` at two hours; Firefox at one day. */
export const CHROMIUM_MAX_AGE_CAP_SECONDS = 7200;
const MAX_AGE_LIMIT_SECONDS = 2_147_483_647;
const MAX_NOTE_LENGTH = 500;
/**
 * SPEC §2.3: the most origin entries one policy holds. decide() costs the same at any size (hash
 * lookups), so the bound is for storage, compile time and the PUT body, not for the hot path.
 */
export const MAX_POLICY_ORIGINS = 100_000;
const POLICY_FIELDS = new Set([
  'mode',
  'origins',
  'allowedMethods',
  'allowedHeaders',
  'exposedHeaders',
  'allowCredentials',
  'maxAgeSeconds',
  'allowPrivateNetwork',
  'routes',
  'version',
]);
/** The policy fields a route may set (SPEC §2.1): all but `routes` and `version`. */
const ROUTE_FIELDS = new Set([...POLICY_FIELDS].filter((f) => f !== 'routes' && f !== 'version'));
const ENTRY_FIELDS = new Set(['pattern', 'note', 'expiresAt', 'source']);

export interface ValidateOptions {
  /** Current time in ms since the epoch, for the expired-entry warning; defaults to Date.now(). */
  now?: number;
}

/** The deny-all policy every new tenant starts with (SPEC §4). */
export function emptyPolicy(): PolicyDocument {
  return {
    mode: 'enforce',
    origins: [],
    allowedMethods: [],
    allowedHeaders: [],
    exposedHeaders: [],
    allowCredentials: false,
    maxAgeSeconds: null,
    allowPrivateNetwork: false,
  };
}

class Findings {
  readonly errors: Issue[] = [];
  readonly warnings: Issue[] = [];
  error(path: string, value: unknown, reason: IssueReason, message: string): void {
    this.errors.push(issue(path, value, reason, message));
  }
  warn(path: string, value: unknown, reason: IssueReason, message: string): void {
    this.warnings.push(issue(path, value, reason, message));
  }
}

function issue(path: string, value: unknown, reason: IssueReason, message: string): Issue {
  return { path, value, reason, message: `${path || 'policy'}: ${message}` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates and normalises a policy document; `policy` is present when there is no error. */
export function validatePolicy(input: unknown, options: ValidateOptions = {}): ValidationResult {
  return analysePolicy(input, options).result;
}

/** A validated route, with the parsed patterns of its own origins (null when it inherits them). */
export interface AnalysedRoute {
  route: RouteRule;
  segments: string[];
  prefix: boolean;
  patterns: OriginPattern[] | null;
}

/** The validation result plus the parsed patterns of the normalised origin entries, for compilePolicy(). */
export function analysePolicy(
  input: unknown,
  options: ValidateOptions = {},
): { result: ValidationResult; patterns: OriginPattern[]; routes: AnalysedRoute[] } {
  const findings = new Findings();
  const patterns: OriginPattern[] = [];
  const routes: AnalysedRoute[] = [];
  if (!isRecord(input)) {
    findings.error('', input, 'invalid-type', 'a policy is a JSON object');
    return {
      result: { ok: false, errors: findings.errors, warnings: findings.warnings },
      patterns,
      routes,
    };
  }
  for (const key of Object.keys(input)) {
    if (!POLICY_FIELDS.has(key))
      findings.error(key, input[key], 'unknown-field', 'is not a policy field');
  }
  const now = options.now ?? Date.now();
  const routeList = readArray(input.routes, 'routes', findings);
  // SPEC §2.3 bounds the policy's entries, wherever they are listed.
  const originCount = routeList.reduce<number>(
    (n, route) => n + (isRecord(route) && Array.isArray(route.origins) ? route.origins.length : 0),
    Array.isArray(input.origins) ? input.origins.length : 0,
  );
  const policy = readFields(input, now, findings, patterns, originCount);
  if (input.routes !== undefined) {
    policy.routes = readRoutes(routeList, input, { policy, patterns }, now, findings, routes);
  }
  if (typeof input.version === 'number') policy.version = input.version;
  const ok = findings.errors.length === 0;
  return {
    result: { ok, errors: findings.errors, warnings: findings.warnings, ...(ok ? { policy } : {}) },
    patterns,
    routes,
  };
}

/** The policy fields (all but `routes` and `version`), normalised. */
function readFields(
  input: Record<string, unknown>,
  now: number,
  findings: Findings,
  patterns: OriginPattern[],
  originCount: number,
  inherited: Inherited | null = null,
): PolicyDocument {
  const allowCredentials = readBoolean(input, 'allowCredentials', findings);
  const allowPrivateNetwork = readBoolean(input, 'allowPrivateNetwork', findings);
  const flags = { credentials: allowCredentials, privateNetwork: allowPrivateNetwork };
  return {
    mode: readMode(input.mode, allowCredentials, findings),
    origins:
      inherited === null
        ? readOrigins(input.origins, flags, now, findings, patterns, originCount)
        : inheritOrigins(inherited, flags, findings),
    allowedMethods: readNames(input.allowedMethods, 'allowedMethods', allowCredentials, findings),
    allowedHeaders: readNames(input.allowedHeaders, 'allowedHeaders', allowCredentials, findings),
    exposedHeaders: readNames(input.exposedHeaders, 'exposedHeaders', allowCredentials, findings),
    allowCredentials,
    maxAgeSeconds: readMaxAge(input.maxAgeSeconds, findings),
    allowPrivateNetwork,
  };
}

/** The default's origins, already parsed, for a route that does not set its own. */
interface Inherited {
  policy: PolicyDocument;
  patterns: OriginPattern[];
}

/** Inherited entries are not parsed again; only the rules tied to the route's own flags are run. */
function inheritOrigins(
  { policy, patterns }: Inherited,
  flags: { credentials: boolean; privateNetwork: boolean },
  findings: Findings,
): OriginEntry[] {
  if (
    flags.credentials !== policy.allowCredentials ||
    flags.privateNetwork !== policy.allowPrivateNetwork
  ) {
    patterns.forEach((pattern, index) =>
      checkOriginFlags(pattern, `origins[${index}].pattern`, pattern.normalised, flags, findings),
    );
  }
  return policy.origins;
}

/**
 * SPEC §2.1: each route is validated like a policy: the default with the route's fields over it.
 * Its issues are reported under `routes[i].`, except those the default has already (an inherited
 * field's own problem is reported once, where it is written); a problem that only the combination
 * makes (a route's credentials with the default's `*` origin) is the route's.
 */
function readRoutes(
  list: unknown[],
  input: Record<string, unknown>,
  inherited: Inherited,
  now: number,
  findings: Findings,
  out: AnalysedRoute[],
): RouteRule[] {
  if (list.length > MAX_POLICY_ROUTES) {
    findings.error(
      'routes',
      list.length,
      'too-many-routes',
      `holds ${list.length} routes; a policy holds at most ${MAX_POLICY_ROUTES} (SPEC §2.1)`,
    );
    return [];
  }
  const own = new Set(
    [...findings.errors, ...findings.warnings].map((i) => `${i.reason} ${i.path}`),
  );
  const seen = new Map<string, number>();
  const rules: RouteRule[] = [];
  list.forEach((raw, index) => {
    const at = `routes[${index}]`;
    if (!isRecord(raw)) {
      findings.error(
        at,
        raw,
        'invalid-type',
        'is a route: {path, …the policy fields it overrides}',
      );
      return;
    }
    let valid = true;
    const overrides: Record<string, unknown> = {};
    for (const key of Object.keys(raw)) {
      if (key === 'path') continue;
      if (ROUTE_FIELDS.has(key)) overrides[key] = raw[key];
      else {
        findings.error(`${at}.${key}`, raw[key], 'unknown-field', 'is not a route field');
        valid = false;
      }
    }
    const path = readRoutePath(raw.path, `${at}.path`, seen, index, findings);
    const scoped = new Findings();
    const patterns: OriginPattern[] = [];
    const ownOrigins = 'origins' in overrides;
    const merged = readFields(
      { ...input, ...overrides },
      now,
      scoped,
      patterns,
      0,
      ownOrigins ? null : inherited,
    );
    const mine = (issue: Issue) =>
      topField(issue.path) in overrides || !own.has(`${issue.reason} ${issue.path}`);
    for (const issue of scoped.errors.filter(mine)) {
      findings.errors.push(rebase(issue, at));
      valid = false;
    }
    for (const issue of scoped.warnings.filter(mine)) findings.warnings.push(rebase(issue, at));
    if (!valid || path === null) return;
    const route: RouteRule = { path: path.normalised };
    for (const key of Object.keys(overrides))
      (route as Record<string, unknown>)[key] = merged[key as keyof PolicyDocument];
    rules.push(route);
    out.push({
      route,
      segments: path.segments,
      prefix: path.prefix,
      patterns: ownOrigins ? patterns : null,
    });
  });
  return rules;
}

/** `origins` of `origins[2].pattern`. */
function topField(path: string): string {
  let end = 0;
  while (end < path.length && path[end] !== '.' && path[end] !== '[') end++;
  return path.slice(0, end);
}

/** A route's issue, found on the merged document, located under `routes[i].`. */
function rebase(found: Issue, at: string): Issue {
  return issue(
    `${at}.${found.path}`,
    found.value,
    found.reason,
    found.message.slice(found.path.length + 2),
  );
}

function readRoutePath(
  value: unknown,
  path: string,
  seen: Map<string, number>,
  index: number,
  findings: Findings,
) {
  if (typeof value !== 'string') {
    findings.error(path, value, 'invalid-type', 'is a path such as /api/* or /webhooks/stripe');
    return null;
  }
  const parsed = parseRoutePath(value);
  if (!parsed.ok) {
    findings.error(path, value, 'invalid-route-path', parsed.message);
    return null;
  }
  const first = seen.get(parsed.normalised);
  if (first !== undefined) {
    findings.error(
      path,
      value,
      'duplicate',
      `"${parsed.normalised}" is already routes[${first}].path`,
    );
    return null;
  }
  seen.set(parsed.normalised, index);
  return parsed;
}

function readMode(value: unknown, credentials: boolean, findings: Findings): PolicyMode {
  if (value === 'report-only' && credentials) {
    // SPEC §3: report-only answers a would-be refusal like a public request, without credentials.
    findings.warn(
      'mode',
      value,
      'report-only-with-credentials',
      'report-only lets unlisted origins through without credentials only: their signed-in requests stay blocked, so this mode does not show what enforcing would break for them',
    );
  }
  if (value === undefined || value === 'enforce' || value === 'report-only')
    return value ?? 'enforce';
  findings.error('mode', value, 'invalid-mode', 'is "enforce" or "report-only"');
  return 'enforce';
}

function readBoolean(input: Record<string, unknown>, field: string, findings: Findings): boolean {
  const value = input[field];
  if (value === undefined || typeof value === 'boolean') return value ?? false;
  findings.error(field, value, 'invalid-type', 'is true or false');
  return false;
}

function readArray(value: unknown, path: string, findings: Findings): unknown[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  findings.error(path, value, 'invalid-type', 'is a list');
  return [];
}

function readOrigins(
  value: unknown,
  flags: { credentials: boolean; privateNetwork: boolean },
  now: number,
  findings: Findings,
  patterns: OriginPattern[],
  originCount: number,
): OriginEntry[] {
  const entries: OriginEntry[] = [];
  const seen = new Map<string, number>();
  const list = readArray(value, 'origins', findings);
  // Refused before any entry is parsed, so an oversized list costs nothing more than its length.
  // `originCount` counts the routes' entries too: the bound is the whole policy's (SPEC §2.3). An
  // effective policy's baseline entries (SPEC §2.2) have their own bound (MAX_BASELINE_ORIGINS).
  const baselineEntries = countBaselineEntries(list);
  const ownEntries = originCount - baselineEntries;
  if (ownEntries > MAX_POLICY_ORIGINS || baselineEntries > MAX_BASELINE_ORIGINS) {
    findings.error(
      'origins',
      originCount,
      'too-many-origins',
      `holds ${ownEntries.toLocaleString('en-US')} entries${ownEntries > list.length - baselineEntries ? ", its routes' included" : ''}; a policy holds at most ${MAX_POLICY_ORIGINS.toLocaleString('en-US')} (SPEC §2.3)`,
    );
    return entries;
  }
  list.forEach((raw, index) => {
    const entry = readOriginEntry(raw, `origins[${index}]`, findings);
    if (entry === null) return;
    const path = `origins[${index}].pattern`;
    const parsed = parseOriginPattern(entry.pattern);
    if (!parsed.ok) {
      findings.error(path, entry.pattern, parsed.reason, parsed.message);
      return;
    }
    const { pattern } = parsed;
    const first = seen.get(pattern.normalised);
    if (first !== undefined) {
      findings.error(
        path,
        entry.pattern,
        'duplicate',
        `"${pattern.normalised}" is already origins[${first}]`,
      );
      return;
    }
    seen.set(pattern.normalised, index);
    checkOriginFlags(pattern, path, entry.pattern, flags, findings);
    if (entry.expiresAt && Date.parse(entry.expiresAt) <= now) {
      findings.warn(
        `origins[${index}].expiresAt`,
        entry.expiresAt,
        'expired-entry',
        'has passed: the entry no longer matches',
      );
    }
    entries.push({ ...entry, pattern: pattern.normalised });
    patterns.push(pattern);
  });
  return entries;
}

/** The rules that tie an origin entry to the policy's credentials and private-network flags. */
function checkOriginFlags(
  pattern: OriginPattern,
  path: string,
  raw: string,
  flags: { credentials: boolean; privateNetwork: boolean },
  findings: Findings,
): void {
  if (pattern.kind === 'any' && flags.privateNetwork) {
    // Private Network Access: the preflight's opt-in must answer one site, never every site.
    findings.error(
      path,
      raw,
      'private-network-with-any-origin',
      '"*" cannot be combined with allowPrivateNetwork: every website could reach the private network',
    );
  }
  if (pattern.kind === 'any' && flags.credentials) {
    // Fetch §3.2.5: a credentialed response never matches `Access-Control-Allow-Origin: *`.
    findings.error(
      path,
      raw,
      'wildcard-with-credentials',
      '"*" cannot be combined with allowCredentials',
    );
  } else if (pattern.kind === 'null') {
    findings.warn(
      path,
      raw,
      'null-origin',
      '"null" is the origin of sandboxed iframes and local files, which any site can create',
    );
  } else if (
    pattern.kind === 'host' &&
    flags.credentials &&
    pattern.scheme === 'http' &&
    !isLoopbackHost(pattern)
  ) {
    findings.warn(
      path,
      raw,
      'insecure-origin-with-credentials',
      'plain http with credentials lets a network attacker act as this origin',
    );
  }
}

function countBaselineEntries(list: unknown[]): number {
  let n = 0;
  for (const raw of list) if (isRecord(raw) && raw.source === 'baseline') n++;
  return n;
}

function readOriginEntry(raw: unknown, path: string, findings: Findings): OriginEntry | null {
  if (typeof raw === 'string') return { pattern: raw, note: null, expiresAt: null };
  if (!isRecord(raw)) {
    findings.error(path, raw, 'invalid-type', 'is an origin pattern or {pattern, note, expiresAt}');
    return null;
  }
  let valid = true;
  for (const key of Object.keys(raw)) {
    if (!ENTRY_FIELDS.has(key)) {
      findings.error(`${path}.${key}`, raw[key], 'unknown-field', 'is not an origin entry field');
      valid = false;
    }
  }
  if (typeof raw.pattern !== 'string') {
    findings.error(`${path}.pattern`, raw.pattern, 'invalid-type', 'is a string');
    valid = false;
  }
  const note = raw.note ?? null;
  if (note !== null && (typeof note !== 'string' || note.length > MAX_NOTE_LENGTH)) {
    findings.error(
      `${path}.note`,
      note,
      'invalid-note',
      `is text of at most ${MAX_NOTE_LENGTH} characters`,
    );
    valid = false;
  }
  const expiresAt = readExpiry(raw.expiresAt ?? null, `${path}.expiresAt`, findings);
  if (expiresAt === undefined) valid = false;
  const source = raw.source ?? 'tenant';
  if (source !== 'tenant' && source !== 'baseline') {
    findings.error(`${path}.source`, source, 'invalid-source', 'is "tenant" or "baseline"');
    valid = false;
  }
  if (!valid) return null;
  const entry: OriginEntry = {
    pattern: raw.pattern as string,
    note: note as string | null,
    expiresAt: expiresAt ?? null,
  };
  // Only an effective policy's baseline entries say where they come from (SPEC §2.2).
  if (source === 'baseline') entry.source = 'baseline';
  return entry;
}

/** Returns the ISO instant, null for none, or undefined when invalid. */
function readExpiry(value: unknown, path: string, findings: Findings): string | null | undefined {
  if (value === null) return null;
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) {
    findings.error(
      path,
      value,
      'invalid-expiry',
      'is an ISO 8601 date-time such as 2026-12-31T00:00:00Z',
    );
    return undefined;
  }
  return new Date(time).toISOString();
}

type NameList = 'allowedMethods' | 'allowedHeaders' | 'exposedHeaders';

function readNames(
  value: unknown,
  list: NameList,
  credentials: boolean,
  findings: Findings,
): string[] {
  const names = new Set<string>();
  readArray(value, list, findings).forEach((raw, index) => {
    const path = `${list}[${index}]`;
    if (typeof raw !== 'string' || !isToken(raw)) {
      const what = list === 'allowedMethods' ? 'method' : 'header name';
      findings.error(
        path,
        raw,
        list === 'allowedMethods' ? 'invalid-method' : 'invalid-header',
        `is not a valid ${what} (an HTTP token)`,
      );
      return;
    }
    // Methods and request headers: with credentials, decide() answers `*` with the requested
    // names themselves (Fetch §3.2.3 reads a credentialed `*` as a literal name). Exposed headers
    // cannot be answered that way: the service never sees the response's header names.
    if (raw === '*' && credentials && list === 'exposedHeaders') {
      findings.error(
        path,
        raw,
        'wildcard-with-credentials',
        '"*" cannot be combined with allowCredentials: a browser reads it as a header named "*" (Fetch §3.2.3)',
      );
      return;
    }
    const name = list === 'allowedMethods' ? normaliseMethod(raw) : raw.toLowerCase();
    if (list === 'allowedMethods' && isForbiddenMethod(name)) {
      findings.error(
        path,
        raw,
        'forbidden-method',
        `${name} is a forbidden method (Fetch §2.2.1): browsers never send it`,
      );
      return;
    }
    if (list === 'allowedHeaders') warnIgnoredAllowedHeader(path, raw, name, findings);
    if (list === 'exposedHeaders') warnIgnoredExposedHeader(path, raw, name, findings);
    names.add(name);
  });
  return [...names];
}

/** Harmless entries that configs copied from other tools often carry: kept, flagged, never compiled. */
function warnIgnoredAllowedHeader(path: string, raw: string, name: string, findings: Findings) {
  if (isForbiddenRequestHeader(name)) {
    findings.warn(
      path,
      raw,
      'forbidden-header',
      `${name} is a forbidden request-header name (Fetch §2.2.2): scripts cannot set it, so the entry is ignored`,
    );
  } else if (isIgnoredAllowedHeader(name)) {
    findings.warn(
      path,
      raw,
      'cors-header-in-allowed-headers',
      `${name} is a CORS response header (Fetch §3.2.3), not a request header: the entry is ignored`,
    );
  }
}

function warnIgnoredExposedHeader(path: string, raw: string, name: string, findings: Findings) {
  if (isIgnoredExposedHeader(name)) {
    findings.warn(
      path,
      raw,
      'unexposable-header',
      isCorsProtocolHeader(name)
        ? `${name} belongs to the CORS protocol itself (Fetch §3.2.3), not to the application: the entry is ignored`
        : `${name} is a forbidden response-header name (Fetch §2.2.2): browsers never expose it, so the entry is ignored`,
    );
  }
}

function readMaxAge(value: unknown, findings: Findings): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value > MAX_AGE_LIMIT_SECONDS) {
    findings.error(
      'maxAgeSeconds',
      value,
      'invalid-max-age',
      'is a whole number of seconds, or null',
    );
    return null;
  }
  if (value < 0) {
    findings.error('maxAgeSeconds', value, 'negative-max-age', 'cannot be negative');
    return null;
  }
  if (value > CHROMIUM_MAX_AGE_CAP_SECONDS) {
    findings.warn(
      'maxAgeSeconds',
      value,
      'max-age-above-browser-cap',
      `browsers cap it (Chromium at ${CHROMIUM_MAX_AGE_CAP_SECONDS} s)`,
    );
  }
  return value;
}
