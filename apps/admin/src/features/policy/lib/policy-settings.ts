import type { PolicyInput } from '@corsplane/contracts';
import { policySchema } from '@corsplane/contracts';

/**
 * Everything of a policy but its origins and version: what the settings form edits. The origins are
 * edited one entry at a time through the single-origin API (SPEC §4.1), never held as a form.
 */
export type PolicySettings = Omit<PolicyInput, 'origins' | 'version'>;

/** The contracts' shape check for the settings form (the engine's semantic checks run beside it). */
export const policySettingsSchema = policySchema.omit({ origins: true, version: true });

export function settingsOf(policy: PolicyInput): PolicySettings {
  const { origins: _origins, version: _version, ...settings } = policy;
  return settings;
}

/** Same settings, field by field (lists in order: the order is what the API stores and answers). */
export function sameSettings(a: PolicyInput, b: PolicyInput): boolean {
  return JSON.stringify(canonical(settingsOf(a))) === JSON.stringify(canonical(settingsOf(b)));
}

function canonical(s: PolicySettings): unknown[] {
  return [
    s.mode,
    s.allowedMethods,
    s.allowedHeaders,
    s.exposedHeaders,
    s.allowCredentials,
    s.maxAgeSeconds,
    s.allowPrivateNetwork,
    s.routes ?? [],
  ];
}
