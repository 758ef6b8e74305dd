/** Query keys of the platform-policy feature: the platform baseline document. */
export const baselineKeys = {
  platform: () => ['platform', 'policy'] as const,
};
