// The report-only property of SPEC §3, shared by its three runners: the engine
// (packages/policy/src/properties.spec.ts), `GET /resolve` and `/resolve/headers`
// (apps/api/test/report-only-property.e2e-spec.ts) and the SDK (packages/sdk/test/shadow.spec.ts):
// a report-only policy never grants credentials or private-network access where the same policy in
// enforce mode would not, i.e. to an origin it does not list (or for a request it would refuse).
import fc from 'fast-check';
import type { Decision } from '../src/types.js';

/** Random policy fields (merge into a full document, with `mode: 'report-only'`). */
export const reportOnlyPolicyFields = fc
  .record({
    origins: fc.subarray([
      'https://a.example',
      'https://*.b.example',
      'http://localhost:*',
      'null',
      '*',
    ]),
    allowCredentials: fc.boolean(),
    allowPrivateNetwork: fc.boolean(),
    allowedMethods: fc.subarray(['PUT', 'DELETE', '*']),
    allowedHeaders: fc.subarray(['x-a', 'authorization', '*']),
  })
  // Validation refuses `*` with credentials or private network; such documents never compile.
  .filter((d) => !d.origins.includes('*') || (!d.allowCredentials && !d.allowPrivateNetwork));

/** A random request: listed, wildcard-matched, loopback, opaque and unlisted origins; preflights or not. */
export const reportOnlyRequest = fc
  .record({
    origin: fc.constantFrom(
      'https://a.example',
      'https://x.b.example',
      'http://localhost:8080',
      'null',
      'https://evil.example',
    ),
    preflight: fc.boolean(),
    acrm: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH'),
    acrh: fc.option(fc.constantFrom('x-a', 'x-b', 'authorization'), { nil: undefined }),
    privateNetwork: fc.boolean(),
  })
  .map((r) => {
    const headers: Record<string, string> = { origin: r.origin };
    if (r.preflight) {
      headers['access-control-request-method'] = r.acrm;
      if (r.acrh !== undefined) headers['access-control-request-headers'] = r.acrh;
      if (r.privateNetwork) headers['access-control-request-private-network'] = 'true';
    }
    return { method: r.preflight ? 'OPTIONS' : 'GET', headers };
  });

const GRANTS = [
  'access-control-allow-credentials',
  'access-control-allow-private-network',
] as const;

/**
 * The grants in `sent` (a path's answer headers) that the enforce-mode decision does not make: empty when the
 * property holds.
 */
export function grantsBeyondEnforce(
  enforced: Decision,
  sent: Record<string, string | undefined>,
): string[] {
  return GRANTS.filter(
    (name) =>
      sent[name] !== undefined && (!enforced.allowed || enforced.headers[name] !== sent[name]),
  );
}
