// A small Fastify API whose CORS is managed in corsplane.
//   CORSPLANE_KEY=cpk_live_… npm run example:fastify
// Allowed origins, methods and headers come from the tenant's policy in the console; change
// them there and this service follows within milliseconds (the service pushes the change), without a restart.
import Fastify from 'fastify';
import { createCorsResolver, fastifyCorsplane } from '@corsplane/sdk';
import { exampleConfig } from '../shared/config.mjs';

const config = exampleConfig('fastify');
const resolver = createCorsResolver({
  serviceUrl: config.serviceUrl,
  apiKey: config.apiKey,
  tenant: config.tenant,
});

const app = Fastify({ bodyLimit: 16 * 1024 });
await app.register(fastifyCorsplane, { resolver });

app.get('/api/hello', async (request) => ({
  message: `hello from fastify, ${request.headers.origin ?? 'no origin'}`,
}));

app.post('/api/orders', async (request, reply) => {
  reply.code(201);
  return { received: request.body, by: request.headers['x-client'] ?? null };
});

await app.listen({ port: config.port, host: config.host });
console.log(
  `fastify example listening on http://${config.host}:${config.port} (corsplane: ${config.serviceUrl})`,
);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    void app
      .close()
      .then(() => resolver.close())
      .then(() => process.exit(0));
  });
}
