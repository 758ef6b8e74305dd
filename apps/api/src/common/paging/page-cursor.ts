import { AppError } from '../errors/app-error.js';

/**
 * Keyset paging (never OFFSET): a cursor names the sort key of the last row of a page, so rows created or
 * deleted meanwhile neither repeat nor hide others. The key travels base64url-encoded behind a one-letter
 * kind, so a cursor of one list is refused by another instead of silently starting mid-way.
 */
export function encodeCursor(kind: string, key: string): string {
  return Buffer.from(`${kind}:${key}`, 'utf8').toString('base64url');
}

/** The key of a cursor of this kind; 400 for anything else. */
export function decodeCursor(kind: string, cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(`${kind}:`))
    throw new AppError('bad-request', 'cursor must be the nextCursor of a previous page');
  return text.slice(kind.length + 1);
}

/** Splits the `limit + 1` rows a page query reads into the page and whether another follows. */
export function pageOf<T>(rows: T[], limit: number): { items: T[]; more: boolean } {
  return rows.length > limit
    ? { items: rows.slice(0, limit), more: true }
    : { items: rows, more: false };
}
