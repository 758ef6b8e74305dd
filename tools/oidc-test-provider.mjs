// A real OpenID provider (oidc-provider) for tests: one confidential client that must use PKCE, on a free
// loopback port. Its built-in login page signs in any account `findIdentity` knows, by name and any
// password; consent is granted up front. Every claim (the roles claim included) rides in the ID token,
// as corsplane reads it. Used by the API's SSO e2e and the console's Chromium suite.
import http from 'node:http';
import Provider from 'oidc-provider';

export const TEST_CLIENT = {
  id: 'corsplane-test',
  secret: 'corsplane-test-secret-0123456789abcdef',
};

/**
 * @param {string} redirectUri the client's one registered callback
 * @param {(login: string) => Record<string, unknown> | undefined} findIdentity claims of an account
 * @param {string} rolesClaim the claim name corsplane reads (OIDC_ROLES_CLAIM)
 */
export async function startOidcProvider(redirectUri, findIdentity, rolesClaim = 'corsplane_roles') {
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: TEST_CLIENT.id,
        client_secret: TEST_CLIENT.secret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    conformIdTokenClaims: false,
    claims: { openid: ['sub', rolesClaim], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: ['corsplane-test-cookie-key'] },
    findAccount: (_ctx, sub) => {
      const claims = findIdentity(sub);
      return claims
        ? { accountId: sub, claims: () => ({ sub, email_verified: true, ...claims }) }
        : undefined;
    },
    // No consent screen: the client is first-party.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    clientId: TEST_CLIENT.id,
    clientSecret: TEST_CLIENT.secret,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}
