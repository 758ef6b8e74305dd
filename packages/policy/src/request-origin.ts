// Strict reading of a request's `Origin` header on the hot path. A browser always sends a
// serialised origin (HTML §7.1.1 "ASCII serialization of an origin"): lower-case scheme and
// host, punycode, no default port, no path. Anything else did not come from a browser's
// CORS machinery, so it is refused as malformed and never "repaired" (new URL() would turn
// `https:/a.com`, `https://a%2Ecom` or `https://a.com:443` into a valid origin).
// One pass over the characters, no regular expression, no intermediate arrays.
import { defaultPortOf } from './http-tokens.js';

/** SPEC §3: longer `Origin` values are refused outright. */
export const MAX_ORIGIN_LENGTH = 2048;

export interface RequestOrigin {
  scheme: string;
  /** Lower-case host as sent; IPv6 keeps its brackets. */
  host: string;
  /** The port as sent, or '' when absent. */
  port: string;
}

/** Where the parts of a serialised origin are, without copying the host. */
export interface RequestOriginParts {
  scheme: string;
  hostStart: number;
  /** `value.slice(0, hostEnd)` is `scheme://host`. */
  hostEnd: number;
  /** The port as sent, or '' when absent. */
  port: string;
}

const Char = {
  Plus: 0x2b,
  Hyphen: 0x2d,
  Dot: 0x2e,
  Slash: 0x2f,
  Zero: 0x30,
  Nine: 0x39,
  Colon: 0x3a,
  LeftBracket: 0x5b,
  RightBracket: 0x5d,
  Underscore: 0x5f,
  LowerA: 0x61,
  LowerF: 0x66,
  LowerZ: 0x7a,
} as const;

const isLower = (c: number) => c >= Char.LowerA && c <= Char.LowerZ;
const isDigit = (c: number) => c >= Char.Zero && c <= Char.Nine;

/** Returns the parts of a serialised tuple origin, or null when the value is malformed. */
export function parseRequestOrigin(value: string): RequestOrigin | null {
  const parts = readRequestOrigin(value);
  if (parts === null) return null;
  return {
    scheme: parts.scheme,
    host: value.slice(parts.hostStart, parts.hostEnd),
    port: parts.port,
  };
}

/** As parseRequestOrigin(), for the hot path: positions instead of a copy of the host. */
export function readRequestOrigin(value: string): RequestOriginParts | null {
  const length = value.length;
  if (length > MAX_ORIGIN_LENGTH) return null;

  // scheme = lower-case ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then "://"
  let i = 0;
  if (length === 0 || !isLower(value.charCodeAt(0))) return null;
  for (i = 1; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c === Char.Colon) break;
    if (!isLower(c) && !isDigit(c) && c !== Char.Plus && c !== Char.Hyphen && c !== Char.Dot)
      return null;
  }
  if (value.charCodeAt(i + 1) !== Char.Slash || value.charCodeAt(i + 2) !== Char.Slash) return null;
  const scheme = value.slice(0, i);
  const hostStart = i + 3;

  let hostEnd: number;
  if (value.charCodeAt(hostStart) === Char.LeftBracket) {
    hostEnd = scanIpv6(value, hostStart + 1);
  } else {
    hostEnd = scanDomain(value, hostStart);
  }
  if (hostEnd < 0) return null;

  let port = '';
  if (hostEnd < length) {
    if (value.charCodeAt(hostEnd) !== Char.Colon) return null;
    port = value.slice(hostEnd + 1);
    if (!isSerialisedPort(port, scheme)) return null;
  }
  return { scheme, hostStart, hostEnd, port };
}

/** Lower-case labels of [a-z0-9_-], separated by single dots. Returns the end index or -1. */
function scanDomain(value: string, start: number): number {
  let labelLength = 0;
  let i = start;
  for (; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === Char.Colon) break;
    if (c === Char.Dot) {
      if (labelLength === 0) return -1;
      labelLength = 0;
    } else if (isLower(c) || isDigit(c) || c === Char.Hyphen || c === Char.Underscore) {
      labelLength++;
    } else {
      return -1;
    }
  }
  return labelLength === 0 ? -1 : i;
}

/** `[` lower-case hex, ":" and "." `]` (the URL serialiser's form). Returns the end index or -1. */
function scanIpv6(value: string, start: number): number {
  for (let i = start; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === Char.RightBracket) return i > start ? i + 1 : -1;
    const hex = isDigit(c) || (c >= Char.LowerA && c <= Char.LowerF);
    if (!hex && c !== Char.Colon && c !== Char.Dot) return -1;
  }
  return -1;
}

/** 1-5 digits, no leading zero, at most 65535, never the scheme's default port. */
function isSerialisedPort(port: string, scheme: string): boolean {
  if (port.length === 0 || port.length > 5) return false;
  if (port.length > 1 && port.charCodeAt(0) === Char.Zero) return false;
  let n = 0;
  for (let i = 0; i < port.length; i++) {
    const c = port.charCodeAt(i);
    if (!isDigit(c)) return false;
    n = n * 10 + (c - Char.Zero);
  }
  return n <= 65535 && n !== defaultPortOf(scheme);
}
