import type { Me } from '@corsplane/contracts';

/** The signed-in platform admin of component tests. */
export const platformAdmin: Me = {
  id: 'u1',
  email: 'admin@acme.test',
  name: null,
  platformRole: 'admin',
  memberships: [],
  authMethod: 'session',
};
