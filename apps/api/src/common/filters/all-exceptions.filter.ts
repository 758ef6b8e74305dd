import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from '../errors/to-error-response.js';
import { LOGGER, type Logger } from '../logging/logger.js';

/**
 * The one place errors become HTTP answers: SPEC §4's body, never a stack trace; an unexpected error is logged
 * with the request id. Used by the Nest filter below and by each Fastify route's error handler (app.setup.ts),
 * which answers what Fastify refuses before Nest runs.
 */
export function replyWithError(
  exception: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  logger: Pick<Logger, 'error'>,
): void {
  const res = toErrorResponse(exception);
  if (res.unexpected) logger.error({ err: exception, reqId: request.id }, 'unhandled error');
  void reply.status(res.status).headers(res.headers).send(res.body);
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    replyWithError(
      exception,
      http.getRequest<FastifyRequest>(),
      http.getResponse<FastifyReply>(),
      this.logger,
    );
  }
}
