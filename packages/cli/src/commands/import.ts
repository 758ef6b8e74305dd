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

/** A 404 means a missing tenant, or a server older than the bulk import: say which. */
async function explainNotFound(client: ApiClient, slug: string): Promise<CliError> {
  const tenant = await client.request('GET', tenantPath(slug, '/policy'), { accept: [404] });
  if (tenant.status === 404)
    return new CliError(`Tenant "${slug}" does not exist on ${client.url}`);
  return new CliError(
    `${client.url} has no bulk import (POST …/policy/origins/import answered 404): upgrade the server`,
  );
}

export async function importOrigins(
  client: ApiClient,
  slug: string,
  file: string,
  options: ImportOptions,
): Promise<number> {
  const text = readTextFile(file);
  const route = tenantPath(slug, `/policy/origins/import${options.dryRun ? '?dryRun=true' : ''}`);
  let answer: ImportAnswer & { details?: ImportAnswer['errors'] };
  try {
    const response = await client.request<typeof answer>('POST', route, {
      rawBody: { contentType: contentTypeOf(file), text },
      headers: options.note ? { 'x-change-note': options.note } : {},
      accept: [422],
    });
    answer = response.body;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404)
      throw await explainNotFound(client, slug);
    throw error;
  }
  // A refused import may answer the lines in `errors` (SPEC §4.1) or as a 422's `details`.
  const errors = answer.errors ?? answer.details ?? [];
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
