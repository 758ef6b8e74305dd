/** Adds the names of `extra` to an existing `Vary` value, keeping what is there (RFC 9110 §12.5.5). */
export function appendVary(
  existing: string | number | readonly string[] | undefined,
  extra: string,
): string {
  if (existing === undefined || existing === '') return extra;
  const current = Array.isArray(existing) ? existing.join(', ') : String(existing);
  if (current.trim() === '*') return current;
  const present = new Set(current.split(',').map((name) => name.trim().toLowerCase()));
  const missing = extra
    .split(',')
    .map((name) => name.trim())
    .filter((name) => !present.has(name.toLowerCase()));
  return missing.length === 0 ? current : `${current}, ${missing.join(', ')}`;
}
