import Fastify from 'fastify';
import { fastifyCorsplane } from '../src/index.js';
import { describeAdapter } from './support/adapter-scenarios.js';

describeAdapter('Fastify', async (resolver, options) => {
  let handled = 0;
  const app = Fastify();
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('vary', 'Accept-Encoding');
  });
  await app.register(fastifyCorsplane, { resolver, ...options });
  app.get('/data', async () => {
    handled++;
    return { ok: true };
  });
  app.put('/data', async () => {
    handled++;
    return { ok: true };
  });
  for (const path of ['/public/:file', '/webhooks/stripe']) {
    app.get(path, async () => {
      handled++;
      return { ok: true };
    });
  }
  app.options('/data', async (_request, reply) => {
    handled++;
    reply.type('text/plain');
    return 'options handler';
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, handled: () => handled, close: () => app.close() };
});
