// The one loader of the conformance cases (cases.json), shared by the three runners: the engine
// (packages/policy/src/conformance.spec.ts), `GET /resolve` (apps/api/test/conformance.e2e-spec.ts)
// and the SDK middleware (packages/sdk/test/conformance.spec.ts). It fills policy defaults,
// expands the `{{unit*count}}` markers of long values and checks the data's own consistency.
import { readFileSync } from 'node:fs';
import { emptyPolicy } from '../src/validate.js';
import type { DecisionReason, PolicyDocument } from '../src/types.js';

/** The three ways a decision is made; each case holds on every one, or says why not. */
export type ConformancePath = 'engine' | 'resolve' | 'sdk';
export const CONFORMANCE_PATHS: readonly ConformancePath[] = ['engine', 'resolve', 'sdk'];

/** What a path must answer. Headers are exact: every Access-Control-* header and Vary, nothing else. */
export interface ConformanceExpectation {
  allowed: boolean;
  reason: DecisionReason;
  preflight: boolean;
  /** The status of a preflight's response (absent for actual requests). */
  status?: number;
  headers: Record<string, string>;
  /** Compared when given. */
  matchedPattern?: string | null;
  /** True for a report-only would-be refusal; compared on every case (absent means not report-only). */
  reportOnly?: boolean;
  /** The route that decided (SPEC §2.1), null for the default. Compared when given. */
  route?: string | null;
}

/**
 * Where one path cannot, or does not, give the case's expectation. `transport`: an HTTP stack cannot
 * carry the request as written; `interface`: the path refuses the input by contract (e.g. /resolve's
 * 400); `disagreement`: a real difference between paths, reported and pinned here until it is fixed.
 */
export interface ConformanceDeviation {
  kind: 'transport' | 'interface' | 'disagreement';
  why: string;
  /** /resolve only: the HTTP status it answers instead of 200. */
  httpStatus?: number;
  /** What the path answers instead (status and headers are what the SDK runner can observe). */
  expect?: ConformanceExpectation;
}

export interface ConformanceRequest {
  method: string;
  /** Lower-case names, repeated lines joined with ", " (as Node's http module hands them over). */
  headers: Record<string, string>;
  /** The header lines as sent on the wire: an array is one line per value. */
  wire: Record<string, string | string[]>;
  /** The request target's path and query (SPEC §2.1); absent: no path, the policy's default decides. */
  path?: string;
}

export interface ConformanceCase {
  id: string;
  source: string;
  description: string;
  /** Name of the policy in cases.json `policies` (one tenant per policy on the HTTP paths). */
  policyName: string;
  request: ConformanceRequest;
  expect: ConformanceExpectation;
  deviations: Partial<Record<ConformancePath, ConformanceDeviation>>;
}

export interface ConformanceSuite {
  /** Complete policy documents (defaults filled), by name. */
  policies: ReadonlyMap<string, PolicyDocument>;
  cases: readonly ConformanceCase[];
}

interface RawCase {
  id: string;
  source: string;
  description: string;
  policy: string;
  request: { method: string; headers: Record<string, string | string[]>; path?: string };
  expect: ConformanceExpectation;
  deviations?: Partial<Record<ConformancePath, ConformanceDeviation>>;
}

interface RawSuite {
  policies: Record<string, Partial<PolicyDocument> & { origins?: Array<string | object> }>;
  cases: RawCase[];
}

const MIN_CASES = 150;
const MARKER = /\{\{([^{}]*)\*(\d+)\}\}/;

/** Expands `{{unit*count}}` (innermost first), so long hostile values stay readable in the JSON. */
export function expandMarkers(value: string): string {
  let out = value;
  for (let match = MARKER.exec(out); match !== null; match = MARKER.exec(out)) {
    const [whole, unit, count] = match;
    out =
      out.slice(0, match.index) +
      (unit as string).repeat(Number(count)) +
      out.slice(match.index + whole.length);
  }
  return out;
}

function expandHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, expandMarkers(v)]));
}

function expandExpectation(expect: ConformanceExpectation): ConformanceExpectation {
  return { ...expect, headers: expandHeaders(expect.headers) };
}

function fail(message: string): never {
  throw new Error(`conformance cases.json: ${message}`);
}

