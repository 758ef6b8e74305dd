/** Ready-to-paste uses of a new key, with the service's real address (the console is served by the API). */
export interface KeySnippets {
  curl: string;
  nginx: string;
  sdk: string;
}

const shellQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * `serviceUrl`: where this console (and so the API) is reached, e.g. `window.location.origin`. `tenant`: the
 * slug a platform key must name; null for a tenant key (which names its own).
 */
export function keySnippets(
  serviceUrl: string,
  secret: string,
  tenant: string | null,
): KeySnippets {
  const base = serviceUrl.replace(/\/+$/, '');
  const url = new URL(base);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const query = new URLSearchParams({ origin: 'https://app.example.com' });
  if (tenant !== null) query.set('tenant', tenant);
  const curl = `curl -s -H ${shellQuote(`Authorization: Bearer ${secret}`)} \\\n  ${shellQuote(`${base}/resolve?${query.toString()}`)}`;
  const nginx = [
    '# In the http {} block of deploy/nginx/auth-request.conf (docs/deploy.md, "Gateways"):',
    'upstream corsplane {',
    `  server ${url.hostname}:${port};`,
    '  keepalive 16;',
    '}',
    'map $host $corsplane_key {',
    `  default "${secret}";`,
    '}',
    'map $host $corsplane_tenant {',
    `  default "${tenant ?? ''}";`,
    '}',
    ...(url.protocol === 'https:'
      ? [
          '# corsplane is on https: use proxy_pass https://corsplane/resolve/headers; with proxy_ssl_server_name on;',
        ]
      : []),
  ].join('\n');
  const sdk = [
    "import { createCorsResolver, corsMiddleware } from '@corsplane/sdk';",
    '',
    'const resolver = createCorsResolver({',
    `  serviceUrl: '${base}',`,
    '  apiKey: process.env.CORSPLANE_KEY!, // the key above, from your secret store',
    ...(tenant !== null ? [`  tenant: '${tenant}',`] : []),
    '});',
    'app.use(corsMiddleware(resolver));',
  ].join('\n');
  return { curl, nginx, sdk };
}
