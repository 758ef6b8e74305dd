import type { Policy, PolicyInput } from '@corsplane/contracts';
import type { PolicyDocument } from '@corsplane/policy';

/** The stored, canonical form of a policy document: every field present, nulls instead of absences. */
export type CanonicalPolicy = Omit<Policy, 'version'>;

function canonicalInstant(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : new Date(t).toISOString();
}

/** One allow-list entry in its stored form. */
export function canonicalEntry(
  o: PolicyDocument['origins'][number],
): CanonicalPolicy['origins'][number] & {
  note: string | null;
  expiresAt: string | null;
} {
  return { pattern: o.pattern, note: o.note ?? null, expiresAt: canonicalInstant(o.expiresAt) };
}

export function canonicalPolicy(doc: PolicyDocument | PolicyInput): CanonicalPolicy {
  return {
    mode: doc.mode,
    origins: doc.origins.map(canonicalEntry),
    allowedMethods: [...doc.allowedMethods],
    allowedHeaders: [...doc.allowedHeaders],
    exposedHeaders: [...doc.exposedHeaders],
    allowCredentials: doc.allowCredentials,
    maxAgeSeconds: doc.maxAgeSeconds,
    allowPrivateNetwork: doc.allowPrivateNetwork,
  };
}

/** Parses `If-Match`: `"7"`, `W/"7"` or a bare `7`. Undefined when absent, null when unparsable. */
export function parseIfMatch(header: string | string[] | undefined): number | null | undefined {
  if (header === undefined) return undefined;
  const raw = (Array.isArray(header) ? header.join(',') : header).trim();
  if (raw === '') return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(raw);
  return m?.[1] ? Number(m[1]) : null;
}

export const etagOf = (version: number) => `"${version}"`;
