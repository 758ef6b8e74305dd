/** The tenant a tenant-scoped route works on (resolved from `:slug` by AccessGuard). */
export interface TenantRecord {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}
