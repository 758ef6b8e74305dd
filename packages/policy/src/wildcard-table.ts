// `scheme://*.domain` entries in one open-addressing hash table, keyed by a hash of the domain
// read right to left. One backward pass over a request's host hashes every suffix as it goes and
// probes the table at the dots where a suffix has as many labels as some domain, so matching
// allocates nothing and touches one table slot per probe, plus the rule and its domain only when
// a slot's hash matches. (A trie of labels costs several dependent memory loads per label; with
// 10,000 wildcards those loads miss the CPU caches, and a wildcard hit cost 2 to 5 times what it
// cost with 10.) A hash match is confirmed by comparing the characters, so a collision never
// matches another domain.
import type { CompiledEntry } from './compile.js';

export interface WildcardRule extends CompiledEntry {
  /** The lower-case domain after `*.`. */
  readonly domain: string;
  readonly scheme: string;
  /** The port as serialised, '' for the scheme's default port, '*' for any port. */
  readonly port: string;
  /** The next rule whose domain has the same hash (another scheme or port, or a collision). */
  next: WildcardRule | null;
}

export interface WildcardTable {
  /**
   * Slot k is at [2k, 2k + 1]: the domain hash and the first rule with that hash, or 0 and null
   * when empty. The hash and the rule share a cache line, so a probe costs one load.
   */
  readonly slots: readonly (number | WildcardRule | null)[];
  /** Slot count - 1 (a power of two minus one). */
  readonly mask: number;
  /** No domain is longer: suffixes beyond it are not hashed. */
  readonly longestDomain: number;
  /** Bit k - 1 is set when some domain has k labels (bit 31: 32 or more); others are not probed. */
  readonly labelCounts: number;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const DOT = 0x2e;

/** The table key of a domain: what matchWildcard() computes for the same characters. */
export function domainKey(domain: string): number {
  return smallHash(hashDomain(domain));
}

/** FNV-1a over `domain`'s characters from last to first, as matchWildcard() computes it. */
function hashDomain(domain: string): number {
  let hash = FNV_OFFSET;
  for (let i = domain.length - 1; i >= 0; i--)
    hash = Math.imul(hash ^ domain.charCodeAt(i), FNV_PRIME);
  return hash;
}

/** Builds the table; at most half of the slots are used, so every probe meets an empty slot. */
export function buildWildcardTable(rules: readonly WildcardRule[]): WildcardTable {
  let size = 2;
  while (size < rules.length * 2) size *= 2;
  const mask = size - 1;
  const slots: (number | WildcardRule | null)[] = [];
  for (let slot = 0; slot < size; slot++) slots.push(0, null);
  let longestDomain = 0;
  let labelCounts = 0;
  for (const rule of rules) {
    longestDomain = Math.max(longestDomain, rule.domain.length);
    labelCounts |= labelCountBit(rule.domain.split('.').length);
    const key = domainKey(rule.domain);
    let slot = slotOf(key, mask);
    while (slots[slot * 2 + 1] !== null && slots[slot * 2] !== key) slot = (slot + 1) & mask;
    let last = slots[slot * 2 + 1] as WildcardRule | null;
    if (last === null) {
      slots[slot * 2] = key;
      slots[slot * 2 + 1] = rule;
    } else {
      // Keep the policy's order along a chain.
      while (last.next !== null) last = last.next;
      last.next = rule;
    }
  }
  return { slots, mask, longestDomain, labelCounts };
}

/** 30 bits, so the hash is stored unboxed (a V8 small integer) next to its rule. */
function smallHash(hash: number): number {
  return (hash ^ (hash >>> 30)) & 0x3fffffff;
}

function labelCountBit(labels: number): number {
  return 1 << (Math.min(labels, 32) - 1);
}

/** Mixes the high bits in: FNV's low bits alone cluster for domains that share an ending. */
function slotOf(hash: number, mask: number): number {
  return (hash ^ (hash >>> 15)) & mask;
}

/**
 * The entry for the origin whose host is `origin[hostStart, hostEnd)`, or 'expired' when only
 * expired entries match. An entry for `domain` matches only when labels remain to its left:
 * `*.acme.com` never matches `acme.com` itself, and a match always ends with `.acme.com` on a
 * label boundary (so never `evilacme.com`). The deepest live entry wins (the most specific
 * pattern); on one domain, an entry for the request's port over a `:*` one (as an exact entry
 * is preferred over a `:*` one).
 */
export function matchWildcard(
  table: WildcardTable,
  origin: string,
  hostStart: number,
  hostEnd: number,
  scheme: string,
  port: string,
  now: number,
): CompiledEntry | 'expired' | null {
  // A dot at i begins the suffix origin[i + 1, hostEnd); one at hostStart cannot occur (the
  // parser refuses empty labels), and a suffix longer than every domain cannot match.
  const stop = Math.max(hostStart + 1, hostEnd - table.longestDomain - 1);
  let hash = FNV_OFFSET;
  let found: CompiledEntry | 'expired' | null = null;
  let labels = 1;
  for (let i = hostEnd - 1; i >= stop; i--) {
    const c = origin.charCodeAt(i);
    if (c === DOT) {
      const first = table.labelCounts & labelCountBit(labels++) ? rulesFor(table, hash) : null;
      if (first !== null)
        found = matchDomain(first, origin, i + 1, hostEnd, scheme, port, now, found);
    }
    hash = Math.imul(hash ^ c, FNV_PRIME);
  }
  return found;
}

function rulesFor(table: WildcardTable, hash: number): WildcardRule | null {
  const { slots, mask } = table;
  const key = smallHash(hash);
  for (let slot = slotOf(key, mask); ; slot = (slot + 1) & mask) {
    const first = slots[slot * 2 + 1] as WildcardRule | null;
    if (first === null || slots[slot * 2] === key) return first;
  }
}

function matchDomain(
  first: WildcardRule,
  origin: string,
  start: number,
  end: number,
  scheme: string,
  port: string,
  now: number,
  found: CompiledEntry | 'expired' | null,
): CompiledEntry | 'expired' | null {
  let samePort: WildcardRule | null = null;
  let anyPort: WildcardRule | null = null;
  for (let rule: WildcardRule | null = first; rule !== null; rule = rule.next) {
    if (rule.scheme !== scheme || !sameCharacters(rule.domain, origin, start, end)) continue;
    if (rule.port === port) samePort = rule;
    else if (rule.port === '*') anyPort = rule;
  }
  return liveOrExpired(samePort, now, liveOrExpired(anyPort, now, found));
}

function liveOrExpired(
  entry: CompiledEntry | null,
  now: number,
  found: CompiledEntry | 'expired' | null,
): CompiledEntry | 'expired' | null {
  if (entry === null) return found;
  return now < entry.expiresAt ? entry : (found ?? 'expired');
}

function sameCharacters(domain: string, value: string, start: number, end: number): boolean {
  if (domain.length !== end - start) return false;
  for (let i = 0; i < domain.length; i++) {
    if (domain.charCodeAt(i) !== value.charCodeAt(start + i)) return false;
  }
  return true;
}
