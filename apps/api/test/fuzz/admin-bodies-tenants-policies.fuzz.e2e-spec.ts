import { adminBodiesSuite } from './admin-bodies-suite.js';

// Fuzz family 3, first half: see admin-bodies-suite.ts.
adminBodiesSuite('tenants-policies');
