// `corsplane export`: writes the live policies (all tenants, or those named) and the platform
// baseline, each with its version, as one YAML or JSON file.
import fs from 'node:fs';
import { ApiClient, tenantPath, versionOfEtag } from '../api-client.js';
import { CliError } from '../errors.js';
import { formatOf, serialisePolicyFile, type FileFormat, type PolicyFile } from '../policy-file.js';
import { PLATFORM_ROUTE } from '../plan.js';
import { warn } from './output.js';

export interface ExportOptions {
  tenant?: string[];
  output?: string;
  format?: string;
  platform?: boolean;
}

/** Every tenant slug the token can read, following `nextCursor` when the server pages the list. */
async function allTenantSlugs(client: ApiClient): Promise<string[]> {
  const slugs: string[] = [];
  let cursor: string | null = null;
  do {
    const route: string =
      cursor === null ? '/v1/tenants' : `/v1/tenants?cursor=${encodeURIComponent(cursor)}`;
    const page = await client.request<{
      items: Array<{ slug: string }>;
      nextCursor?: string | null;
    }>('GET', route);
    slugs.push(...page.body.items.map((t) => t.slug));
    cursor = page.body.nextCursor ?? null;
  } while (cursor !== null);
  return slugs.sort();
}

export async function exportPolicies(client: ApiClient, options: ExportOptions): Promise<void> {
  const format: FileFormat = options.output
    ? formatOf(options.output)
    : options.format === 'json' || options.format === 'yaml'
      ? options.format
      : options.format === undefined
        ? 'yaml'
        : (() => {
            throw new CliError(`--format must be yaml or json, got "${options.format}"`);
          })();
  const slugs =
    options.tenant && options.tenant.length > 0 ? options.tenant : await allTenantSlugs(client);
  const content: PolicyFile = { tenants: {} };
  for (const slug of slugs) {
    const live = await client.request<Record<string, unknown>>('GET', tenantPath(slug, '/policy'));
    content.tenants[slug] = {
      ...live.body,
      version: versionOfEtag(live.etag) ?? Number(live.body.version),
    };
  }
  if (options.platform !== false) {
    // Older servers have no baseline, and only platform users may read it: export what there is.
    const baseline = await client.request<{ origins: unknown[] }>('GET', PLATFORM_ROUTE, {
      accept: [403, 404],
    });
    if (baseline.status === 200) {
      const version = versionOfEtag(baseline.etag);
      content.platform = {
        origins: baseline.body.origins,
        ...(version === null ? {} : { version }),
      };
    } else {
      warn(`platform baseline not exported (GET ${PLATFORM_ROUTE} answered ${baseline.status})`);
    }
  }
  const text = serialisePolicyFile(content, format);
  if (options.output) {
    fs.writeFileSync(options.output, text);
    warn(
      `Exported ${slugs.length} tenant(s)${content.platform ? ' and the platform baseline' : ''} to ${options.output}`,
    );
  } else {
    process.stdout.write(text);
  }
}
