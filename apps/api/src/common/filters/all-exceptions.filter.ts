import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from '../errors/to-error-response.js';
import { LOGGER, type Logger } from '../logging/logger.js';

/** The one place errors become HTTP answers: SPEC §4's body, never a stack trace. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const res = toErrorResponse(exception);
    if (res.unexpected) this.logger.error({ err: exception, reqId: request.id }, 'unhandled error');
    void reply.status(res.status).headers(res.headers).send(res.body);
  }
}
