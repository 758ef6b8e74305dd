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
import type {
  Issue,
  IssueReason,
  OriginEntry,
  PolicyDocument,
  PolicyMode,
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
  'version',
]);
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

/** The validation result plus the parsed pattern of each normalised origin entry, for compilePolicy(). */
export function analysePolicy(
  input: unknown,
  options: ValidateOptions = {},
): { result: ValidationResult; patterns: OriginPattern[] } {
  const findings = new Findings();
  const patterns: OriginPattern[] = [];
  if (!isRecord(input)) {
    findings.error('', input, 'invalid-type', 'a policy is a JSON object');
    return {
      result: { ok: false, errors: findings.errors, warnings: findings.warnings },
      patterns,
    };
  }
  for (const key of Object.keys(input)) {
    if (!POLICY_FIELDS.has(key))
      findings.error(key, input[key], 'unknown-field', 'is not a policy field');
  }
  const allowCredentials = readBoolean(input, 'allowCredentials', findings);
  const allowPrivateNetwork = readBoolean(input, 'allowPrivateNetwork', findings);
  const policy: PolicyDocument = {
    mode: readMode(input.mode, findings),
    origins: readOrigins(
      input.origins,
      { credentials: allowCredentials, privateNetwork: allowPrivateNetwork },
      options.now ?? Date.now(),
      findings,
      patterns,
    ),
    allowedMethods: readNames(input.allowedMethods, 'allowedMethods', allowCredentials, findings),
    allowedHeaders: readNames(input.allowedHeaders, 'allowedHeaders', allowCredentials, findings),
    exposedHeaders: readNames(input.exposedHeaders, 'exposedHeaders', allowCredentials, findings),
    allowCredentials,
    maxAgeSeconds: readMaxAge(input.maxAgeSeconds, findings),
    allowPrivateNetwork,
  };
  if (typeof input.version === 'number') policy.version = input.version;
  const ok = findings.errors.length === 0;
  return {
    result: { ok, errors: findings.errors, warnings: findings.warnings, ...(ok ? { policy } : {}) },
    patterns,
  };
}

function readMode(value: unknown, findings: Findings): PolicyMode {
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
): OriginEntry[] {
  const entries: OriginEntry[] = [];
  const seen = new Map<string, number>();
  const list = readArray(value, 'origins', findings);
  // Refused before any entry is parsed, so an oversized list costs nothing more than its length.
  // An effective policy's baseline entries (SPEC §2.2) have their own bound (MAX_BASELINE_ORIGINS).
  const ownEntries = list.length - countBaselineEntries(list);
  if (ownEntries > MAX_POLICY_ORIGINS || list.length - ownEntries > MAX_BASELINE_ORIGINS) {
    findings.error(
      'origins',
      list.length,
      'too-many-origins',
      `holds ${ownEntries.toLocaleString('en-US')} entries; a policy holds at most ${MAX_POLICY_ORIGINS.toLocaleString('en-US')} (SPEC §2.3)`,
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
    if (pattern.kind === 'any' && flags.privateNetwork) {
      // Private Network Access: the preflight's opt-in must answer one site, never every site.
      findings.error(
        path,
        entry.pattern,
        'private-network-with-any-origin',
        '"*" cannot be combined with allowPrivateNetwork: every website could reach the private network',
      );
    }
    if (pattern.kind === 'any' && flags.credentials) {
      // Fetch §3.2.5: a credentialed response never matches `Access-Control-Allow-Origin: *`.
      findings.error(
        path,
        entry.pattern,
        'wildcard-with-credentials',
        '"*" cannot be combined with allowCredentials',
      );
    } else if (pattern.kind === 'null') {
      findings.warn(
        path,
        entry.pattern,
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
        entry.pattern,
        'insecure-origin-with-credentials',
        'plain http with credentials lets a network attacker act as this origin',
      );
    }
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
