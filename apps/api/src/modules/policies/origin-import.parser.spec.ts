import { importFormatOf, parseImport } from './origin-import.parser.js';

describe('importFormatOf', () => {
  it.each([
    ['application/json', 'json'],
    ['text/csv; charset=utf-8', 'csv'],
    ['Text/Plain', 'text'],
    ['application/x-www-form-urlencoded', null],
    [undefined, null],
  ])('%s -> %s', (type, format) => expect(importFormatOf(type)).toBe(format));
});

describe('parseImport', () => {
  it('numbers JSON elements from 1 and refuses a non-array', () => {
    expect(parseImport('json', ['a', { pattern: 'b' }]).lines).toEqual([
      { line: 1, entry: 'a' },
      { line: 2, entry: { pattern: 'b' } },
    ]);
    expect(parseImport('json', { pattern: 'a' }).errors[0]).toMatchObject({
      reason: 'invalid-type',
    });
  });

  it('skips blank lines and comments in text, keeping physical line numbers', () => {
    expect(parseImport('text', '# list\r\nhttps://a.com\n\n  https://b.com  \n').lines).toEqual([
      { line: 2, entry: 'https://a.com' },
      { line: 4, entry: 'https://b.com' },
    ]);
  });

  it('reads RFC 4180 CSV: header skipped, quotes, escaped quotes, line breaks inside quotes', () => {
    const csv =
      'pattern,note,expiresAt\nhttps://a.com,,\n"https://b.com","two\nlines, ""quoted""",2030-01-01T00:00:00Z\nhttps://c.com\n';
    expect(parseImport('csv', csv)).toEqual({
      errors: [],
      lines: [
        { line: 2, entry: { pattern: 'https://a.com', note: null, expiresAt: null } },
        {
          line: 3,
          entry: {
            pattern: 'https://b.com',
            note: 'two\nlines, "quoted"',
            expiresAt: '2030-01-01T00:00:00Z',
          },
        },
        { line: 5, entry: { pattern: 'https://c.com', note: null, expiresAt: null } },
      ],
    });
  });

  it('reports too many columns and an unclosed quote with their line', () => {
    const { errors, lines } = parseImport('csv', 'https://a.com\na,b,c,d\nhttps://e.com,"open\n');
    expect(lines).toHaveLength(1);
    expect(errors.map((e) => [e.line, e.reason])).toEqual([
      [2, 'malformed-csv'],
      [3, 'malformed-csv'],
    ]);
  });
});
