// Compares a policy file with the live server: each tenant's policy is normalised by the server's
// own engine (POST …/policy/validate) so that `https://App.acme.com:443` in the file and
// `https://app.acme.com` live are one entry, then diffed against the live policy.
import { ApiClient, ApiError, tenantPath, versionOfEtag } from './api-client.js';
import { CliError } from './errors.js';
import type { PolicyFile } from './policy-file.js';
import { diffPolicies, hasChanges, type PolicyDiff } from './policy-diff.js';

export interface Issue {
  path: string;
  message: string;
}

export interface TenantPlan {
  slug: string;
  fileVersion: number | undefined;
  liveVersion: number;
  /** The file's policy as the server normalised it (no version): what apply PUTs. */
  policy: Record<string, unknown>;
  diff: PolicyDiff;
  errors: Issue[];
  warnings: Issue[];
}

export interface PlatformPlan {
  fileVersion: number | undefined;
  liveVersion: number;
  origins: unknown[];
  diff: PolicyDiff;
}

export interface Plan {
  tenants: TenantPlan[];
  platform: PlatformPlan | null;
}

export const PLATFORM_ROUTE = '/v1/platform/policy';

interface ValidationAnswer {
  ok: boolean;
  errors: Issue[];
  warnings: Issue[];
  policy?: Record<string, unknown>;
}

function withoutVersion(doc: Record<string, unknown>): Record<string, unknown> {
  const { version: _version, ...rest } = doc;
  return rest;
}

async function planTenant(
  client: ApiClient,
  slug: string,
  doc: Record<string, unknown>,
): Promise<TenantPlan> {
  let live;
  try {
    live = await client.request<Record<string, unknown>>('GET', tenantPath(slug, '/policy'));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404)
      throw new CliError(
        `Tenant "${slug}" does not exist on ${client.url}: create it first (the CLI only edits policies)`,
      );
    throw error;
  }
  const liveVersion = versionOfEtag(live.etag) ?? Number(live.body.version);
  const validation = await client.request<ValidationAnswer>(
    'POST',
    tenantPath(slug, '/policy/validate'),
    {
      body: withoutVersion(doc),
      accept: [400, 422],
    },
  );
  const answer = validation.body;
  const errors =
    validation.status === 200
      ? answer.errors
      : [{ path: '(policy)', message: (answer as { message?: string }).message ?? 'refused' }];
  const policy = answer.ok && answer.policy ? answer.policy : withoutVersion(doc);
  const fileVersion = doc.version as number | undefined;
  return {
    slug,
    fileVersion,
    liveVersion,
    policy,
    diff: diffPolicies(policy, withoutVersion(live.body)),
    errors,
    warnings: validation.status === 200 ? answer.warnings : [],
  };
}

async function planPlatform(
  client: ApiClient,
  file: NonNullable<PolicyFile['platform']>,
): Promise<PlatformPlan> {
  const live = await client.request<{ origins: unknown[]; version?: number }>(
    'GET',
    PLATFORM_ROUTE,
    {
      accept: [404],
    },
  );
  if (live.status === 404) throw platformMissing(client.url);
  const origins = file.origins;
  return {
    fileVersion: file.version,
    liveVersion: versionOfEtag(live.etag) ?? Number(live.body.version),
    origins,
    diff: diffPolicies({ origins }, { origins: live.body.origins }),
  };
}

export function platformMissing(url: string): CliError {
  return new CliError(
    `${url} has no platform baseline API (GET ${PLATFORM_ROUTE} answered 404): upgrade the server or remove "platform" from the file`,
  );
}

export async function buildPlan(client: ApiClient, file: PolicyFile): Promise<Plan> {
  const tenants: TenantPlan[] = [];
  // One tenant at a time: a file may name hundreds, and the server is shared.
  for (const [slug, doc] of Object.entries(file.tenants))
    tenants.push(await planTenant(client, slug, doc));
  const platform = file.platform ? await planPlatform(client, file.platform) : null;
  return { tenants, platform };
}

export function planHasChanges(plan: Plan): boolean {
  return (
    plan.tenants.some((t) => hasChanges(t.diff)) ||
    (plan.platform !== null && hasChanges(plan.platform.diff))
  );
}
