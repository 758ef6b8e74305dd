/** Query keys of the invitations feature: the pending list, and one link's preview (by its token). */
export const invitationKeys = {
  list: () => ['invitations'] as const,
  preview: (token: string) => ['invitation-preview', token] as const,
};
