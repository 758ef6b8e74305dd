// Parsing and normalisation of allow-list patterns (SPEC §2). This runs on admin input at
// validation/compile time, never per request, so it may use the URL parser for IDNA and
// IPv4/IPv6 canonicalisation.
import { getPublicSuffix } from 'tldts';
import { defaultPortOf } from './http-tokens.js';
import type { IssueReason } from './types.js';

export type OriginPattern =
  /** `*`: any origin. */
  | { kind: 'any'; normalised: '*' }
  /** `null`: the opaque origin (sandboxed iframes, file: pages, some redirects). */
  | { kind: 'null'; normalised: 'null' }
  | HostPattern;

export interface HostPattern {
  kind: 'host';
  normalised: string;
  scheme: string;
  /** Lower-case ASCII host; for a subdomain wildcard, the domain after `*.`. IPv6 keeps brackets. */
  host: string;
  /** True for `scheme://*.domain`: one or more extra labels, never the apex. */
  subdomains: boolean;
  /** A port number, `*` for any port (or none), or null for the scheme's default. */
  port: number | '*' | null;
  ip: boolean;
}

export type PatternParseResult =
  { ok: true; pattern: OriginPattern } | { ok: false; reason: IssueReason; message: string };

const fail = (reason: IssueReason, message: string): PatternParseResult => ({
  ok: false,
  reason,
  message,
});

/** RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). */
function isScheme(value: string): boolean {
  if (value.length === 0 || !isAsciiAlpha(value.charCodeAt(0))) return false;
  for (let i = 1; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!isAsciiAlpha(c) && !isDigit(c) && c !== 0x2b && c !== 0x2d && c !== 0x2e) return false;
  }
  return true;
}

function isAsciiAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function hasWhitespaceOrControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return true;
  }
  return false;
}

/**
 * Successful parses, by input. Every compile parses each pattern of the policy, and a change to a large
 * policy keeps almost all of them: an API process or SDK recompiling version N+1 finds the patterns of
 * version N here. Two generations bound it (at most 2 × MEMO_GENERATION inputs, none longer than
 * MEMO_MAX_INPUT: about 40 MB at worst, reached only by a process that parsed 200,000 distinct patterns);
 * a generation holds the largest policy (SPEC §2.3), so recompiling one never evicts its own patterns.
 * Results are frozen, since they are shared.
 */
const MEMO_GENERATION = 100_000;
const MEMO_MAX_INPUT = 300;
let memo = new Map<string, PatternParseResult>();
let previousMemo = new Map<string, PatternParseResult>();

/** Parses and normalises one allow-list pattern; the result names the first problem found. */
export function parseOriginPattern(input: string): PatternParseResult {
  const known = memo.get(input) ?? previousMemo.get(input);
  if (known !== undefined) return known;
  const result = parseUncached(input);
  if (result.ok && input.length <= MEMO_MAX_INPUT) {
    if (memo.size >= MEMO_GENERATION) {
      previousMemo = memo;
      memo = new Map();
    }
    Object.freeze(result.pattern);
    memo.set(input, Object.freeze(result));
  }
  return result;
}

