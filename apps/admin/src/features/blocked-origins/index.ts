// The blocked-origins feature's public face: other features and the routes import only from here.
export { BlockedOriginsPanel } from './components/blocked-origins-panel.js';
// The refusals chart and its time windows, also drawn by the candidate page (would-be refusals).
export { RefusalsChart, type Bar } from './components/refusals-chart.js';
export { RANGES, windowFor, type RangeKey } from './lib/time-buckets.js';
