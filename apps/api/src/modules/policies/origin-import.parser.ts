import type { ImportLineError } from '@corsplane/contracts';

/** One candidate entry of an import, with the line it came from (1-based). */
export interface ImportLine {
  line: number;
  entry: unknown;
}

export interface ParsedImport {
  lines: ImportLine[];
  errors: ImportLineError[];
}

export type ImportFormat = 'json' | 'csv' | 'text';

/** The import format of a Content-Type, or null when the route does not take it. */
export function importFormatOf(contentType: string | undefined): ImportFormat | null {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') return 'json';
  if (type === 'text/csv') return 'csv';
  if (type === 'text/plain') return 'text';
  return null;
}

/**
 * Turns an import body into candidate entries. Shape problems (a bad CSV line) are line errors here; what
 * an entry means (pattern grammar, expiry) is left to the engine, like every other write.
 */
export function parseImport(format: ImportFormat, body: unknown): ParsedImport {
  if (format === 'json') return parseJson(body);
  if (typeof body !== 'string') return { lines: [], errors: [] };
  return format === 'csv' ? parseCsv(body) : parseText(body);
}

/** A JSON array of patterns or `{pattern, note, expiresAt}`: the element number is the line. */
function parseJson(body: unknown): ParsedImport {
  if (!Array.isArray(body)) {
    return {
      lines: [],
      errors: [
        {
          line: 0,
          value: null,
          reason: 'invalid-type',
          message: 'a JSON import is an array of patterns or {pattern, note, expiresAt}',
        },
      ],
    };
  }
  return { lines: body.map((entry, i) => ({ line: i + 1, entry })), errors: [] };
}

/** One pattern a line; blank lines and `#` comments are skipped. */
function parseText(body: string): ParsedImport {
  const lines: ImportLine[] = [];
  body.split(/\r?\n/).forEach((raw, i) => {
    const pattern = raw.trim();
    if (pattern === '' || pattern.startsWith('#')) return;
    lines.push({ line: i + 1, entry: pattern });
  });
  return { lines, errors: [] };
}

const CSV_COLUMNS = ['pattern', 'note', 'expiresat'];

/**
 * RFC 4180 CSV with the columns `pattern,note,expiresAt` (an optional header row naming them is skipped).
 * Empty note or expiry cells are null. A record's line is the line it starts on.
 */
function parseCsv(body: string): ParsedImport {
  const lines: ImportLine[] = [];
  const errors: ImportLineError[] = [];
  for (const record of csvRecords(body)) {
    if ('error' in record) {
      errors.push({
        line: record.line,
        value: record.text,
        reason: 'malformed-csv',
        message: record.error,
      });
      continue;
    }
    const { line, fields } = record;
    if (fields.length === 1 && fields[0]?.trim() === '') continue;
    if (
      line === 1 &&
      fields.map((f) => f.trim().toLowerCase()).join(',') ===
        CSV_COLUMNS.slice(0, fields.length).join(',')
    )
      continue;
    if (fields.length > 3) {
      errors.push({
        line,
        value: fields.join(','),
        reason: 'malformed-csv',
        message: `line ${line}: has ${fields.length} columns; the columns are pattern,note,expiresAt`,
      });
      continue;
    }
    const [pattern = '', note = '', expiresAt = ''] = fields;
    lines.push({
      line,
      entry: {
        pattern: pattern.trim(),
        note: note === '' ? null : note,
        expiresAt: expiresAt.trim() || null,
      },
    });
  }
  return { lines, errors };
}

type CsvRecord = { line: number; fields: string[] } | { line: number; text: string; error: string };

function* csvRecords(body: string): Generator<CsvRecord> {
  let i = 0;
  let line = 1;
  while (i < body.length) {
    const start = line;
    const startIndex = i;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let error: string | null = null;
    for (;;) {
      if (i >= body.length) {
        if (quoted) error = `line ${start}: a quoted field is never closed`;
        fields.push(field);
        break;
      }
      const c = body[i]!;
      if (quoted) {
        if (c === '"' && body[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (c === '"') {
          quoted = false;
          i += 1;
        } else {
          if (c === '\n') line += 1;
          field += c;
          i += 1;
        }
      } else if (c === '"' && field === '') {
        quoted = true;
        i += 1;
      } else if (c === ',') {
        fields.push(field);
        field = '';
        i += 1;
      } else if (c === '\n' || c === '\r') {
        fields.push(field);
        i += c === '\r' && body[i + 1] === '\n' ? 2 : 1;
        line += 1;
        break;
      } else {
        field += c;
        i += 1;
      }
    }
    if (error !== null) {
      yield { line: start, text: body.slice(startIndex, startIndex + 200), error };
      return;
    }
    yield { line: start, fields };
  }
}