/** Reads, expands and checks cases.json; throws on inconsistent data. */
export function loadConformanceSuite(): ConformanceSuite {
  const raw = JSON.parse(
    readFileSync(new URL('./cases.json', import.meta.url), 'utf8'),
  ) as RawSuite;

  const policies = new Map<string, PolicyDocument>();
  // Origins written as plain strings become entries (the admin API takes entries only), routes' too.
  const entries = (list: Array<string | object>) =>
    list.map((entry) => (typeof entry === 'string' ? { pattern: entry } : entry));
  for (const [name, partial] of Object.entries(raw.policies)) {
    const origins = entries(partial.origins ?? []);
    const routes = partial.routes?.map((route) =>
      route.origins === undefined
        ? route
        : { ...route, origins: entries(route.origins as Array<string | object>) },
    );
    policies.set(name, {
      ...emptyPolicy(),
      ...partial,
      origins,
      ...(routes === undefined ? {} : { routes }),
    } as PolicyDocument);
  }

  const seen = new Set<string>();
  const cases = raw.cases.map((c): ConformanceCase => {
    if (seen.has(c.id)) fail(`duplicate id ${c.id}`);
    seen.add(c.id);
    if (!policies.has(c.policy)) fail(`${c.id}: unknown policy "${c.policy}"`);
    if (!c.source || !c.description) fail(`${c.id}: source and description are required`);
    if (c.expect.preflight !== (c.expect.status !== undefined))
      fail(`${c.id}: a preflight expectation has a status, an actual one has none`);
    const wire: Record<string, string | string[]> = {};
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(c.request.headers)) {
      if (name !== name.toLowerCase()) fail(`${c.id}: header names are lower-case`);
      wire[name] = Array.isArray(value) ? value.map(expandMarkers) : expandMarkers(value);
      headers[name] = Array.isArray(wire[name])
        ? (wire[name] as string[]).join(', ')
        : (wire[name] as string);
    }
    const deviations: ConformanceCase['deviations'] = {};
    for (const [path, deviation] of Object.entries(c.deviations ?? {})) {
      if (!CONFORMANCE_PATHS.includes(path as ConformancePath))
        fail(`${c.id}: unknown path ${path}`);
      if (!deviation.why) fail(`${c.id}: a deviation says why`);
      if ((deviation.httpStatus === undefined) === (deviation.expect === undefined))
        fail(`${c.id}: a deviation gives either httpStatus or expect`);
      deviations[path as ConformancePath] = {
        ...deviation,
        ...(deviation.expect ? { expect: expandExpectation(deviation.expect) } : {}),
      };
    }
    return {
      id: c.id,
      source: c.source,
      description: c.description,
      policyName: c.policy,
      request: {
        method: c.request.method,
        headers,
        wire,
        ...(c.request.path === undefined ? {} : { path: c.request.path }),
      },
      expect: expandExpectation(c.expect),
      deviations,
    };
  });
  if (cases.length < MIN_CASES) fail(`${cases.length} cases, at least ${MIN_CASES} expected`);
  return { policies, cases };
}

/** The cases that hold as written on a path, and those where the path deviates (with the deviation). */
export function casesFor(
  suite: ConformanceSuite,
  path: ConformancePath,
): {
  conforming: ConformanceCase[];
  deviating: Array<{ case: ConformanceCase; deviation: ConformanceDeviation }>;
} {
  const conforming: ConformanceCase[] = [];
  const deviating: Array<{ case: ConformanceCase; deviation: ConformanceDeviation }> = [];
  for (const c of suite.cases) {
    const deviation = c.deviations[path];
    if (deviation === undefined) conforming.push(c);
    else deviating.push({ case: c, deviation });
  }
  return { conforming, deviating };
}

/** The fields of an engine Decision or a /resolve body that a case compares. */
export function comparable(
  decision: {
    allowed: boolean;
    reason: string;
    preflight: boolean;
    status?: number;
    headers: Record<string, string>;
    matchedPattern?: string | null;
    reportOnly?: boolean;
    route?: string | null;
  },
  expect: ConformanceExpectation,
): Record<string, unknown> {
  return {
    allowed: decision.allowed,
    reason: decision.reason,
    preflight: decision.preflight,
    status: decision.status,
    headers: decision.headers,
    ...('matchedPattern' in expect ? { matchedPattern: decision.matchedPattern } : {}),
    reportOnly: decision.reportOnly === true,
    // The engine leaves `route` out for the default; the /resolve body says null.
    ...('route' in expect ? { route: decision.route ?? null } : {}),
  };
}

/** The expectation in the shape comparable() produces. */
export function expected(expect: ConformanceExpectation): Record<string, unknown> {
  return {
    allowed: expect.allowed,
    reason: expect.reason,
    preflight: expect.preflight,
    status: expect.status,
    headers: expect.headers,
    ...('matchedPattern' in expect ? { matchedPattern: expect.matchedPattern } : {}),
    reportOnly: expect.reportOnly === true,
    ...('route' in expect ? { route: expect.route } : {}),
  };
}
