import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import type { Env } from '../../config/env.schema.js';

/** Which hops of a request's path are trusted proxies: what Fastify's `trustProxy` option takes. */
export type ProxyTrust = false | string[] | ((address: string, hop: number) => boolean);

/**
 * Fastify's trustProxy for TRUST_PROXY. Fastify reads a bare hop count as "trust nobody" (it cannot tell a
 * proxy from a client that reached the API directly), so hops become a function: the `hops` nearest entries
 * (the socket peer, then X-Forwarded-For from the right) are proxies, the next one is the client. Only
 * sound where clients cannot reach the API around the proxies (docs/deploy.md); CIDRs hold everywhere.
 */
export function proxyTrust(setting: Env['TRUST_PROXY']): ProxyTrust {
  if (typeof setting !== 'number') return setting;
  return (_address, hop) => hop < setting;
}

/**
 * The client's address by the same rule as Fastify's `req.ip` (the same library, the same trust), for the
 * routes answered by node:http directly (/resolve, /resolve/headers): one rule for every throttle.
 */
export function clientAddressOf(req: IncomingMessage, trust: ProxyTrust): string {
  if (trust === false) return req.socket.remoteAddress ?? '';
  return proxyAddr(req, trust);
}
