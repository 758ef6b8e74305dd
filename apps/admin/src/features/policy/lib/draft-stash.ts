import type { PolicyWithEtag } from '../api/get-policy.js';
import type { PolicyDraft } from './policy-draft.js';

/**
 * Unsaved edits survive a session expiry (sign-in, then back) and tab switches: they live in this tab's
 * sessionStorage, keyed by tenant, until saved or discarded.
 */
export interface StashedDraft {
  base: PolicyWithEtag;
  draft: PolicyDraft;
}

const key = (slug: string) => `corsplane:policy-draft:${slug}`;

export function readStash(slug: string): StashedDraft | null {
  try {
    const raw = window.sessionStorage.getItem(key(slug));
    if (!raw) return null;
    const parsed = JSON.parse(raw) as StashedDraft;
    return parsed && parsed.base && parsed.draft ? parsed : null;
  } catch {
    return null;
  }
}

export function writeStash(slug: string, value: StashedDraft): void {
  try {
    window.sessionStorage.setItem(key(slug), JSON.stringify(value));
  } catch {
    // Storage full or disabled: the draft just does not survive a reload.
  }
}

export function clearStash(slug: string): void {
  try {
    window.sessionStorage.removeItem(key(slug));
  } catch {
    // ignore
  }
}
