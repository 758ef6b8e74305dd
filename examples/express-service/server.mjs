// A small Express API whose CORS is managed in corsplane.
//   CORSPLANE_KEY=cpk_live_… npm run example:express
// Allowed origins, methods and headers come from the tenant's policy in the console; change
// them there and this service follows within milliseconds (the service pushes the change), without a restart.
import express from 'express';
import { corsMiddleware, createCorsResolver } from '@corsplane/sdk';
import { exampleConfig } from '../shared/config.mjs';

const config = exampleConfig('express');
const resolver = createCorsResolver({
  serviceUrl: config.serviceUrl,
  apiKey: config.apiKey,
  tenant: config.tenant,
});

const app = express();
app.use(corsMiddleware(resolver));
app.use(express.json({ limit: '16kb' }));

app.get('/api/hello', (req, res) => {
  res.json({ message: `hello from express, ${req.headers.origin ?? 'no origin'}` });
});

app.post('/api/orders', (req, res) => {
  res.status(201).json({ received: req.body, by: req.headers['x-client'] ?? null });
});

const server = app.listen(config.port, config.host, () => {
  console.log(
    `express example listening on http://${config.host}:${config.port} (corsplane: ${config.serviceUrl})`,
  );
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    server.close();
    void resolver.close().then(() => process.exit(0));
  });
}
