import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Baseline } from '@corsplane/contracts';
import { request } from '../../../lib/api-client.js';
import { baselineKeys } from './query-keys.js';

export interface BaselineWithEtag {
  baseline: Baseline;
  /** The GET's ETag, sent back as If-Match when saving. */
  etag: string;
}

export async function getBaseline(signal?: AbortSignal): Promise<BaselineWithEtag> {
  const res = await request<Baseline>('/v1/platform/policy', { signal });
  return { baseline: res.data, etag: res.headers.get('etag') ?? `"${res.data.version}"` };
}

export const baselineQueryOptions = () =>
  queryOptions({ queryKey: baselineKeys.platform(), queryFn: ({ signal }) => getBaseline(signal) });

export const useBaseline = () => useQuery(baselineQueryOptions());
