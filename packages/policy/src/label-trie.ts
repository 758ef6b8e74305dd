// The reversed-label trie behind `*.domain` entries. Children are keyed by a hash of the label
// computed straight from the request's characters, so walking a host allocates no substrings
// (slicing each label and hashing the slice costs several times more in V8). A hash collision
// is resolved by comparing the characters, through a short chain.
import type { CompiledEntry } from './compile.js';

export interface LabelNode {
  readonly label: string;
  readonly children: Map<number, LabelNode>;
  /** The next child of the same parent whose label has the same hash. */
  next: LabelNode | null;
  /** Entries for `*.<domain of this node>`, by scheme; null when none end here. */
  entries: Map<string, SchemeEntries> | null;
}

export interface SchemeEntries {
  /** By port as serialised ('' for the default port). */
  readonly byPort: Map<string, CompiledEntry>;
  /** The `:*` entry, if any. */
  anyPort: CompiledEntry | null;
}

export function createLabelNode(label: string): LabelNode {
  return { label, children: new Map(), next: null, entries: null };
}

/** FNV-1a over `value[start, end)`, kept within V8's small-integer range. */
export function hashLabel(value: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash & 0x3fffffff;
}

/** The child for `label`, created when missing (compile time). */
export function childFor(node: LabelNode, label: string): LabelNode {
  const hash = hashLabel(label, 0, label.length);
  const first = node.children.get(hash);
  for (let child: LabelNode | null | undefined = first; child; child = child.next) {
    if (child.label === label) return child;
  }
  const created = createLabelNode(label);
  created.next = first ?? null;
  node.children.set(hash, created);
  return created;
}

/** The child whose label is `value[start, end)`, or undefined (request time, no allocation). */
export function findChild(
  node: LabelNode,
  value: string,
  start: number,
  end: number,
): LabelNode | undefined {
  let child: LabelNode | null | undefined = node.children.get(hashLabel(value, start, end));
  for (; child; child = child.next) {
    if (sameCharacters(child.label, value, start, end)) return child;
  }
  return undefined;
}

function sameCharacters(label: string, value: string, start: number, end: number): boolean {
  if (label.length !== end - start) return false;
  for (let i = 0; i < label.length; i++) {
    if (label.charCodeAt(i) !== value.charCodeAt(start + i)) return false;
  }
  return true;
}
