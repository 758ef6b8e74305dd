// @corsplane/sdk: the corsplane resolver and its framework adapters (SPEC §5).
export { createCorsResolver } from './resolver.js';
export type { CorsResolver, OriginOption, ResolverStats } from './resolver.js';
export { corsMiddleware } from './express.js';
export { fastifyCorsplane } from './fastify.js';
export type { FastifyCorsplaneOptions } from './fastify.js';
export { enableCorsplane } from './nest.js';
export type { NestApplicationLike } from './nest.js';
export type { CorsAdapterOptions } from './adapter-options.js';
export type { BlockedEvent, BlockedEventsBody } from './blocked-events.js';
export type {
  CorsDecision,
  CorsResolverOptions,
  IncomingCorsRequest,
  ResolveReason,
} from './types.js';
export { appendVary } from './vary.js';
