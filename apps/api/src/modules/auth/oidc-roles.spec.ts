import { rolesFromClaim } from './oidc-roles.js';

describe('rolesFromClaim', () => {
  it('reads platform roles and tenant memberships from an array', () => {
    expect(
      rolesFromClaim(['platform:viewer', 'tenant:acme:editor', 'tenant:globex:viewer']),
    ).toEqual({
      platformRole: 'viewer',
      memberships: [
        { slug: 'acme', role: 'editor' },
        { slug: 'globex', role: 'viewer' },
      ],
    });
  });

  it('reads a space-separated string too', () => {
    expect(rolesFromClaim('platform:admin tenant:acme:viewer')).toEqual({
      platformRole: 'admin',
      memberships: [{ slug: 'acme', role: 'viewer' }],
    });
  });

  it('keeps the strongest of repeated grants', () => {
    expect(
      rolesFromClaim(['platform:admin', 'platform:viewer', 'tenant:a:editor', 'tenant:a:viewer']),
    ).toEqual({ platformRole: 'admin', memberships: [{ slug: 'a', role: 'editor' }] });
  });

  it.each([
    [undefined],
    [null],
    [42],
    [{ admin: true }],
    [['admin', 'platform:owner', 'tenant:acme', 'tenant:acme:owner', 'tenant::viewer', 7]],
    [['tenant:acme:viewer:extra']],
  ])('grants nothing for %j', (claim) => {
    expect(rolesFromClaim(claim)).toEqual({ platformRole: null, memberships: [] });
  });
});
