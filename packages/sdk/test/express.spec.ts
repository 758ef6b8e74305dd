import express from 'express';
import type { AddressInfo } from 'node:net';
import { corsMiddleware } from '../src/index.js';
import { describeAdapter } from './support/adapter-scenarios.js';

describeAdapter('Express', async (resolver, options) => {
  let handled = 0;
  const app = express();
  app.use((_req, res, next) => {
    res.setHeader('vary', 'Accept-Encoding');
    next();
  });
  app.use(corsMiddleware(resolver, options));
  app.get('/data', (_req, res) => {
    handled++;
    res.json({ ok: true });
  });
  app.put('/data', (_req, res) => {
    handled++;
    res.json({ ok: true });
  });
  app.get(['/public/:file', '/webhooks/stripe'], (_req, res) => {
    handled++;
    res.json({ ok: true });
  });
  app.options('/data', (_req, res) => {
    handled++;
    res.send('options handler');
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    handled: () => handled,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
});
