import { describe, expect, it } from '@jest/globals';
import type { SimulateResponse } from '@corsplane/contracts';
import { reasonText } from './reason-text.js';

const entry = {
  pattern: 'https://app.acme.com',
  source: 'tenant',
  expiresAt: null,
  note: 'prod',
} as const;
const verdict = (over: Partial<SimulateResponse>) =>
  ({
    allowed: false,
    mode: 'enforce',
    preflight: true,
    refusedName: null,
    matchedEntry: entry,
    route: null,
    ...over,
  }) as SimulateResponse;

describe('reasonText names the entry and the refused names for every reason', () => {
  it.each<[Partial<SimulateResponse>, string]>([
    [
      { reason: 'exact-match', allowed: true },
      'The origin is listed exactly: the entry “https://app.acme.com” (“prod”).',
    ],
    [
      {
        reason: 'wildcard-match',
        allowed: true,
        matchedEntry: { ...entry, pattern: 'https://*.acme.com', note: null, source: 'baseline' },
      },
      'The origin matches the entry “https://*.acme.com” of the platform baseline.',
    ],
    [
      { reason: 'method-not-allowed', refusedName: 'PATCH' },
      'The origin is allowed by the entry “https://app.acme.com” (“prod”), but the method “PATCH” is not in the allowed methods.',
    ],
    [
      { reason: 'header-not-allowed', refusedName: 'x-a, x-b', route: '/api/*' },
      'The origin is allowed by the entry “https://app.acme.com” (“prod”), but the headers “x-a”, “x-b” are not in the allowed headers of the route /api/*.',
    ],
    [
      { reason: 'header-not-allowed', refusedName: 'x-trace' },
      'The origin is allowed by the entry “https://app.acme.com” (“prod”), but the header “x-trace” is not in the allowed headers.',
    ],
    [
      { reason: 'private-network-not-allowed' },
      'The origin is allowed by the entry “https://app.acme.com” (“prod”), but private network access is off.',
    ],
    [
      {
        reason: 'expired',
        matchedEntry: {
          pattern: 'https://old-partner.example.net',
          source: 'tenant',
          expiresAt: '2025-01-01T00:00:00.000Z',
          note: null,
        },
      },
      'The entry “https://old-partner.example.net” matches, but it expired on 1 Jan 2025, 00:00 UTC.',
    ],
    [
      { reason: 'origin-not-allowed', matchedEntry: null },
      'No allow-list entry matches this origin.',
    ],
  ])('%j', (over, text) => {
    const out = reasonText(verdict(over));
    expect(out).toBe(text);
    expect(out).not.toMatch(/an entry|null/);
  });
});
