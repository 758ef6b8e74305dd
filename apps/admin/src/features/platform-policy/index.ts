export { BaselinePage } from './components/baseline-page.js';
