// The candidate feature's public surface: other features and the routes import from here only.
export { candidateKeys } from './api/query-keys.js';
export { candidateQueryOptions, useCandidate } from './api/get-candidate.js';
export { CandidatePage } from './components/candidate-page.js';
export { SaveAsCandidateButton } from './components/save-as-candidate-button.js';
