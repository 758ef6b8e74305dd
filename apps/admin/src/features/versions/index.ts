// The versions feature's public face: other features and the routes import only from here.
export { VersionsPanel } from './components/versions-panel.js';
export { versionsQueryOptions } from './api/get-versions.js';
