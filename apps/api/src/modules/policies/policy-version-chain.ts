import type { OriginEntry } from '@corsplane/contracts';
import type { CanonicalPolicy } from './policy-document.js';

/**
 * How a tenant's policy versions are stored, and how one is read back.
 *
 * A version row is either a **snapshot** (the whole canonical document) or a **delta** over the version just
 * before it: the origins a single-origin write (`POST`/`PATCH`/`DELETE …/policy/origins`) added, changed or
 * removed. Single-origin writes never change the settings (mode, methods, headers, flags, routes), so a delta
 * carries origins only; every write that may change anything else (PUT, restore, import, a new tenant) writes a
 * snapshot, and so does a single-origin write whose version would be POLICY_SNAPSHOT_INTERVAL (1,000) versions
 * past its chain's snapshot (PolicyOriginsRepository.writeDelta), which bounds what a read replays. A delta row names the snapshot its chain starts from, so version v is read as the rows
 * `snapshotVersion..v`: the snapshot, then each delta in version order.
 *
 * Document order is the order of a JavaScript Map's keys: an added pattern is new and goes last, a changed one
 * keeps its place, a removed one leaves. That is exactly how the live `origin_entries` positions move (adds
 * append, deletes leave a gap, patches keep the position), so a rebuilt version equals the document the live
 * policy had at that version.
 */
export interface VersionDelta {
  /** Appended at the end, in this order; never already listed. */
  added?: OriginEntry[];
  /** Replaced in place (matched by pattern); always listed. */
  changed?: OriginEntry[];
  /** Patterns removed; always listed. */
  removed?: string[];
}

/** One stored row as the chain reads it: exactly one of `document` and `delta` is set. */
export interface ChainRow {
  version: number;
  document: CanonicalPolicy | null;
  delta: VersionDelta | null;
}

type Entry = CanonicalPolicy['origins'][number];

/** A chain that cannot be replayed: a stored row is missing or contradicts the rows before it. */
export class BrokenVersionChain extends Error {}

/**
 * Replays `rows` (ascending, consecutive versions, the first a snapshot) and calls `emit` with the document of
 * every version in `wanted` (all of them when omitted). Documents share entry objects with each other and with
 * the rows: treat them as read-only. A snapshot inside the range restarts the replay from it.
 */
export function replayChain(
  rows: readonly ChainRow[],
  emit: (version: number, document: CanonicalPolicy) => void,
  wanted?: ReadonlySet<number>,
): void {
  let settings: Omit<CanonicalPolicy, 'origins'> | null = null;
  let origins = new Map<string, Entry>();
  let previous: number | null = null;
  for (const row of rows) {
    if (previous !== null && row.version !== previous + 1)
      throw new BrokenVersionChain(`version ${previous + 1} is missing from the chain`);
    previous = row.version;
    if (row.document) {
      const { origins: list, ...rest } = row.document;
      settings = rest;
      origins = new Map(list.map((o) => [o.pattern, o]));
    } else if (row.delta && settings) {
      applyDelta(origins, row.delta, row.version);
    } else {
      throw new BrokenVersionChain(
        `version ${row.version} is a delta with no snapshot before it in the chain`,
      );
    }
    if (!wanted || wanted.has(row.version))
      emit(row.version, { ...settings, origins: [...origins.values()] });
  }
}

/** The document of the last row of `rows` (see replayChain). */
export function rebuildVersion(rows: readonly ChainRow[]): CanonicalPolicy {
  const last = rows.at(-1);
  if (!last) throw new BrokenVersionChain('an empty chain has no version');
  let document: CanonicalPolicy | undefined;
  replayChain(rows, (_v, d) => (document = d), new Set([last.version]));
  if (!document) throw new BrokenVersionChain(`version ${last.version} was not rebuilt`);
  return document;
}

function applyDelta(origins: Map<string, Entry>, delta: VersionDelta, version: number) {
  for (const pattern of delta.removed ?? [])
    if (!origins.delete(pattern))
      throw new BrokenVersionChain(`version ${version} removes "${pattern}", which is not listed`);
  for (const entry of delta.changed ?? []) {
    if (!origins.has(entry.pattern))
      throw new BrokenVersionChain(
        `version ${version} changes "${entry.pattern}", which is not listed`,
      );
    origins.set(entry.pattern, entry);
  }
  for (const entry of delta.added ?? []) {
    if (origins.has(entry.pattern))
      throw new BrokenVersionChain(`version ${version} adds "${entry.pattern}", which is listed`);
    origins.set(entry.pattern, entry);
  }
}
