// NestJS: one call for either HTTP adapter, `await enableCorsplane(app, resolver)`.
import type { CorsAdapterOptions } from './adapter-options.js';
import { corsMiddleware } from './express.js';
import { fastifyCorsplane } from './fastify.js';
import type { CorsResolver } from './resolver.js';

/** The parts of a Nest application the helper uses (INestApplication satisfies it). */
export interface NestApplicationLike {
  getHttpAdapter(): { getType(): string; getInstance(): unknown };
  use(...handlers: unknown[]): unknown;
}

/** Applies corsplane's decisions to every route of a Nest app, on Express or Fastify. */
export async function enableCorsplane(
  app: NestApplicationLike,
  resolver: CorsResolver,
  options: CorsAdapterOptions = {},
): Promise<void> {
  const adapter = app.getHttpAdapter();
  if (adapter.getType() === 'fastify') {
    const instance = adapter.getInstance() as {
      register(plugin: unknown, options: unknown): PromiseLike<unknown>;
    };
    await instance.register(fastifyCorsplane, { ...options, resolver });
  } else {
    app.use(corsMiddleware(resolver, options));
  }
}
