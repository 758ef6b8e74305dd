import type { Issue } from './types.js';

/** Thrown by compilePolicy() for an invalid document; `errors` lists every problem. */
export class PolicyValidationError extends Error {
  override readonly name = 'PolicyValidationError';
  constructor(readonly errors: Issue[]) {
    super(`invalid CORS policy: ${errors.map((issue) => issue.message).join('; ')}`);
  }
}
