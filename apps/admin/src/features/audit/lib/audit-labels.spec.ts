import { describe, expect, it } from '@jest/globals';
import type { AuditEvent } from '@corsplane/contracts';
import { auditCsvRows, changesLabel, isSignInNoise } from './audit-labels.js';

const event = (over: Partial<AuditEvent>): AuditEvent => ({
  id: '1',
  at: '2026-12-01T10:00:00.000Z',
  actor: { type: 'user', id: 'u', label: 'ada@acme.test' },
  action: 'policy.update',
  tenant: 'acme',
  target: null,
  before: { version: 11 },
  after: { version: 12 },
  requestId: null,
  note: 'partner launch',
  ...over,
});

describe('audit labels', () => {
  it('names each row button by what it opens', () => {
    expect(changesLabel(event({}), false)).toBe('Show changes to v12 of acme');
    expect(changesLabel(event({}), true)).toBe('Hide changes to v12 of acme');
    expect(
      changesLabel(
        event({ action: 'key.create', after: {}, target: { type: 'key', id: 'gateway' } }),
        false,
      ),
    ).toBe('Show changes: key.create gateway (acme), 1 Dec 2026, 10:00 UTC');
  });

  it('tells sign-ins apart and writes the note into the CSV', () => {
    expect(isSignInNoise({ action: 'auth.login' })).toBe(true);
    expect(isSignInNoise({ action: 'auth.token.create' })).toBe(false);
    expect(auditCsvRows([event({})])[0]).toContain('partner launch');
  });
});
