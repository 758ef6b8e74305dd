// One SDK process of the propagation benchmark: a real Express or Fastify app behind the SDK, its
// resolver synced from one API process. Asked (over IPC) to watch an origin, it polls its own resolver,
// no network, until the decision for that origin is the expected one, and answers with the moment it
// flipped (process.hrtime, CLOCK_MONOTONIC: comparable across processes on one machine).
import express from 'express';
import Fastify from 'fastify';
import { corsMiddleware, createCorsResolver, fastifyCorsplane } from '@corsplane/sdk';

const { SERVICE_URL, API_KEY, FRAMEWORK } = process.env;
const resolver = createCorsResolver({
  serviceUrl: SERVICE_URL,
  apiKey: API_KEY,
  onError: () => {},
});

let close;
let url;
if (FRAMEWORK === 'fastify') {
  const app = Fastify();
  await app.register(fastifyCorsplane, { resolver });
  app.get('/', async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${app.server.address().port}/`;
  close = () => app.close();
} else {
  const app = express();
  app.use(corsMiddleware(resolver));
  app.get('/', (_req, res) => res.json({ ok: true }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${server.address().port}/`;
  close = () => new Promise((resolve) => server.close(resolve));
}

const request = (origin) => ({ method: 'GET', headers: { origin } });

process.on('message', async (message) => {
  if (message.type === 'probe') {
    // The app really applies the resolver's decision (checked once, over HTTP).
    const res = await fetch(url, { headers: { origin: message.origin } });
    await res.body?.cancel();
    process.send({ type: 'probed', allowOrigin: res.headers.get('access-control-allow-origin') });
  } else if (message.type === 'watch') {
    process.send({ type: 'watching', id: message.id });
    const spin = () => {
      if (resolver.lookup(request(message.origin))?.allowed === message.allowed) {
        process.send({ type: 'flipped', id: message.id, at: String(process.hrtime.bigint()) });
      } else setTimeout(spin, 1); // a poll per millisecond: the SDK processes must not starve the APIs of CPU
    };
    spin();
  } else if (message.type === 'stats') {
    process.send({ type: 'stats', stats: resolver.stats() });
  } else if (message.type === 'stop') {
    await resolver.close();
    await close();
    process.exit(0);
  }
});

await resolver.resolve(request('https://warm-up.invalid'));
process.send({ type: 'ready', url });
