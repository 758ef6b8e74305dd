// The admin-tokens feature's public face: other features and the routes import only from here.
export { AdminTokensPanel } from './components/admin-tokens-panel.js';
