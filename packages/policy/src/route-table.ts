// The route lookup of decide() (SPEC §2.1): a tree keyed by path segment, so finding the longest
// matching route costs one hash lookup per segment of the request path, whatever the number of
// routes, and stops at the first segment no route names.
import { normalisePathPart } from './route-path.js';

export interface RouteNode<T> {
  readonly children: Map<string, RouteNode<T>>;
  /** The route whose `path` is exactly the segments up to here. */
  exact: T | null;
  /** The route whose `path` is the segments up to here plus `/*`. */
  prefix: T | null;
}

export interface RouteTable<T> {
  readonly root: RouteNode<T>;
  /**
   * The longest segment (raw bytes: an escape takes three) any route names. A request segment
   * longer than this matches no child, so the scan of a hostile path stops there.
   */
  readonly longestSegment: number;
}

function node<T>(): RouteNode<T> {
  return { children: new Map(), exact: null, prefix: null };
}

/** Builds the table; `routes` are validated (normalised, no duplicate path). */
export function buildRouteTable<T>(
  routes: ReadonlyArray<{ segments: readonly string[]; prefix: boolean; value: T }>,
): RouteTable<T> {
  const root = node<T>();
  let longestSegment = 0;
  for (const route of routes) {
    let at = root;
    for (const segment of route.segments) {
      longestSegment = Math.max(longestSegment, segment.length);
      let next = at.children.get(segment);
      if (next === undefined) {
        next = node<T>();
        at.children.set(segment, next);
      }
      at = next;
    }
    if (route.prefix) at.prefix = route.value;
    else at.exact = route.value;
  }
  return { root, longestSegment: longestSegment * 3 };
}

/**
 * The route for a request path, or null for the default. The query string is ignored; a path that
 * does not start with "/" (`*`, an absolute URL) matches no route. An exact route beats a prefix
 * route on the same path (`/api` over `/api/*`), as nginx's `location =` does.
 */
export function findRoute<T>(table: RouteTable<T>, path: string): T | null {
  if (path.charCodeAt(0) !== 47) return null;
  let at = table.root;
  let best = at.prefix;
  let start = 1;
  for (;;) {
    let end = start;
    const limit = start + table.longestSegment;
    let code = path.charCodeAt(end);
    // NaN past the end: the segment ends with the path, at "/" or at the query's "?".
    while (code === code && code !== 47 && code !== 63) {
      if (end === limit) return best;
      code = path.charCodeAt(++end);
    }
    const next = at.children.get(normalisePathPart(path, start, end));
    if (next === undefined) return best;
    at = next;
    if (code !== 47) return at.exact ?? at.prefix ?? best;
    if (at.prefix !== null) best = at.prefix;
    start = end + 1;
  }
}
