/** Query keys of the users feature: one list (GET /v1/users), which every user write invalidates. */
export const userKeys = {
  list: () => ['users'] as const,
};
