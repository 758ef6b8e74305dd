import type { ApiIssue } from '@corsplane/contracts';

/** Every failure a feature can report. The HTTP status of each lives in error-status.map.ts only. */
export type ErrorCode =
  | 'bad-request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'precondition-failed'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'policy-invalid'
  | 'precondition-required'
  | 'too-many-requests'
  | 'unavailable'
  | 'internal';

/** The one error type features throw; the global filter turns it into SPEC §4's error body. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ApiIssue[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
