import { queryOptions, useQuery } from '@tanstack/react-query';
import type { User } from '@corsplane/contracts';
import { api } from '../../../lib/api-client.js';
import { userKeys } from './query-keys.js';

export const getUsers = (signal?: AbortSignal) => api<{ items: User[] }>('/v1/users', { signal });

export const usersQueryOptions = () =>
  queryOptions({ queryKey: userKeys.list(), queryFn: ({ signal }) => getUsers(signal) });

export const useUsers = () => useQuery(usersQueryOptions());
