// The blocked-origins feature's public face: other features and the routes import only from here.
export { BlockedOriginsPanel } from './components/blocked-origins-panel.js';
