import { adminBodiesSuite } from './admin-bodies-suite.js';

// Fuzz family 3, second half: see admin-bodies-suite.ts.
adminBodiesSuite('keys-users-auth-events');
