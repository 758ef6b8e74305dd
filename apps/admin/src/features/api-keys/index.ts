// The api-keys feature's public face: other features and routes import only from here.
export { ApiKeysPanel } from './components/api-keys-panel.js';
export type { KeyScope } from './api/keys.js';
