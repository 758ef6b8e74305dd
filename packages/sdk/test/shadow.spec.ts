// Shadow evaluation in the SDK (SPEC §3) against the real corsplane service and real Express and Fastify
// apps: the resolver holds the tenant's candidate beside the live policy (it arrives over the change stream
// like a policy change), answers with the live policy only, and reports the differences with its refusal
// batches; the service's impact counts them exactly.
import { compilePolicy, decide } from '@corsplane/policy';
import {
  grantsBeyondEnforce,
  reportOnlyPolicyFields,
  reportOnlyRequest,
} from '@corsplane/policy/report-only-property';
import express from 'express';
import fc from 'fast-check';
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { corsMiddleware, createCorsResolver, fastifyCorsplane } from '../src/index.js';
import { startCorsplane, type CorsplaneService } from './support/corsplane-service.js';
import { SERVICE_TIMEOUT_MS, until } from './support/until.js';

const KEEP = 'https://app.shop.test'; // both policies list it
const DROP = 'https://old.shop.test'; // live only: would-block
const ADD = 'https://new.partner.test'; // candidate only: would-allow

const policy = (origins: string[]) => ({
  mode: 'enforce',
  origins: origins.map((pattern) => ({ pattern })),
  allowedMethods: ['GET', 'PUT'],
  allowedHeaders: ['content-type'],
  exposedHeaders: [],
  allowCredentials: false,
  maxAgeSeconds: null,
  allowPrivateNetwork: false,
});

let service: CorsplaneService;

beforeAll(async () => {
  service = await startCorsplane();
});
afterAll(() => service?.dispose());

describe('shadow evaluation in the SDK', () => {
  it.each(['express', 'fastify'] as const)(
    '%s: the live policy answers, the candidate is counted, and the counts reach the impact',
    async (framework) => {
      const slug = `shadow-${framework}`;
      const key = await service.createTenant(slug, policy([KEEP, DROP]));
      const resolver = createCorsResolver({
        serviceUrl: service.url,
        apiKey: key,
        onError: () => {},
        eventsFlushIntervalMs: 50,
        timeoutMs: SERVICE_TIMEOUT_MS,
      });
      let url: string;
      let close: () => Promise<void>;
      if (framework === 'express') {
        const app = express();
        app.use(corsMiddleware(resolver));
        app.get('/data', (_req, res) => void res.json({ ok: true }));
        const server = app.listen(0, '127.0.0.1');
        await new Promise((r) => server.once('listening', r));
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        close = () => new Promise((r) => server.close(() => r()));
      } else {
        const app = Fastify();
        await app.register(fastifyCorsplane, { resolver });
        app.get('/data', async () => ({ ok: true }));
        url = await app.listen({ port: 0, host: '127.0.0.1' });
        close = () => app.close();
      }
      const call = (origin: string) => fetch(`${url}/data`, { headers: { origin } });
      try {
        // The live policy is held before the candidate exists; the candidate arrives over the stream.
        expect((await call(KEEP)).headers.get('access-control-allow-origin')).toBe(KEEP);
        const fetches = resolver.stats().policyFetches;
        await service.setCandidate(slug, policy([KEEP, ADD]));
        await until(() => resolver.stats().policyFetches > fetches, 'the candidate refetch');

        const answers: Record<string, string | null> = {};
        for (const [origin, n] of [
          [KEEP, 2],
          [DROP, 3],
          [ADD, 4],
        ] as const) {
          for (let i = 0; i < n; i++)
            answers[origin] = (await call(origin)).headers.get('access-control-allow-origin');
        }
        // Only the live answer is sent.
        expect(answers).toEqual({ [KEEP]: KEEP, [DROP]: DROP, [ADD]: null });

        await until(async () => {
          const impact = await service.candidateImpact(slug);
          return impact.totals.wouldBlock + impact.totals.wouldAllow >= 7;
        }, 'the shadow counts in the impact');
        const impact = await service.candidateImpact(slug);
        expect(impact.totals).toMatchObject({ wouldBlock: 3, wouldAllow: 4 });
        expect(impact.rows).toEqual([
          expect.objectContaining({
            origin: ADD,
            direction: 'would-allow',
            reason: 'exact-match',
            count: 4,
          }),
          expect.objectContaining({
            origin: DROP,
            direction: 'would-block',
            reason: 'origin-not-allowed',
            count: 3,
          }),
        ]);
      } finally {
        await resolver.close();
        await close();
      }
    },
  );
});

// SPEC §3: a report-only policy answers a would-be refusal as allowed, but never with credentials or
// private-network permission. The property the engine's own test states (packages/policy properties.spec.ts),
// here through the SDK's resolver, over random policies saved in the real service and random requests.
describe('report-only through the SDK (property)', () => {
  it('never grants credentials or private-network access to an origin the policy does not list', async () => {
    const platform = await service.createPlatformKey();
    const resolver = createCorsResolver<{
      method: string;
      headers: Record<string, string>;
      tenant: string;
    }>({
      serviceUrl: service.url,
      apiKey: platform,
      tenant: (req) => req.tenant,
      onError: () => {},
    });
    let n = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          reportOnlyPolicyFields,
          fc.array(reportOnlyRequest, { minLength: 4, maxLength: 8 }),
          async (fields, requests) => {
            const tenant = `ro-${++n}`;
            const doc = {
              ...policy([]),
              ...fields,
              mode: 'report-only',
              origins: fields.origins.map((pattern) => ({ pattern })),
            };
            await service.createTenant(tenant, doc);
            const enforce = compilePolicy({ ...doc, mode: 'enforce' });
            for (const r of requests) {
              const answer = await resolver.resolve({ ...r, tenant });
              expect(grantsBeyondEnforce(decide(enforce, r), answer.headers)).toEqual([]);
            }
          },
        ),
        { numRuns: 30, seed: 20261203 },
      );
    } finally {
      await resolver.close();
    }
  });
});
