import { seg } from '../../../lib/api-client.js';

/**
 * Whose keys: a tenant's slug, or null for the platform keys (no tenant; they call /resolve with `tenant=`).
 */
export type KeyScope = string | null;

/** The API path of a scope's keys. */
export const keysPath = (scope: KeyScope) =>
  scope === null ? '/v1/keys' : `/v1/tenants/${seg(scope)}/keys`;

/** Query keys of the api-keys feature: a tenant's start with the tenant, so switching never shows another's. */
export const apiKeysKeys = {
  list: (scope: KeyScope) =>
    scope === null ? (['platform', 'keys'] as const) : (['tenants', scope, 'keys'] as const),
};
