// `corsplane import <slug> <file>`: adds many origins at once through the server's bulk import
// (CSV `pattern,note,expiresAt`, a JSON array of entries, or one pattern a line), all or nothing.
import path from 'node:path';
import { ApiClient, ApiError, tenantPath } from '../api-client.js';
import { CliError, EXIT_ERROR, EXIT_OK } from '../errors.js';
import { readTextFile } from '../policy-file.js';
import { say, warn } from './output.js';

export interface ImportOptions {
  dryRun?: boolean;
  note?: string;
}

interface ImportAnswer {
  added: number;
  unchanged: number;
  errors: Array<{ line: number; value?: unknown; reason?: string; message: string }>;
}

function contentTypeOf(file: string): string {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'text/csv';
  if (ext === '.json') return 'application/json';
  return 'text/plain';
}

export async function importOrigins(
  client: ApiClient,
  slug: string,
  file: string,
  options: ImportOptions,
): Promise<number> {
  const text = readTextFile(file);
  const route = tenantPath(slug, `/policy/origins/import${options.dryRun ? '?dryRun=true' : ''}`);
  let answer: ImportAnswer;
  try {
    const response = await client.request<ImportAnswer>('POST', route, {
      rawBody: { contentType: contentTypeOf(file), text },
      headers: options.note ? { 'x-change-note': options.note } : {},
      accept: [422],
    });
    answer = response.body;
  } catch (error) {
    if (
      error instanceof ApiError &&
      error.status === 404 &&
      /route/i.test(error.body.message ?? '')
    )
      throw new CliError(
        `${client.url} has no bulk import (POST …/policy/origins/import answered 404): upgrade the server`,
      );
    throw error;
  }
  const errors = Array.isArray(answer.errors) ? answer.errors : [];
  for (const e of errors)
    warn(
      `${file}:${e.line}: ${e.value === undefined ? '' : `${JSON.stringify(e.value)}: `}${e.message}`,
    );
  if (errors.length > 0) {
    warn(`Nothing imported: ${errors.length} line(s) refused.`);
    return EXIT_ERROR;
  }
  say(
    `${slug}: ${answer.added} added, ${answer.unchanged} unchanged${options.dryRun ? ' (dry run, nothing saved)' : ''}`,
  );
  return EXIT_OK;
}
