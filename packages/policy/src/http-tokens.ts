// Character classes and name lists of the HTTP and Fetch standards, shared by validation
// (admin input) and by the request-time checks in decide(). Lookups are table-driven so the
// hot path never runs a regular expression over request headers.

const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
  TCHAR[c.charCodeAt(0)] = 1;
}

/** RFC 9110 §5.6.2: token = 1*tchar. */
export function isToken(value: string): boolean {
  if (value.length === 0) return false;
  for (let i = 0; i < value.length; i++) {
    if (!isTokenCharCode(value.charCodeAt(i))) return false;
  }
  return true;
}

export function isTokenCharCode(code: number): boolean {
  return code < 128 && TCHAR[code] === 1;
}

/** Fetch §2.2.1: methods normalised to upper case when they match byte-case-insensitively. */
const NORMALISED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

export function normaliseMethod(method: string): string {
  const upper = method.toUpperCase();
  return NORMALISED_METHODS.has(upper) ? upper : method;
}

/** Fetch §2.2.1: a forbidden method (compared byte-case-insensitively). */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

export function isForbiddenMethod(method: string): boolean {
  return FORBIDDEN_METHODS.has(method.toUpperCase());
}

/** Fetch §3.2.2: CORS-safelisted methods never need to be listed (compared case-sensitively). */
export function isSafelistedMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'POST';
}

/** Fetch §2.2.2: forbidden request-header names, which scripts can never set. */
const FORBIDDEN_REQUEST_HEADERS = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);

/** `name` must already be lower-case. */
export function isForbiddenRequestHeader(name: string): boolean {
  return (
    FORBIDDEN_REQUEST_HEADERS.has(name) || name.startsWith('proxy-') || name.startsWith('sec-')
  );
}

/** Fetch §2.2.2: forbidden response-header names, which browsers never expose to scripts. */
const FORBIDDEN_RESPONSE_HEADERS = new Set(['set-cookie', 'set-cookie2']);

/** `name` must already be lower-case. The CORS protocol's own headers (Fetch §3.2.2, §3.2.3). */
export function isCorsProtocolHeader(name: string): boolean {
  return name.startsWith('access-control-');
}

/**
 * An `allowedHeaders` name that has no effect (`name` lower-case): scripts cannot set a forbidden
 * request header, and an `Access-Control-*` name is a response header, so neither is a name a page
 * may legitimately send. Validation warns about it; compilation leaves it out.
 */
export function isIgnoredAllowedHeader(name: string): boolean {
  return isForbiddenRequestHeader(name) || isCorsProtocolHeader(name);
}

/** An `exposedHeaders` name that has no effect (`name` lower-case): browsers never expose it. */
export function isIgnoredExposedHeader(name: string): boolean {
  return FORBIDDEN_RESPONSE_HEADERS.has(name) || isCorsProtocolHeader(name);
}

/** Default ports of the special schemes (URL standard), dropped from serialised origins. */
const DEFAULT_PORTS: ReadonlyMap<string, number> = new Map([
  ['http', 80],
  ['https', 443],
  ['ws', 80],
  ['wss', 443],
  ['ftp', 21],
]);

export function defaultPortOf(scheme: string): number | undefined {
  return DEFAULT_PORTS.get(scheme);
}
