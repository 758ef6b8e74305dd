import type { PolicyInput } from '@corsplane/contracts';
import { describeIssue, locateIssue } from './issue-location.js';

const origins = Array.from({ length: 8 }, (_, i) => ({
  pattern: i === 7 ? 'https://old-partner.example.net' : `https://app${i}.example.com`,
}));
const doc = {
  origins,
  routes: [
    { path: '/api/*', origins: [{ pattern: 'https://a.com' }, { pattern: 'https://b.com' }] },
  ],
} as unknown as PolicyInput;

describe('issue locations', () => {
  it('names an origin row by its number and pattern', () => {
    expect(locateIssue('origins[7].expiresAt', doc)).toBe(
      'Row 8 (https://old-partner.example.net)',
    );
  });

  it('names a route by its path, and a row inside it', () => {
    expect(locateIssue('routes[0].maxAgeSeconds', doc)).toBe('Route /api/*');
    expect(locateIssue('routes[0].origins[1].pattern', doc)).toBe(
      'Route /api/* row 2 (https://b.com)',
    );
  });

  it('leaves a top-level setting to its field name', () => {
    expect(locateIssue('maxAgeSeconds', doc)).toBeNull();
  });

  it('says when an entry expired, in UTC', () => {
    expect(
      describeIssue(
        {
          path: 'origins[7].expiresAt',
          reason: 'expired-entry',
          message: 'origins[7].expiresAt: has expired',
          value: '2025-01-01T00:00:00Z',
        },
        doc,
      ),
    ).toBe('Row 8 (https://old-partner.example.net) expired on 1 Jan 2025, 00:00 UTC');
  });

  it('rewrites the paths inside a message', () => {
    expect(
      describeIssue(
        {
          path: 'origins[3].pattern',
          reason: 'duplicate-origin',
          message: 'origins[3].pattern: "https://app0.example.com" is already origins[0]',
        },
        doc,
      ),
    ).toBe(
      'Row 4 (https://app3.example.com), pattern: "https://app0.example.com" is already row 1 (https://app0.example.com)',
    );
  });
});
