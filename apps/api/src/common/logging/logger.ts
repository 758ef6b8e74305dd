import type { LoggerService } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { prettyDestination } from './pretty-destination.js';

export type Logger = PinoLogger;
export const LOGGER = Symbol('LOGGER');

/** The console page of an invitation link holds its token, a credential: logged without it. */
export function loggableUrl(url: string): string {
  return url.startsWith('/invite/') ? '/invite/[redacted]' : url;
}

/** Fastify's own request serializer, but with `loggableUrl` (Fastify keeps a logger's own serializers). */
function serializeRequest(req: FastifyRequest) {
  return {
    method: req.method,
    url: loggableUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/**
 * Structured JSON logs, or human-readable lines (`pretty`: what `LOG_FORMAT=auto` picks when stdout is a
 * terminal). Secrets in headers and invitation tokens in URLs are redacted either way. `destination`
 * (tests) replaces stdout.
 */
export function createLogger(
  level: string,
  format: 'json' | 'pretty' = 'json',
  destination?: DestinationStream,
): Logger {
  const options = {
    level,
    base: { service: 'corsplane-api' },
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    serializers: { req: serializeRequest },
    hooks: {
      // Fastify announces each bound address at info; main.ts prints the one URL to open, so these go to debug.
      logMethod(
        this: PinoLogger,
        args: unknown[],
        method: (...a: unknown[]) => void,
        level: number,
      ) {
        if (
          level === 30 &&
          typeof args[0] === 'string' &&
          args[0].startsWith('Server listening at')
        ) {
          if (this.isLevelEnabled('debug')) this.debug(args[0]);
          return;
        }
        method.apply(this, args);
      },
    },
  };
  if (destination !== undefined) return pino(options, destination);
  // Synchronous like the pretty destination: lines keep their order with what main() writes to stdout (the
  // first-admin block after the listening line) and none is lost when the process exits.
  return format === 'pretty'
    ? pino(options, prettyDestination())
    : pino(options, pino.destination({ dest: 1, sync: true }));
}

/** `LOG_FORMAT`: `auto` is pretty on a terminal and JSON otherwise (a file, a pipe, a log collector). */
export function logFormatOf(
  setting: 'auto' | 'json' | 'pretty',
  stdout: { isTTY?: boolean } = process.stdout,
): 'json' | 'pretty' {
  if (setting !== 'auto') return setting;
  return stdout.isTTY ? 'pretty' : 'json';
}

/** Nest's own log lines (bootstrap, route mapping) through the same pino logger. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
