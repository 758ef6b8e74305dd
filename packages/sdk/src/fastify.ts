// Fastify plugin: an onRequest hook applying corsplane's decision, answering preflights itself
// (also on routes that have no OPTIONS handler) unless preflightContinue is set.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CorsAdapterOptions } from './adapter-options.js';
import type { CorsResolver } from './resolver.js';
import type { CorsDecision } from './types.js';
import { appendVary } from './vary.js';

export interface FastifyCorsplaneOptions extends CorsAdapterOptions {
  resolver: CorsResolver;
}

function apply(
  decision: CorsDecision,
  reply: FastifyReply,
  successStatus: number,
  preflightContinue: boolean,
): boolean {
  const headers = decision.headers;
  for (const name in headers) {
    const value = headers[name] as string;
    reply.header(name, name === 'vary' ? appendVary(reply.getHeader('vary'), value) : value);
  }
  if (!decision.preflight || (decision.allowed && preflightContinue)) return false;
  reply
    .code(decision.allowed ? successStatus : (decision.status ?? 403))
    .header('content-length', '0')
    .send();
  return true;
}

async function corsplanePlugin(
  fastify: FastifyInstance,
  options: FastifyCorsplaneOptions,
): Promise<void> {
  const { resolver } = options;
  const successStatus = options.optionsSuccessStatus ?? 204;
  const preflightContinue = options.preflightContinue ?? false;
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    // The request itself is what the resolver reads (method, headers) and what a tenant function sees.
    const decision = resolver.lookup(request) ?? (await resolver.resolve(request));
    if (apply(decision, reply, successStatus, preflightContinue)) return reply;
    return undefined;
  });
}

// Applies to the whole instance, like fastify-plugin's skip-override, without depending on it.
(corsplanePlugin as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')] = true;
(corsplanePlugin as unknown as Record<symbol, unknown>)[Symbol.for('fastify.display-name')] =
  'corsplane';

/** `await fastify.register(fastifyCorsplane, { resolver })`. */
export const fastifyCorsplane = corsplanePlugin;
