import { errorBodySchema, resolveQuerySchema, resolveResponseSchema } from '@corsplane/contracts';
import { openApiSchema } from '../../common/openapi/api-json.decorator.js';

// The OpenAPI path items of the /resolve routes that are not Nest controllers (the node:http edge,
// resolve-edge.ts, and the Fastify routes resolve-policy.route.ts and resolve-changes.route.ts), built from
// the contracts' zod schemas where there is one.

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

/** The OpenAPI path item of `GET /resolve` (answered by the node:http edge, so /docs gets it from here, built from the contracts' zod schemas). */
export function resolveOpenApiPath(): Record<string, unknown> {
  const query = openApiSchema(resolveQuerySchema, 'input') as {
    properties: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  const descriptions: Record<string, string> = {
    origin:
      "The request's Origin header value (required; malformed values are refused, never echoed)",
    method: 'Access-Control-Request-Method: its presence makes the request a preflight',
    headers: 'Access-Control-Request-Headers of the preflight',
    privateNetwork: 'true when the preflight carries Access-Control-Request-Private-Network: true',
    tenant: 'Tenant slug: required with a platform key; with a tenant key it must be that tenant',
    path: 'The request path, to pick the route (SPEC §2.1): starts with "/", at most 8,192 characters, the query string is ignored. Absent: the policy default',
  };
  const err = errorResponse;
  return {
    get: {
      tags: ['resolve'],
      summary:
        'The CORS decision and the exact headers to send for one origin (tenant key, or platform key + tenant)',
      security: [{ bearer: [] }],
      parameters: Object.entries(query.properties).map(([name, schema]) => ({
        name,
        in: 'query',
        required: query.required?.includes(name) ?? false,
        description: descriptions[name],
        schema,
      })),
      responses: {
        200: {
          description:
            'The decision (a refused origin is a 200 with allowed: false). Cache-Control: private, max-age=<cacheTtlSeconds>; ETag',
          content: { 'application/json': { schema: openApiSchema(resolveResponseSchema) } },
        },
        304: { description: 'If-None-Match matched the ETag' },
        400: err('Missing origin or a malformed parameter (a path that does not start with "/")'),
        403: err('A tenant key asked for another tenant'),
        404: err('Unknown tenant'),
        ...keyErrorResponses(),
      },
    },
  };
}

/** The OpenAPI path item of `/resolve/headers` (answered by the node:http edge, so /docs gets it from here). */
export function resolveHeadersOpenApiPath(): Record<string, unknown> {
  const err = errorResponse;
  const str = stringHeader;
  const header = (name: string, description: string) => ({
    name,
    in: 'header',
    required: false,
    description,
    schema: { type: 'string' },
  });
  const decisionHeaders = {
    'Access-Control-Allow-Origin': str(
      'The decision\u2019s headers, exactly as /resolve returns them in `headers`',
    ),
    'Access-Control-Allow-Credentials': str('When allowed and the policy allows credentials'),
    'Access-Control-Expose-Headers': str('Actual requests, when allowed'),
    'Access-Control-Allow-Methods': str('Allowed preflights'),
    'Access-Control-Allow-Headers': str('Allowed preflights'),
    'Access-Control-Max-Age': str('Allowed preflights'),
    'Access-Control-Allow-Private-Network': str('Allowed private-network preflights'),
    Vary: str('Always, unless the policy answers `*` to everyone'),
    'X-Corsplane-Decision': str('allowed | refused'),
    'X-Corsplane-Reason': str(
      'The decision reason (exact-match, origin-not-allowed, no-origin, …)',
    ),
    'X-Corsplane-Policy-Version': str('The policy version decided with'),
    'X-Corsplane-Report-Only': str(
      'true on a report-only would-be refusal (the decision is allowed)',
    ),
    'X-Corsplane-Route': str(
      'The path of the route that decided (SPEC \u00a72.1); absent: the default',
    ),
  };
  return {
    get: {
      tags: ['resolve'],
      summary:
        'Gateway-shaped /resolve: the CORS decision for the forwarded request, as status + response headers (nginx auth_request, Envoy ext_authz)',
      description:
        'Reads the CORS inputs from the request\u2019s own headers as a gateway forwards them. Any method is accepted, and any path below /resolve/headers/ (Envoy appends the original path to path_prefix); the method of the original request is X-Forwarded-Method, or this request\u2019s own method. The body of a decision is empty. See docs/deploy.md, "Gateways".',
      security: [{ bearer: [] }],
      parameters: [
        header(
          'Origin',
          'The browser\u2019s Origin (absent: not a CORS request, 200 with reason no-origin)',
        ),
        header('Access-Control-Request-Method', 'With OPTIONS and Origin: a preflight'),
        header('Access-Control-Request-Headers', 'The preflight\u2019s requested headers'),
        header('Access-Control-Request-Private-Network', 'true: a private-network preflight'),
        header(
          'X-Forwarded-Method',
          'The original request\u2019s method (default: this request\u2019s method)',
        ),
        header(
          'X-Forwarded-Uri',
          'The original request\u2019s path and query, to pick the route (SPEC \u00a72.1); also read from X-Original-URI, else from the path below /resolve/headers/ (Envoy). Absent: the policy\u2019s default',
        ),
        header('X-Original-URI', 'As X-Forwarded-Uri (the nginx auth_request convention)'),
        header(
          'X-Corsplane-Tenant',
          'Tenant slug, with a platform key (or tenant= on the exact path)',
        ),
        tenantParameter('Tenant slug with a platform key; read on the exact path only'),
      ],
      responses: {
        200: {
          description:
            'An actual request (allowed, refused or without Origin): copy the headers onto the response and serve it',
          headers: decisionHeaders,
        },
        204: {
          description:
            'An allowed preflight: answer the browser with exactly this status and these headers',
          headers: decisionHeaders,
        },
        403: {
          description:
            'A refused preflight (X-Corsplane-Decision: refused, Vary, empty body: answer the browser with it), or a tenant key used for another tenant (JSON error body, no X-Corsplane-Decision)',
          headers: decisionHeaders,
        },
        400: err(
          'A platform key without a tenant, an invalid slug, tenant given twice, or a forwarded path that does not start with "/" (or is over 8,192 characters)',
        ),
        404: err('Unknown tenant'),
        ...keyErrorResponses(),
      },
    },
  };
}