function parseUncached(input: string): PatternParseResult {
  if (input.length === 0) return fail('empty-pattern', 'the pattern is empty');
  if (input === '*' || input === 'null') {
    return {
      ok: true,
      pattern: { kind: input === '*' ? 'any' : 'null', normalised: input } as OriginPattern,
    };
  }
  if (hasWhitespaceOrControl(input)) {
    return fail('invalid-origin', 'an origin has no spaces or control characters');
  }
  const separator = input.indexOf('://');
  if (separator < 0) {
    return fail('invalid-origin', 'expected scheme://host[:port], "null" or "*"');
  }
  const rawScheme = input.slice(0, separator);
  if (!isScheme(rawScheme)) {
    return fail('invalid-scheme', `"${rawScheme}" is not a URL scheme (RFC 3986 §3.1)`);
  }
  const scheme = rawScheme.toLowerCase();
  const rest = input.slice(separator + 3);

  const authorityEnd = authorityEndOf(rest);
  const authority = rest.slice(0, authorityEnd);
  const tail = rest.slice(authorityEnd);
  if (tail === '/') {
    return fail('trailing-slash', 'an origin has no trailing slash: browsers never send one');
  }
  if (tail.startsWith('/')) return fail('has-path', 'an origin has no path');
  if (tail.startsWith('?')) return fail('has-query', 'an origin has no query string');
  if (tail.startsWith('#')) return fail('has-fragment', 'an origin has no fragment');
  if (authority.includes('@')) {
    return fail('has-userinfo', 'an origin has no user name or password');
  }

  const split = splitHostPort(authority);
  if (!split.ok) return split;
  const port = parsePort(split.port, scheme);
  if (port === undefined) {
    return fail(
      'invalid-port',
      `"${split.port}" is not a port (1-65535 without leading zeros, or * for any port)`,
    );
  }

  let rawHost = split.host;
  const subdomains = rawHost.startsWith('*.');
  if (subdomains) rawHost = rawHost.slice(2);
  if (rawHost.includes('*')) {
    return fail(
      'invalid-wildcard',
      'a wildcard stands only as the first label ("https://*.example.com") or as the port (":*")',
    );
  }
  const host = normaliseHost(rawHost);
  if (!host.ok) return host;
  if (subdomains) {
    if (host.ip) return fail('invalid-wildcard', 'an IP address has no subdomains');
    // A wildcard over a public suffix would admit every site registered under it.
    if (host.value !== 'localhost' && isPublicSuffix(host.value)) {
      return fail(
        'public-suffix-wildcard',
        `"*.${host.value}" would allow every site under the public suffix "${host.value}"`,
      );
    }
  }
  const normalised =
    `${scheme}://${subdomains ? '*.' : ''}${host.value}` + (port === null ? '' : `:${port}`);
  return {
    ok: true,
    pattern: { kind: 'host', normalised, scheme, host: host.value, subdomains, port, ip: host.ip },
  };
}

/** Where the authority ends: at the first `/`, `?` or `#` (RFC 3986 §3.2), or the end. */
function authorityEndOf(value: string): number {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x2f || c === 0x3f || c === 0x23) return i;
  }
  return value.length;
}

type HostPortSplit =
  | { ok: true; host: string; port: string | null }
  | { ok: false; reason: IssueReason; message: string };

function splitHostPort(authority: string): HostPortSplit {
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    const after = close < 0 ? '' : authority.slice(close + 1);
    if (close < 0 || (after !== '' && !after.startsWith(':'))) {
      return { ok: false, reason: 'invalid-host', message: 'an IPv6 host is written [address]' };
    }
    return {
      ok: true,
      host: authority.slice(0, close + 1),
      port: after === '' ? null : after.slice(1),
    };
  }
  const colon = authority.indexOf(':');
  if (colon < 0) return { ok: true, host: authority, port: null };
  if (authority.indexOf(':', colon + 1) >= 0) {
    return { ok: false, reason: 'invalid-host', message: 'an IPv6 host is written [address]' };
  }
  return { ok: true, host: authority.slice(0, colon), port: authority.slice(colon + 1) };
}

/** Returns the port, `*`, null for none or the scheme's default, or undefined when invalid. */
function parsePort(raw: string | null, scheme: string): number | '*' | null | undefined {
  if (raw === null) return null;
  if (raw === '*') return '*';
  if (raw.length === 0 || raw.length > 5) return undefined;
  for (let i = 0; i < raw.length; i++) if (!isDigit(raw.charCodeAt(i))) return undefined;
  // A browser serialises ports without leading zeros (URL standard), and never has an origin on
  // port 0 (Fetch §2.9 "bad port"): such an entry could never match, so it is a typo.
  if (raw.charCodeAt(0) === 0x30) return undefined;
  const port = Number(raw);
  if (port > 65535) return undefined;
  // URL standard: the scheme's default port is not serialised, so `https://a.com:443` is `https://a.com`.
  return port === defaultPortOf(scheme) ? null : port;
}

