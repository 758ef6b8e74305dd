/** Deepest nesting of objects and arrays an admin or SDK body may have (real ones stay under 6). */
export const MAX_JSON_DEPTH = 64;

/**
 * True when `value` nests objects/arrays deeper than `limit`. Iterative (an explicit stack), so a hostile
 * document 50,000 levels deep is measured without recursion; anything that later walks the body
 * recursively (validation, JSON.stringify of an echoed value) would overflow the call stack on it: a 500.
 */
export function nestedDeeperThan(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
