import type { PolicyInput, RouteRuleInput } from '@corsplane/contracts';

/** One editable row of the origins table; `key` is a client-side identity for React lists. */
export interface OriginRow {
  key: string;
  pattern: string;
  note: string;
  /** ISO 8601 instant, or null: never expires. */
  expiresAt: string | null;
}

/** The editor's working copy of a policy document. */
export interface PolicyDraft {
  mode: PolicyInput['mode'];
  origins: OriginRow[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposedHeaders: string[];
  allowCredentials: boolean;
  maxAgeSeconds: number | null;
  allowPrivateNetwork: boolean;
  /** Per-route rules (SPEC §2.1), each with only the fields it overrides; kept as the API gave them. */
  routes: RouteRuleInput[];
}

let nextKey = 0;
export const newRowKey = (): string => `o${++nextKey}`;

export function originRow(pattern = '', note = '', expiresAt: string | null = null): OriginRow {
  return { key: newRowKey(), pattern, note, expiresAt };
}

export function toDraft(policy: PolicyInput): PolicyDraft {
  return {
    mode: policy.mode,
    origins: policy.origins.map((o) => originRow(o.pattern, o.note ?? '', o.expiresAt ?? null)),
    allowedMethods: [...policy.allowedMethods],
    allowedHeaders: [...policy.allowedHeaders],
    exposedHeaders: [...policy.exposedHeaders],
    allowCredentials: policy.allowCredentials,
    maxAgeSeconds: policy.maxAgeSeconds,
    allowPrivateNetwork: policy.allowPrivateNetwork,
    routes: policy.routes ?? [],
  };
}

/** The document the API and the engine take (no version: the server assigns it). */
export function fromDraft(draft: PolicyDraft): PolicyInput {
  return {
    mode: draft.mode,
    origins: draft.origins.map((o) => ({
      pattern: o.pattern.trim(),
      note: o.note.trim() === '' ? null : o.note.trim(),
      expiresAt: o.expiresAt,
    })),
    allowedMethods: draft.allowedMethods,
    allowedHeaders: draft.allowedHeaders,
    exposedHeaders: draft.exposedHeaders,
    allowCredentials: draft.allowCredentials,
    maxAgeSeconds: draft.maxAgeSeconds,
    allowPrivateNetwork: draft.allowPrivateNetwork,
    // Without routes the document keeps the shape it always had (the API stores none either).
    ...(draft.routes.length > 0 ? { routes: draft.routes } : {}),
  };
}

/** A stored policy without its version, so it compares with a draft. */
export function withoutVersion(policy: PolicyInput): PolicyInput {
  const { version: _v, ...rest } = policy;
  return {
    ...rest,
    origins: rest.origins.map((o) => ({
      pattern: o.pattern,
      note: o.note ?? null,
      expiresAt: o.expiresAt ?? null,
    })),
  };
}

/** `YYYY-MM-DDTHH:mm` in local time, for <input type="datetime-local">. */
export function isoToLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function localInputToIso(local: string): string | null {
  if (!local) return null;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
