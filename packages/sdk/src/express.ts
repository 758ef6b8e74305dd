// Express/Connect middleware: the full policy from the service (origins, methods, headers,
// credentials, max-age), a drop-in for `app.use(cors({...}))`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CorsAdapterOptions } from './adapter-options.js';
import type { CorsResolver } from './resolver.js';
import type { CorsDecision } from './types.js';
import { appendVary } from './vary.js';

type Next = (error?: unknown) => void;

/** Connect-style middleware applying corsplane's decision to every request. */
export function corsMiddleware(resolver: CorsResolver, options: CorsAdapterOptions = {}) {
  const successStatus = options.optionsSuccessStatus ?? 204;
  const preflightContinue = options.preflightContinue ?? false;

  const apply = (decision: CorsDecision, res: ServerResponse, next: Next): void => {
    const headers = decision.headers;
    for (const name in headers) {
      const value = headers[name] as string;
      res.setHeader(name, name === 'vary' ? appendVary(res.getHeader('vary'), value) : value);
    }
    if (!decision.preflight) return next();
    // A failed preflight never reaches the route handler (Fetch §3.2.3: it ends the request).
    if (decision.allowed && preflightContinue) return next();
    res.statusCode = decision.allowed ? successStatus : (decision.status ?? 403);
    res.setHeader('content-length', '0');
    res.end();
  };

  return function corsplane(req: IncomingMessage, res: ServerResponse, next: Next): void {
    // The request itself is what the resolver reads (method, headers) and what a tenant function sees.
    const cached = resolver.lookup(req);
    if (cached !== undefined) return apply(cached, res, next);
    resolver.resolve(req).then((decision) => apply(decision, res, next), next);
  };
}
