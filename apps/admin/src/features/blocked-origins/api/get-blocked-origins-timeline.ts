import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { BlockedOriginsTimeline, BlockedOriginsTimelineQuery } from '@corsplane/contracts';
import { api, seg } from '../../../lib/api-client.js';
import { blockedOriginsKeys } from './query-keys.js';

export type BlockedOriginsTimelineFilter = Pick<BlockedOriginsTimelineQuery, 'bucket'> &
  Partial<Pick<BlockedOriginsTimelineQuery, 'since' | 'until' | 'q'>>;

/** Refusals per hour or UTC day, zero-filled: the whole chart in one request. */
export const getBlockedOriginsTimeline = (
  slug: string,
  f: BlockedOriginsTimelineFilter,
  signal?: AbortSignal,
) =>
  api<BlockedOriginsTimeline>(`/v1/tenants/${seg(slug)}/blocked-origins/timeline`, {
    query: { since: f.since, until: f.until, bucket: f.bucket, q: f.q },
    signal,
  });

export const blockedOriginsTimelineQueryOptions = (slug: string, f: BlockedOriginsTimelineFilter) =>
  queryOptions({
    queryKey: blockedOriginsKeys.timeline(slug, f),
    queryFn: ({ signal }) => getBlockedOriginsTimeline(slug, f, signal),
    // Keep the bars while a new range or search loads, but never another tenant's.
    placeholderData: (prev, prevQuery) =>
      prevQuery?.queryKey[1] === slug ? keepPreviousData(prev) : undefined,
  });

export const useBlockedOriginsTimeline = (slug: string, f: BlockedOriginsTimelineFilter) =>
  useQuery(blockedOriginsTimelineQueryOptions(slug, f));
