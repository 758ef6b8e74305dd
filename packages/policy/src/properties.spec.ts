// Property tests (fast-check) for the invariants the table tests can only sample.
import fc from 'fast-check';
import { compilePolicy } from './compile.js';
import { decide } from './decide.js';
import { parseOriginPattern } from './origin-pattern.js';
import { parseRequestOrigin } from './request-origin.js';
import { emptyPolicy } from './validate.js';
import {
  grantsBeyondEnforce,
  reportOnlyPolicyFields,
  reportOnlyRequest,
} from '../conformance/report-only-property.js';

const label = fc.stringMatching(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?$/);
const domain = fc.array(label, { minLength: 2, maxLength: 4 }).map((labels) => labels.join('.'));
const scheme = fc.constantFrom('http', 'https', 'HTTPS', 'wss', 'chrome-extension', 'capacitor');
const port = fc.option(
  fc.oneof(fc.integer({ min: 0, max: 65535 }).map(String), fc.constantFrom('80', '443', '*')),
  { nil: undefined },
);

const patternText = fc
  .record({ scheme, wildcard: fc.boolean(), host: domain, port })
  .map(
    ({ scheme, wildcard, host, port }) =>
      `${scheme}://${wildcard ? '*.' : ''}${host}${port === undefined ? '' : `:${port}`}`,
  );

describe('origin pattern normalisation (property)', () => {
  it('is idempotent: a normalised pattern re-parses to itself', () => {
    fc.assert(
      fc.property(patternText, (text) => {
        const first = parseOriginPattern(text);
        fc.pre(first.ok);
        const normalised = first.ok ? first.pattern.normalised : '';
        const second = parseOriginPattern(normalised);
        expect(second).toEqual(first);
      }),
      { numRuns: 2000 },
    );
  });

  it('produces lower-case text without a default port', () => {
    fc.assert(
      fc.property(patternText, (text) => {
        const parsed = parseOriginPattern(text);
        fc.pre(parsed.ok);
        const normalised = parsed.ok ? parsed.pattern.normalised : '';
        expect(normalised).toBe(normalised.toLowerCase());
        expect(normalised).not.toMatch(/^https:\/\/[^/]*:443$|^http:\/\/[^/]*:80$/);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        expect(typeof parseOriginPattern(text).ok).toBe('boolean');
      }),
      { numRuns: 3000 },
    );
  });
});

describe('wildcard matching (property)', () => {
  // Candidate origins: true subdomains, the apex, look-alikes, and random strings.
  const candidate = (base: string) =>
    fc.oneof(
      fc
        .array(label, { minLength: 1, maxLength: 3 })
        .map((labels) => `https://${labels.join('.').toLowerCase()}.${base}`),
      fc.constant(`https://${base}`),
      label.map((l) => `https://${l.toLowerCase()}${base}`),
      label.map((l) => `https://${base}.${l.toLowerCase()}.com`),
      fc.constantFrom('http', 'wss').map((s) => `${s}://a.${base}`),
      fc.string({ maxLength: 40 }).map((s) => `https://${s}`),
      fc.string({ maxLength: 60 }),
    );

  it('an origin matched by a wildcard always ends with .<domain> on a label boundary', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(label, label)
          .map(([a, b]) => `${a}.corp-${b}.com`.toLowerCase())
          .chain((base) => fc.tuple(fc.constant(base), candidate(base))),
        ([base, origin]) => {
          const policy = compilePolicy({ ...emptyPolicy(), origins: [`https://*.${base}`] });
          const decision = decide(policy, { method: 'GET', headers: { origin } });
          if (decision.allowed) {
            expect(decision.reason).toBe('wildcard-match');
            const host = origin.slice('https://'.length);
            expect(origin.startsWith('https://')).toBe(true);
            expect(host.endsWith(`.${base}`)).toBe(true);
            expect(host.length).toBeGreaterThan(base.length + 1);
            expect(decision.headers['access-control-allow-origin']).toBe(origin);
          } else {
            expect(decision.headers).not.toHaveProperty('access-control-allow-origin');
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('decide never reflects an unlisted or malformed origin (property)', () => {
  const policy = compilePolicy({
    ...emptyPolicy(),
    origins: ['https://app.acme.com', 'http://localhost:*'],
    allowCredentials: true,
  });
  const listed = (origin: string) => {
    if (origin === 'https://app.acme.com' || origin === 'http://localhost') return true;
    const port = /^http:\/\/localhost:(0|[1-9][0-9]{0,4})$/.exec(origin)?.[1];
    return port !== undefined && Number(port) <= 65535 && port !== '80';
  };

  it('reflects only listed, well-formed origins', () => {
    const origin = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.string({ maxLength: 20 }).map((s) => `https://app.acme.com${s}`),
      fc.string({ maxLength: 20 }).map((s) => `${s}https://app.acme.com`),
      fc.integer({ min: 0, max: 70000 }).map((p) => `http://localhost:${p}`),
    );
    fc.assert(
      fc.property(origin, fc.constantFrom('GET', 'OPTIONS'), (value, method) => {
        const decision = decide(policy, {
          method,
          headers: { origin: value, 'access-control-request-method': 'GET' },
        });
        const reflected = decision.headers['access-control-allow-origin'];
        if (reflected !== undefined) {
          expect(reflected).toBe(value);
          expect(listed(value)).toBe(true);
          expect(parseRequestOrigin(value)).not.toBeNull();
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('report-only never grants what enforce would refuse (property, SPEC §3)', () => {
  it('sends Allow-Credentials and Allow-Private-Network only where enforce mode would', () => {
    fc.assert(
      fc.property(reportOnlyPolicyFields, reportOnlyRequest, (fields, request) => {
        const enforce = compilePolicy({ ...emptyPolicy(), ...fields, mode: 'enforce' });
        const reportOnly = compilePolicy({ ...emptyPolicy(), ...fields, mode: 'report-only' });
        const reported = decide(reportOnly, request);
        expect(grantsBeyondEnforce(decide(enforce, request), reported.headers)).toEqual([]);
      }),
      { numRuns: 3000, seed: 20261202 },
    );
  });
});
