import { HttpStatus } from '@nestjs/common';
import type { ErrorCode } from './app-error.js';

export const ERROR_STATUS: Record<ErrorCode, HttpStatus> = {
  'bad-request': HttpStatus.BAD_REQUEST,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  'precondition-failed': HttpStatus.PRECONDITION_FAILED,
  'payload-too-large': HttpStatus.PAYLOAD_TOO_LARGE,
  'unsupported-media-type': HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  'policy-invalid': HttpStatus.UNPROCESSABLE_ENTITY,
  'precondition-required': HttpStatus.PRECONDITION_REQUIRED,
  'too-many-requests': HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  internal: HttpStatus.INTERNAL_SERVER_ERROR,
};
