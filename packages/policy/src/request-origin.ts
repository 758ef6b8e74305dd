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
  LowerX: 0x78,
  LowerZ: 0x7a,
} as const;

const isLower = (c: number) => c >= Char.LowerA && c <= Char.LowerZ;
const isDigit = (c: number) => c >= Char.Zero && c <= Char.Nine;
const isHex = (c: number) => isDigit(c) || (c >= Char.LowerA && c <= Char.LowerF);

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
    hostEnd = scanDomain(value, hostStart, defaultPortOf(scheme) !== undefined);
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

/** SPEC §3 (RFC 1035 §2.3.4, as DNS resolves names): longer hosts and labels are malformed. */
export const MAX_HOST_LENGTH = 253;
export const MAX_LABEL_LENGTH = 63;
/** `ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff`: the longest IPv6 address the URL serialiser writes. */
const MAX_IPV6_LENGTH = 39;

/**
 * Lower-case labels of [a-z0-9_-], separated by single dots, at most 253 characters and 63 per
 * label. Returns the end index or -1. Reads at most MAX_HOST_LENGTH + 1 characters.
 */
function scanDomain(value: string, start: number, special: boolean): number {
  let labelLength = 0;
  let labelStart = start;
  let i = start;
  for (; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === Char.Colon) break;
    if (i - start === MAX_HOST_LENGTH) return -1;
    if (c === Char.Dot) {
      if (labelLength === 0) return -1;
      labelLength = 0;
      labelStart = i + 1;
    } else if (isLower(c) || isDigit(c) || c === Char.Hyphen || c === Char.Underscore) {
      if (++labelLength > MAX_LABEL_LENGTH) return -1;
    } else {
      return -1;
    }
  }
  if (labelLength === 0) return -1;
  // URL standard, host parser (special schemes): a host whose last label is a number is an IPv4
  // address, and the serialiser writes it as four decimal parts (`http://1.2.3` is sent as
  // `http://1.2.0.3`, and `http://a.123` does not parse at all).
  if (special && endsInNumber(value, labelStart, i) && !isCanonicalIpv4(value, start, i)) return -1;
  return i;
}

/** URL standard "ends in a number checker" for the last label: decimal digits, or 0x and hex digits. */
function endsInNumber(value: string, start: number, end: number): boolean {
  let i = start;
  if (
    end - start >= 2 &&
    value.charCodeAt(i) === Char.Zero &&
    value.charCodeAt(i + 1) === Char.LowerX
  ) {
    for (i += 2; i < end; i++) if (!isHex(value.charCodeAt(i))) return false;
    return true;
  }
  for (; i < end; i++) if (!isDigit(value.charCodeAt(i))) return false;
  return true;
}

/** URL standard IPv4 serialiser: four decimal numbers 0-255 without leading zeros, dot-separated. */
function isCanonicalIpv4(value: string, start: number, end: number): boolean {
  let parts = 0;
  let digits = 0;
  let n = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? value.charCodeAt(i) : Char.Dot;
    if (c === Char.Dot) {
      if (digits === 0 || n > 255 || ++parts > 4) return false;
      digits = 0;
      n = 0;
    } else if (isDigit(c) && !(digits === 1 && n === 0)) {
      digits++;
      n = n * 10 + (c - Char.Zero);
    } else {
      return false;
    }
  }
  return parts === 4;
}

/**
 * `[` lower-case hex and ":" `]`, at most 39 characters inside: the URL serialiser never writes the
 * dotted IPv4 tail (`[::ffff:1.2.3.4]` is sent as `[::ffff:102:304]`). Returns the end index or -1.
 */
function scanIpv6(value: string, start: number): number {
  for (let i = start; i < value.length && i - start <= MAX_IPV6_LENGTH; i++) {
    const c = value.charCodeAt(i);
    if (c === Char.RightBracket) return i > start ? i + 1 : -1;
    if (!isHex(c) && c !== Char.Colon) return -1;
  }
  return -1;
}

/** 1-5 digits, no leading zero, 1-65535, never the scheme's default port. */
function isSerialisedPort(port: string, scheme: string): boolean {
  if (port.length === 0 || port.length > 5) return false;
  if (port.length > 1 && port.charCodeAt(0) === Char.Zero) return false;
  let n = 0;
  for (let i = 0; i < port.length; i++) {
    const c = port.charCodeAt(i);
    if (!isDigit(c)) return false;
    n = n * 10 + (c - Char.Zero);
  }
  // Fetch §2.9: port 0 is a "bad port", so no browser document ever has an origin on it.
  return n !== 0 && n <= 65535 && n !== defaultPortOf(scheme);
}
