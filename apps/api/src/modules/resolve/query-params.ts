/**
 * The query parameters the /resolve routes read, parsed by hand: no querystring module, no regex, no object
 * for parameters nobody reads. Same decoding as Node's querystring (`+` is a space; a malformed `%` escape is
 * kept as it is, bytes that are not UTF-8 become U+FFFD), at most MAX_PAIRS pairs read (the rest ignored,
 * like querystring's maxKeys). A repeated parameter becomes an array.
 */
export type Params = Record<string, string | string[] | undefined>;

const MAX_PAIRS = 32;

/** Parses `query` (what follows `?`), keeping only the names in `wanted`. */
export function parseParams(query: string, wanted: ReadonlySet<string>): Params {
  const out: Params = {};
  let start = 0;
  for (let pairs = 0; start <= query.length && pairs < MAX_PAIRS; pairs++) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    if (end > start) {
      const eq = query.indexOf('=', start);
      const nameEnd = eq === -1 || eq > end ? end : eq;
      const name = decode(query.slice(start, nameEnd));
      if (wanted.has(name)) {
        const value = nameEnd === end ? '' : decode(query.slice(nameEnd + 1, end));
        const prev = out[name];
        out[name] =
          prev === undefined ? value : typeof prev === 'string' ? [prev, value] : [...prev, value];
      }
    }
    start = end + 1;
  }
  return out;
}

function decode(s: string): string {
  let plus = false;
  let percent = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 43) plus = true;
    else if (c === 37) percent = true;
  }
  if (plus) s = s.replaceAll('+', ' ');
  if (!percent) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return decodeLeniently(s);
  }
}

/** querystring.unescapeBuffer's rule: valid `%XX` escapes become bytes, anything else stays, then UTF-8. */
function decodeLeniently(s: string): string {
  const src = Buffer.from(s, 'utf8');
  const out = Buffer.allocUnsafe(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i] as number;
    if (b === 37 && i + 2 < src.length) {
      const hi = hexValue(src[i + 1] as number);
      const lo = hexValue(src[i + 2] as number);
      if (hi >= 0 && lo >= 0) {
        out[n++] = hi * 16 + lo;
        i += 2;
        continue;
      }
    }
    out[n++] = b;
  }
  return out.toString('utf8', 0, n);
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}
