import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import type { OriginList } from '@corsplane/contracts';
import { api, seg } from '../../../lib/api-client.js';
import { policyKeys } from './query-keys.js';

/** Entries per request: a screenful several times over, well under the API's 500 bound. */
export const ORIGINS_PAGE_SIZE = 200;

export const getOrigins = (
  slug: string,
  { q, cursor, limit = ORIGINS_PAGE_SIZE }: { q: string; cursor?: string; limit?: number },
  signal?: AbortSignal,
) =>
  api<OriginList>(`/v1/tenants/${seg(slug)}/policy/origins`, {
    query: { q, cursor, limit },
    signal,
  });

/** The live policy's entries in document order, page after page (`q`: substring of pattern or note). */
export const originsQueryOptions = (slug: string, q: string) =>
  infiniteQueryOptions({
    queryKey: policyKeys.origins(slug, q),
    queryFn: ({ pageParam, signal }) => getOrigins(slug, { q, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const useOrigins = (slug: string, q: string) =>
  useInfiniteQuery(originsQueryOptions(slug, q));
