// Reading `Access-Control-Request-Headers` on the hot path. Browsers send a sorted, lower-case,
// comma-separated list (Fetch §4.8 "CORS-unsafe request-header names"); other clients may add
// optional whitespace, duplicates or upper case, which are tolerated. Hostile values are
// bounded: the length is checked before anything is read, then one pass, no arrays.
import { isTokenCharCode } from './http-tokens.js';

/** SPEC §3: longer `Access-Control-Request-Headers` values are refused outright. */
export const MAX_REQUEST_HEADERS_LENGTH = 8 * 1024;
/** SPEC §3: more names than this are refused. */
export const MAX_REQUEST_HEADER_NAMES = 64;

export type HeaderListVerdict = 'allowed' | 'not-allowed' | 'malformed';

export interface HeaderAllowList {
  names: ReadonlySet<string>;
  /** `*`: any name except `authorization` (Fetch §3.2.3, the wildcard does not cover it). */
  any: boolean;
}

const COMMA = 0x2c;
const SPACE = 0x20;
const TAB = 0x09;

export function checkRequestHeaders(value: string, allow: HeaderAllowList): HeaderListVerdict {
  if (value.length > MAX_REQUEST_HEADERS_LENGTH) return 'malformed';
  let verdict: HeaderListVerdict = 'allowed';
  let names = 0;
  let i = 0;
  const length = value.length;
  while (i < length) {
    const c = value.charCodeAt(i);
    if (c === COMMA || c === SPACE || c === TAB) {
      i++;
      continue;
    }
    const start = i;
    let upper = false;
    while (i < length && isTokenCharCode(value.charCodeAt(i))) {
      const d = value.charCodeAt(i);
      if (d >= 0x41 && d <= 0x5a) upper = true;
      i++;
    }
    // A name must be a token followed by optional whitespace and a comma or the end.
    if (i === start) return 'malformed';
    const end = i;
    while (i < length && (value.charCodeAt(i) === SPACE || value.charCodeAt(i) === TAB)) i++;
    if (i < length && value.charCodeAt(i) !== COMMA) return 'malformed';
    if (++names > MAX_REQUEST_HEADER_NAMES) return 'malformed';
    if (verdict === 'allowed') {
      const raw = value.slice(start, end);
      const name = upper ? raw.toLowerCase() : raw;
      if (!allow.names.has(name) && !(allow.any && name !== 'authorization')) {
        verdict = 'not-allowed';
      }
    }
  }
  return verdict;
}

/**
 * The lower-case names of a well-formed `Access-Control-Request-Headers` value that `allow` does not
 * cover, in request order without repeats (for explain(), off the hot path); [] when the value is
 * malformed (then no single name is to blame).
 */
export function refusedHeaderNames(value: string, allow: HeaderAllowList): string[] {
  if (checkRequestHeaders(value, allow) !== 'not-allowed') return [];
  const refused: string[] = [];
  for (const part of value.split(',')) {
    const name = part.trim().toLowerCase();
    if (name === '' || refused.includes(name)) continue;
    // Fetch §3.2.3: `*` does not cover `authorization`.
    if (!allow.names.has(name) && !(allow.any && name !== 'authorization')) refused.push(name);
  }
  return refused;
}
