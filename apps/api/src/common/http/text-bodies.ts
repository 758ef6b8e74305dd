import type { FastifyInstance } from 'fastify';

/** The one route that reads text bodies: an origin import as CSV or one pattern a line (SPEC §4.1). */
export const TEXT_BODY_ROUTES: ReadonlySet<string> = new Set([
  'POST /v1/tenants/:slug/policy/origins/import',
]);

/**
 * text/plain and text/csv bodies are what a cross-site form can send without a preflight, so every other
 * route refuses them (415) before reading them; the import route still needs an admin credential and, with a
 * cookie, a same-site request (the access guard).
 */
export function installTextBodies(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser(
    ['text/plain', 'text/csv'],
    { parseAs: 'string' },
    (req, body, done) => {
      if (TEXT_BODY_ROUTES.has(`${req.method} ${req.routeOptions.url ?? ''}`)) {
        done(null, body);
        return;
      }
      const err = Object.assign(
        new Error(`Unsupported Media Type: ${req.headers['content-type']}`),
        {
          statusCode: 415,
        },
      );
      done(err, undefined);
    },
  );
}
