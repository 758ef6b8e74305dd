// Environment of the example services (they are scripts, not part of the product).
export function exampleConfig(name) {
  const apiKey = process.env.CORSPLANE_KEY;
  if (!apiKey) {
    console.error(
      `Set CORSPLANE_KEY to a tenant key: sign in to the console (npm start), open a tenant, ` +
        `"API keys" → create, then: CORSPLANE_KEY=cpk_live_… npm run example:${name}`,
    );
    process.exit(2);
  }
  return {
    apiKey,
    serviceUrl: process.env.CORSPLANE_URL ?? 'http://localhost:3000',
    // A platform key serves many tenants from one process: CORSPLANE_TENANT=acme names one;
    // CORSPLANE_TENANT_FROM_HOST=1 takes each request's tenant from its host name
    // (acme.api.example → acme), as a SaaS service answering all its customers' domains does.
    tenant: process.env.CORSPLANE_TENANT_FROM_HOST
      ? (req) => (req.headers.host ?? '').split('.')[0]
      : process.env.CORSPLANE_TENANT,
    host: process.env.HOST ?? '127.0.0.1',
    port: Number(process.env.PORT ?? (name === 'express' ? 4001 : 4002)),
  };
}
