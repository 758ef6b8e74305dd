/** Queries longer than this are worked out on every request, never remembered. */
export const MEMO_MAX_QUERY_LENGTH = 512;
/** Queries remembered at most per memo; a memo is cleared when full. */
export const MEMO_MAX_QUERIES = 2048;

/**
 * What the /resolve routes make of a query string (parsed, decoded, checked, shaped into the request `decide`
 * reads), remembered by the query's raw text. Gateways ask about the same origins again and again, and
 * shaping a query cost more than the decision itself (about 3 µs of a request in a profile). It remembers a
 * pure function's results, so nothing in it goes stale, and what it returns is shared: never mutated.
 * Bounded: at most MEMO_MAX_QUERIES queries of at most MEMO_MAX_QUERY_LENGTH characters (about 3 KB each with
 * what they shape into: under 6 MB per memo); when full it starts afresh, so a flood of distinct queries
 * costs one map insert each and never more memory.
 */
export class QueryMemo<V> {
  private readonly memo = new Map<string, V>();

  constructor(
    private readonly compute: (rawQuery: string) => V,
    private readonly max = MEMO_MAX_QUERIES,
  ) {}

  of(rawQuery: string): V {
    const known = this.memo.get(rawQuery);
    if (known !== undefined) return known;
    const value = this.compute(rawQuery);
    if (rawQuery.length <= MEMO_MAX_QUERY_LENGTH) {
      if (this.memo.size >= this.max) this.memo.clear();
      this.memo.set(rawQuery, value);
    }
    return value;
  }

  /** Queries remembered now (for tests). */
  get size(): number {
    return this.memo.size;
  }
}
