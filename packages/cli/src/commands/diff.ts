// `corsplane diff <file>`: what apply would change, per tenant. Exit 0 without drift, 1 with drift
// (for CI), 2 on any error.
import type { ApiClient } from '../api-client.js';
import { EXIT_DRIFT, EXIT_ERROR, EXIT_OK } from '../errors.js';
import { readPolicyFile } from '../policy-file.js';
import { formatDiff, hasChanges, type PolicyDiff } from '../policy-diff.js';
import { buildPlan, planHasChanges, type Plan } from '../plan.js';
import { say } from './output.js';

function summary(diff: PolicyDiff): string {
  const parts = [
    `${diff.added.length} added`,
    `${diff.removed.length} removed`,
    `${diff.changed.length} changed`,
  ];
  if (diff.fields.length > 0) parts.push(`${diff.fields.length} field(s)`);
  return parts.join(', ');
}

function versions(fileVersion: number | undefined, liveVersion: number): string {
  if (fileVersion === undefined) return `live v${liveVersion}, file has no version`;
  if (fileVersion === liveVersion) return `v${liveVersion}`;
  return `file v${fileVersion}, live v${liveVersion}`;
}

/** Prints, per tenant and for the baseline, what differs between the file and the server. */
export function printPlan(plan: Plan): void {
  for (const tenant of plan.tenants) {
    const where = versions(tenant.fileVersion, tenant.liveVersion);
    if (tenant.errors.length > 0) {
      say(`${tenant.slug}: INVALID (${where})`);
      for (const issue of tenant.errors) say(`  ! ${issue.path}: ${issue.message}`);
      continue;
    }
    if (!hasChanges(tenant.diff)) {
      say(`${tenant.slug}: no drift (${where})`);
    } else {
      say(`${tenant.slug}: ${summary(tenant.diff)} (${where})`);
      for (const line of formatDiff(tenant.diff)) say(line);
    }
    for (const issue of tenant.warnings) say(`  warning ${issue.path}: ${issue.message}`);
  }
  if (plan.platform) {
    const where = versions(plan.platform.fileVersion, plan.platform.liveVersion);
    if (!hasChanges(plan.platform.diff)) say(`platform baseline: no drift (${where})`);
    else {
      say(`platform baseline: ${summary(plan.platform.diff)} (${where})`);
      for (const line of formatDiff(plan.platform.diff)) say(line);
    }
  }
}

export function planIsInvalid(plan: Plan): boolean {
  return plan.tenants.some((t) => t.errors.length > 0);
}

export async function diffFile(client: ApiClient, file: string): Promise<number> {
  const plan = await buildPlan(client, readPolicyFile(file));
  printPlan(plan);
  // A policy the engine refuses is a bad file, not drift: CI should say "fix the file".
  if (planIsInvalid(plan)) return EXIT_ERROR;
  return planHasChanges(plan) ? EXIT_DRIFT : EXIT_OK;
}
