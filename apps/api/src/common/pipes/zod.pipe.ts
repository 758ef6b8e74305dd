import type { PipeTransform } from '@nestjs/common';
import type { ApiIssue } from '@corsplane/contracts';
import type { z } from 'zod';
import { AppError } from '../errors/app-error.js';

/** `a.b[2].c` from a zod issue path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

export function zodIssues(error: z.ZodError): ApiIssue[] {
  return error.issues.map((i) => {
    const keys = i.code === 'unrecognized_keys' ? (i as { keys?: string[] }).keys : undefined;
    return {
      path: formatPath(i.path),
      reason: i.code === 'unrecognized_keys' ? 'unknown-field' : i.code,
      message: keys ? `unknown field(s): ${keys.join(', ')}` : i.message,
    };
  });
}

/** Validates a body, query or param against a `@corsplane/contracts` schema; 400 with one detail per problem. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly what = 'request',
  ) {}

  transform(value: unknown): z.infer<S> {
    const parsed = this.schema.safeParse(value);
    if (!parsed.success)
      throw new AppError('bad-request', `Invalid ${this.what}`, zodIssues(parsed.error));
    return parsed.data;
  }
}
