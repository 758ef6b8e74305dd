import type { Policy, PolicyInput } from '@corsplane/contracts';
import type { PolicyDocument } from '@corsplane/policy';
import { AppError } from '../../common/errors/app-error.js';

/**
 * The stored, canonical form of a policy document: every field present, nulls instead of absences, except
 * `routes`, present only when the policy has some (SPEC §2.1 routes are optional; documents without them
 * keep the shape they always had).
 */
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
    ...(doc.routes !== undefined && doc.routes.length > 0
      ? { routes: doc.routes.map(canonicalRoute) }
      : {}),
  };
}

/** The stored `routes` column (JSON, `[]` when none) as canonicalPolicy() shapes it: absent when empty. */
export function routesField(routes: unknown): Pick<CanonicalPolicy, 'routes'> {
  return Array.isArray(routes) && routes.length > 0
    ? { routes: routes as NonNullable<CanonicalPolicy['routes']> }
    : {};
}

/** A route keeps only the fields it sets (absent ones inherit: SPEC §2.1); its origins as the default's. */
function canonicalRoute(route: NonNullable<CanonicalPolicy['routes']>[number]) {
  const { origins, ...rest } = route;
  if (origins === undefined) return rest;
  return {
    ...rest,
    origins: origins.map((o) => ({
      pattern: o.pattern,
      note: o.note ?? null,
      expiresAt: canonicalInstant(o.expiresAt),
    })),
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

/** `If-Match` of a versioned write (a tenant's policy, the platform baseline): 428 when missing, 400 when unreadable. */
export function requireIfMatch(header: string | undefined, what = 'policy'): number {
  const v = parseIfMatch(header);
  if (v === undefined)
    throw new AppError(
      'precondition-required',
      `If-Match is required: send the ETag of the ${what} you edited`,
    );
  if (v === null)
    throw new AppError(
      'bad-request',
      `If-Match must be the ${what} ETag ("<version>") or the bare version number`,
    );
  return v;
}

/** 412 for a write whose `If-Match` names an older version; the current ETag goes with it. */
export function staleVersionError(what: string, current: number, expected: number): AppError {
  return new AppError(
    'precondition-failed',
    `The ${what} is at version ${current}, not ${expected}: reload it and apply your change again`,
    undefined,
    { etag: etagOf(current) },
  );
}
