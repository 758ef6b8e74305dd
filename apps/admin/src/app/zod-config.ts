import { config } from 'zod';

// zod probes `new Function` once to pick a faster parser; the console's CSP forbids eval, so skip the probe.
// Imported first by main.tsx, before any schema of @corsplane/contracts is built.
config({ jitless: true });
