import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import type { AuditList } from '@corsplane/contracts';
import { api } from '../../../lib/api-client.js';
import { auditKeys } from './query-keys.js';

export interface AuditFilter {
  tenant?: string;
  actor?: string;
  action?: string;
}

export const getAudit = (f: AuditFilter, before: string | undefined, signal?: AbortSignal) =>
  api<AuditList>('/v1/audit', {
    query: { tenant: f.tenant, actor: f.actor, action: f.action, before, limit: 50 },
    signal,
  });

export const auditQueryOptions = (f: AuditFilter) =>
  infiniteQueryOptions({
    queryKey: auditKeys.list(f),
    queryFn: ({ pageParam, signal }) => getAudit(f, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const useAudit = (f: AuditFilter) => useInfiniteQuery(auditQueryOptions(f));
