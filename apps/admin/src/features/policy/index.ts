// The policy feature's public face for other features (added by branch flows for audit and versions; the
// editor page itself is imported by its route directly, so its chunk stays its own).
export { PolicyChanges } from './components/policy-changes.js';
export { diffPolicies } from './lib/policy-diff.js';
export { withoutVersion } from './lib/policy-draft.js';
export { suggestPatterns } from './lib/suggest-patterns.js';
export type { PatternSuggestion } from './lib/suggest-patterns.js';
