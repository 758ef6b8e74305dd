import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ErrorBody, ImportResult } from '@corsplane/contracts';
import { ApiError, NetworkError, seg } from '../../../lib/api-client.js';
import { tenantKeys } from '../../tenants/index.js';
import { refreshPolicy } from './get-policy.js';
import { policyKeys } from './query-keys.js';

export type ImportFormat = 'text/plain' | 'text/csv';

export interface ImportArgs {
  slug: string;
  /** One pattern a line (text/plain), or CSV rows pattern,note,expiresAt (text/csv). */
  text: string;
  format: ImportFormat;
  dryRun: boolean;
}

/**
 * `POST …/policy/origins/import` (SPEC §4.1), all or nothing. A refused import (422) carries the same
 * line-by-line report as a dry run, so both resolve with the report; other failures throw ApiError.
 */
export async function importOrigins({
  slug,
  text,
  format,
  dryRun,
}: ImportArgs): Promise<ImportResult> {
  let res: Response;
  try {
    res = await fetch(
      `/v1/tenants/${seg(slug)}/policy/origins/import${dryRun ? '?dryRun=true' : ''}`,
      {
        method: 'POST',
        headers: { 'content-type': `${format}; charset=utf-8`, accept: 'application/json' },
        body: text,
        credentials: 'same-origin',
      },
    );
  } catch (e) {
    throw new NetworkError(e);
  }
  const body = (await res.json().catch(() => null)) as (ImportResult & Partial<ErrorBody>) | null;
  if (body && Array.isArray(body.errors) && (res.ok || res.status === 422)) return body;
  throw new ApiError(
    res.status,
    body && 'message' in body ? (body as ErrorBody) : null,
    res.headers,
  );
}

export function useImportOrigins() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: importOrigins,
    onSuccess: (r, { slug }) => {
      if (r.dryRun || r.errors.length > 0 || r.added === 0) return;
      return Promise.all([
        qc.invalidateQueries({ queryKey: policyKeys.originLists(slug) }),
        refreshPolicy(qc, slug),
        qc.invalidateQueries({ queryKey: tenantKeys.lists() }),
      ]);
    },
  });
}

/** The live policy as a file (the browser downloads it: Content-Disposition: attachment). */
export const exportUrl = (slug: string, format: 'json' | 'csv') =>
  `/v1/tenants/${seg(slug)}/policy/export?format=${format}`;