type HostResult =
  { ok: true; value: string; ip: boolean } | { ok: false; reason: IssueReason; message: string };

const HOST_ERROR = (raw: string, why: string): HostResult => ({
  ok: false,
  reason: 'invalid-host',
  message: `"${raw}" is not a valid host: ${why}`,
});

function normaliseHost(raw: string): HostResult {
  if (raw.length === 0) return HOST_ERROR(raw, 'it is empty');
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    const allowed =
      c > 0x7f ||
      isAsciiAlpha(c) ||
      isDigit(c) ||
      c === 0x2d ||
      c === 0x2e ||
      c === 0x5f ||
      (raw.startsWith('[') && (c === 0x3a || c === 0x5b || c === 0x5d));
    if (!allowed) return HOST_ERROR(raw, `it contains "${raw.charAt(i)}"`);
  }
  let hostname: string;
  if (isPlainDomain(raw)) {
    hostname = raw.toLowerCase();
  } else {
    try {
      // The URL parser applies IDNA (UTS #46) and canonicalises IPv4 and IPv6 addresses.
      hostname = new URL(`http://${raw}/`).hostname;
    } catch {
      return HOST_ERROR(raw, 'the URL parser rejects it');
    }
    if (hostname.startsWith('[')) return { ok: true, value: hostname, ip: true };
  }
  const labels = hostname.split('.');
  if (hostname.length > 253 || labels.some((label) => label.length === 0 || label.length > 63)) {
    return HOST_ERROR(raw, 'labels are 1 to 63 characters, with no empty label or trailing dot');
  }
  const ip = labels.length === 4 && labels.every((label) => isDecimal(label));
  return { ok: true, value: hostname, ip };
}

/**
 * True for a host the URL parser would return as it is, lower-cased: ASCII letters, digits, `-`,
 * `_` and `.` (UTS #46 maps these to themselves), no label with `--` in its third and fourth
 * characters (`xn--` punycode, which the parser decodes and checks) and a last label that does not start with a digit (the URL standard's "ends in a
 * number" hands such hosts to the IPv4 parser). Compiling a large policy parses every pattern,
 * and the URL parser costs a third of that; the rest keeps to it.
 */
export function isPlainDomain(raw: string): boolean {
  let labelStart = 0;
  let lastLabelStart = 0;
  for (let i = 0; i <= raw.length; i++) {
    const c = i === raw.length ? 0x2e : raw.charCodeAt(i);
    if (c === 0x2e) {
      if (i > labelStart) lastLabelStart = labelStart;
      // `xn--` in any case, and any other label with `--` there: left to the parser's IDNA checks.
      if (
        i - labelStart >= 4 &&
        raw.charCodeAt(labelStart + 2) === 0x2d &&
        raw.charCodeAt(labelStart + 3) === 0x2d
      ) {
        return false;
      }
      labelStart = i + 1;
    } else if (!isAsciiAlpha(c) && !isDigit(c) && c !== 0x2d && c !== 0x5f) {
      return false;
    }
  }
  return !isDigit(raw.charCodeAt(lastLabelStart));
}

function isDecimal(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (!isDigit(value.charCodeAt(i))) return false;
  return true;
}

function isPublicSuffix(domain: string): boolean {
  return getPublicSuffix(domain, { allowPrivateDomains: true }) === domain;
}

/** Loopback hosts, where plain http is not a network exposure. */
export function isLoopbackHost(pattern: HostPattern): boolean {
  const { host } = pattern;
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    (pattern.ip && host.startsWith('127.'))
  );
}
