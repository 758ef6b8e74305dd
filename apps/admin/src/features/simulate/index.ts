// The simulate feature's public face: other features import only from here.
export { TestOriginPanel } from './components/test-origin-panel.js';
export { simulate, useSimulate } from './api/simulate.js';
export { reasonText, entryName } from './lib/reason-text.js';
