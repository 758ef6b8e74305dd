/** Query keys of the admin-tokens feature: your own tokens, under the session's `me`. */
export const tokenKeys = {
  list: () => ['me', 'tokens'] as const,
};
