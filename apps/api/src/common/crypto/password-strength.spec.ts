import { weakPasswordIssue } from './password-strength.js';

describe('weakPasswordIssue', () => {
  it.each([
    'aaaaaaaaaaaa',
    'password1234',
    'qwertyuiop12',
    'corsplane2026!',
    'abcdefghijkl',
    '123456789012',
  ])('refuses %s with advice', (weak) => {
    const issue = weakPasswordIssue(weak, []);
    expect(issue).toMatchObject({ path: 'password', reason: 'weak-password' });
    expect(issue?.message).toMatch(/^The password is too easy to guess\./);
    expect(issue?.message).not.toContain(weak);
  });

  it('counts the user’s own email and name as known to an attacker', () => {
    expect(weakPasswordIssue('zorblaxquintern1', [])).toBeNull();
    expect(weakPasswordIssue('zorblaxquintern1', ['zorblaxquintern@example.com'])).not.toBeNull();
    expect(
      weakPasswordIssue('zorblaxquintern1', ['x@example.com', 'ZorblaxQuintern']),
    ).not.toBeNull();
  });

  it.each([
    'correct horse battery staple',
    'violet anchor trombone 73 glacier',
    'e2e-admin-password-1',
    'viewer-password-123',
    'faults-test-password-1',
  ])('accepts %s', (strong) => {
    expect(weakPasswordIssue(strong, [])).toBeNull();
  });

  it('reads only a bounded prefix of a very long password', () => {
    expect(weakPasswordIssue('x'.repeat(1024), [])).not.toBeNull();
  });
});
