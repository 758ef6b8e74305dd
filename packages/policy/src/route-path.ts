// Route paths (SPEC §2.1): how a policy's route `path` and a request's path are read and compared.
// Both are compared byte for byte after percent-decoding of unreserved characters only (RFC 3986
// §6.2.2.2): `/%61pi` is `/api`, but `/a%2Fb` stays one segment, because decoding a reserved
// character changes what the path means. No regular expression runs over request input.

/** The longest route `path` a policy may hold (bytes, after normalisation). */
export const MAX_ROUTE_PATH_LENGTH = 1024;
/** SPEC §2.1: the most routes one policy holds. */
export const MAX_POLICY_ROUTES = 100;

const HEX = '0123456789ABCDEF';

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const upper = code & ~32;
  return upper >= 65 && upper <= 70 ? upper - 55 : -1;
}

/** RFC 3986 §2.3 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~". */
function isUnreserved(code: number): boolean {
  const upper = code & ~32;
  return (
    (upper >= 65 && upper <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 45 ||
    code === 46 ||
    code === 95 ||
    code === 126
  );
}

/**
 * `value[start, end)` with percent-encoded unreserved characters decoded and the hex digits of the
 * escapes kept upper-case (RFC 3986 §6.2.2.1), so `%2f` and `%2F` compare equal. A `%` that does
 * not start an escape stays as it is. Without `%` the slice is returned untouched.
 */
export function normalisePathPart(value: string, start: number, end: number): string {
  const first = value.indexOf('%', start);
  if (first === -1 || first >= end) return value.slice(start, end);
  let out = value.slice(start, first);
  let i = first;
  while (i < end) {
    const code = value.charCodeAt(i);
    if (code !== 37 || i + 2 >= end) {
      out += value[i];
      i++;
      continue;
    }
    const high = hexValue(value.charCodeAt(i + 1));
    const low = hexValue(value.charCodeAt(i + 2));
    if (high === -1 || low === -1) {
      out += '%';
      i++;
      continue;
    }
    const decoded = high * 16 + low;
    out += isUnreserved(decoded)
      ? String.fromCharCode(decoded)
      : `%${HEX[high] as string}${HEX[low] as string}`;
    i += 3;
  }
  return out;
}

/** RFC 3986 §3.3 pchar besides unreserved and pct-encoded: sub-delims, ":" and "@"; plus "/". */
const PATH_PUNCTUATION = new Set("!$&'()*+,;=:@/");

export type RoutePathResult =
  | { ok: true; normalised: string; prefix: boolean; segments: string[] }
  | { ok: false; message: string };

/**
 * A route's `path` (SPEC §2.1): an exact path, or a prefix ending in `/*` that matches the prefix
 * itself and anything below it. `segments` are the normalised segments after the leading `/` (of
 * the prefix, without `/*`), the keys of the route table.
 */
export function parseRoutePath(raw: string): RoutePathResult {
  if (raw.length === 0 || raw[0] !== '/')
    return { ok: false, message: 'starts with "/" (a path such as /api/* or /webhooks/stripe)' };
  const prefix = raw.endsWith('/*');
  const body = prefix ? raw.slice(0, -2) : raw;
  for (let i = 0; i < body.length; i++) {
    const char = body[i] as string;
    const code = char.charCodeAt(0);
    if (char === '*')
      return { ok: false, message: '"*" is allowed only as the last segment, in "/*"' };
    if (char === '?' || char === '#')
      return { ok: false, message: 'is a path only: the query and fragment are never compared' };
    if (char === '%') {
      if (hexValue(body.charCodeAt(i + 1)) === -1 || hexValue(body.charCodeAt(i + 2)) === -1)
        return { ok: false, message: '"%" starts an escape of two hex digits (RFC 3986 §2.1)' };
    } else if (!isUnreserved(code) && !PATH_PUNCTUATION.has(char)) {
      return {
        ok: false,
        message: `holds ${JSON.stringify(char)}: percent-encode it, as a browser sends it (RFC 3986 §3.3)`,
      };
    }
  }
  const normalisedBody = normalisePathPart(body, 0, body.length);
  const normalised = prefix ? `${normalisedBody}/*` : normalisedBody;
  if (normalised.length > MAX_ROUTE_PATH_LENGTH)
    return { ok: false, message: `is longer than ${MAX_ROUTE_PATH_LENGTH} characters` };
  // "/*" is the prefix "" (every path); "/api/*" the prefix "/api"; "/" the exact segment "".
  const segments = normalisedBody.length === 0 ? [] : normalisedBody.slice(1).split('/');
  return { ok: true, normalised, prefix, segments };
}
