import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Env } from '../../config/env.schema.js';
import { SESSION_COOKIE } from '../../modules/auth/auth.service.js';

/**
 * A route whose bodies may exceed BODY_LIMIT_BYTES. Fastify reads and parses a body before Nest's guard runs, so
 * a caller must first present the kind of credential the route takes (checked for presence only; the guard
 * verifies it): a client without one gets its 401 before a byte of the body is read.
 */
interface LargeBodyRoute {
  method: string;
  url: string;
  bodyLimit: (env: Env) => number;
  presentsCredential: (req: FastifyRequest) => boolean;
  missingCredential: string;
}

const presentsAdminCredential = (req: FastifyRequest): boolean => {
  const auth = req.headers.authorization;
  return (
    (typeof auth === 'string' && auth.slice(0, 7).toLowerCase() === 'bearer ') ||
    Boolean(req.cookies?.[SESSION_COOKIE])
  );
};

const policyRoute = (method: string, url: string): LargeBodyRoute => ({
  method,
  url,
  bodyLimit: (env) => env.POLICY_BODY_LIMIT_BYTES,
  presentsCredential: presentsAdminCredential,
  missingCredential: 'Sign in, or send Authorization: Bearer <token>',
});

/** `POST /resolve/events` has its own limit too, with its key verified before the body (app.setup.ts). */
export const LARGE_BODY_ROUTES: readonly LargeBodyRoute[] = [
  // Whole policies of up to 100,000 origins (SPEC §2.3): stored, checked, or simulated as a draft.
  policyRoute('PUT', '/v1/tenants/:slug/policy'),
  policyRoute('POST', '/v1/tenants/:slug/policy/validate'),
  policyRoute('POST', '/v1/tenants/:slug/simulate'),
  // A candidate is the same document as the policy (SPEC §4.1): a 100,000-origin tenant's candidate too.
  policyRoute('PUT', '/v1/tenants/:slug/policy/candidate'),
  // An import of up to 100,000 origins (SPEC §4.1), as JSON, CSV or text.
  policyRoute('POST', '/v1/tenants/:slug/policy/origins/import'),
];

/** Gives each LARGE_BODY_ROUTES route its own body limit and its credential check before parsing. */
export function installLargeBodyRoutes(fastify: FastifyInstance, env: Env): void {
  fastify.addHook('onRoute', (route) => {
    const spec = LARGE_BODY_ROUTES.find((r) => r.url === route.url && r.method === route.method);
    if (spec === undefined) return;
    route.bodyLimit = spec.bodyLimit(env);
    const existing = route.onRequest ? [route.onRequest].flat() : [];
    route.onRequest = [
      ...existing,
      (req, reply, done) => {
        if (spec.presentsCredential(req)) {
          done();
          return;
        }
        void reply
          .code(401)
          .send({ statusCode: 401, error: 'Unauthorized', message: spec.missingCredential });
      },
    ];
  });
}
