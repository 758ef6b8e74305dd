import type { ImportResult } from '@corsplane/contracts';
import type { AdminApi } from './api.js';

/** The patterns of the 100,000-origin tenant: `https://c<i>.example.com`, i from 0. */
export const scaleOrigin = (i: number) => `https://c${i}.example.com`;

/** A tenant at the SPEC §2.3 limit's order of size, seeded through the import API (one version). */
export async function seedScaleTenant(api: AdminApi, slug: string, count: number): Promise<void> {
  await api.createTenant(slug);
  const lines = Array.from({ length: count }, (_, i) => scaleOrigin(i));
  const r = await api.call<ImportResult>(
    'POST',
    `/v1/tenants/${slug}/policy/origins/import`,
    lines,
  );
  if (r.status !== 200 || r.body.added !== count)
    throw new Error(
      `seeding ${slug} answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`,
    );
}
