import { errorBodySchema } from '@corsplane/contracts';
import { openApiSchema } from '../../common/openapi/api-json.decorator.js';

// Pieces of the hand-written OpenAPI path items of the /resolve routes that bypass Nest (resolve*.route.ts).

/** A response header documented as a string. */
export const stringHeader = (description: string) => ({ description, schema: { type: 'string' } });

/** A response with the SPEC error body (and optional headers). */
export function errorResponse(description: string, headers?: Record<string, unknown>) {
  return {
    description,
    ...(headers ? { headers } : {}),
    content: { 'application/json': { schema: openApiSchema(errorBodySchema) } },
  };
}

/** The 401, 429 and 503 every /resolve route answers alike (ResolveService's key check and outage rule). */
export function keyErrorResponses() {
  return {
    401: errorResponse('Missing, unknown or revoked key', {
      'WWW-Authenticate': stringHeader('Bearer'),
    }),
    429: errorResponse('This client presented too many unknown keys lately (no lookup was made)', {
      'Retry-After': stringHeader('seconds'),
    }),
    503: errorResponse('The database is unreachable and this key or tenant is not cached', {
      'Retry-After': stringHeader('seconds'),
    }),
  };
}

/** The `tenant` query parameter of a /resolve route. */
export function tenantParameter(description: string) {
  return { name: 'tenant', in: 'query', required: false, description, schema: { type: 'string' } };
}
