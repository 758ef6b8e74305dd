/**
 * Query keys of the auth feature. `me` is the session: sign-in (and accepting an invitation) seeds it
 * after clearing the cache, sign-out clears everything.
 */
export const authKeys = {
  me: () => ['me'] as const,
  sso: () => ['auth', 'sso'] as const,
};
