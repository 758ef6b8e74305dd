import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import type { ErrorBody } from '@corsplane/contracts';
import { AppError } from './app-error.js';
import { isDatabaseUnavailable, isUnstorableText } from './database-unavailable.js';
import { ERROR_STATUS } from './error-status.map.js';

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** Unexpected errors are logged with their stack; the client never sees it. */
  unexpected: boolean;
}

function body(status: number, message: string, details?: ErrorBody['details']): ErrorBody {
  return {
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    message,
    ...(details ? { details } : {}),
  };
}

/** Maps anything thrown (AppError, Nest or Fastify errors) to SPEC §4's error body. */
export function toErrorResponse(exception: unknown): ErrorResponse {
  if (exception instanceof AppError) {
    const status = ERROR_STATUS[exception.code];
    return {
      status,
      body: body(status, exception.message, exception.details),
      headers: exception.headers ?? {},
      unexpected: false,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const res = exception.getResponse();
    const message =
      typeof res === 'string'
        ? res
        : typeof (res as { message?: unknown }).message === 'string'
          ? (res as { message: string }).message
          : exception.message;
    return { status, body: body(status, message), headers: {}, unexpected: status >= 500 };
  }
  // Fastify's own errors (body parsing, size limit, media type) carry a 4xx statusCode and an FST_ code.
  const e = exception as { statusCode?: unknown; code?: unknown; message?: unknown } | null;
  if (e && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const status = e.statusCode;
    const message =
      e.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? 'Request body is too large'
        : e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'Unsupported content type: send application/json'
          : e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
            ? 'Request body is empty but content-type is application/json'
            : status === 400
              ? `Malformed request: ${typeof e.message === 'string' ? e.message : 'invalid body'}`
              : typeof e.message === 'string'
                ? e.message
                : (STATUS_CODES[status] ?? 'Error');
    return { status, body: body(status, message), headers: {}, unexpected: false };
  }
  // PostgreSQL unreachable (an outage, a restart): a temporary condition, not a bug.
  if (isDatabaseUnavailable(exception))
    return {
      status: 503,
      body: body(503, 'The database is unreachable: retry after a few seconds'),
      headers: { 'retry-after': '5' },
      unexpected: false,
    };
  // Text PostgreSQL cannot store (a NUL character in a name, say): the input's fault, nothing was written.
  if (isUnstorableText(exception))
    return {
      status: 400,
      body: body(400, 'Malformed request: text values cannot contain NUL (\\u0000) characters'),
      headers: {},
      unexpected: false,
    };
  return { status: 500, body: body(500, 'Internal server error'), headers: {}, unexpected: true };
}
