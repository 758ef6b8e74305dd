// eslint-disable-next-line @nx/enforce-module-boundaries -- a test-only helper shared with the console's Chromium suite; tools/ is no project
import { startOidcProvider as startProvider } from '../../../../tools/oidc-test-provider.mjs';

export interface TestIdentity {
  email: string;
  name: string;
  roles: string[];
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Accounts by login name; edit one to change what the next sign-in sees. */
  accounts: Map<string, TestIdentity>;
  close(): Promise<void>;
}

/** The shared test provider (tools/oidc-test-provider.mjs), with accounts this test can change. */
export async function startOidcProvider(
  redirectUri: string,
  rolesClaim = 'corsplane_roles',
): Promise<TestOidcProvider> {
  const accounts = new Map<string, TestIdentity>();
  const started = await startProvider(
    redirectUri,
    (login) => {
      const who = accounts.get(login);
      return who && { email: who.email, name: who.name, [rolesClaim]: who.roles };
    },
    rolesClaim,
  );
  return { ...started, accounts };
}

/** A tiny browser for the provider's pages: follows redirects on the provider, keeping its cookies. */
export async function signInAtProvider(authorizationUrl: string, login: string): Promise<URL> {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const origin = new URL(authorizationUrl).origin;
  let url = new URL(authorizationUrl);
  let init: RequestInit = {};
  for (let hop = 0; hop < 20; hop++) {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader() },
    });
    keep(res);
    init = {};
    const location = res.headers.get('location');
    if (location) {
      url = new URL(location, url);
      if (url.origin !== origin) return url; // back to the relying party: the callback
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (res.status !== 200 || !action)
      throw new Error(`unexpected provider page ${res.status}: ${html.slice(0, 300)}`);
    url = new URL(action, url);
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ prompt: 'login', login, password: 'any' }).toString(),
    };
  }
  throw new Error('too many redirects at the provider');
}
