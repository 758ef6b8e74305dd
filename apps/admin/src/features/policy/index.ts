// The policy feature's public surface: other features and the routes import from here only.
export { policyKeys } from './api/query-keys.js';
export { policyQueryOptions } from './api/get-policy.js';
export { originsQueryOptions } from './api/get-origins.js';
export { PolicyEditorPage } from './components/policy-editor-page.js';
export { PolicyChanges } from './components/policy-changes.js';
export { diffPolicies, type PolicyChange } from './lib/policy-diff.js';
export { withoutVersion } from './lib/policy-draft.js';
export { suggestPatterns, type PatternSuggestion } from './lib/suggest-patterns.js';
export { getFullPolicy } from './api/get-policy.js';
export { settingsOf, type PolicySettings } from './lib/policy-settings.js';
