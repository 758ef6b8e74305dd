// Conformance suite, engine path: every case of conformance/cases.json through compilePolicy + decide.
// The same cases run against GET /resolve (apps/api) and the SDK middleware (packages/sdk).
import { casesFor, comparable, expected, loadConformanceSuite } from '../conformance/load.js';
import { compilePolicy } from './compile.js';
import type { CompiledPolicy } from './compile.js';
import { decide } from './decide.js';

const suite = loadConformanceSuite();
const compiled = new Map<string, CompiledPolicy>(
  [...suite.policies].map(([name, policy]) => [name, compilePolicy(policy)]),
);
const { conforming, deviating } = casesFor(suite, 'engine');

describe('conformance: engine (compilePolicy + decide)', () => {
  it.each(conforming.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const decision = decide(compiled.get(c.policyName) as CompiledPolicy, {
      method: c.request.method,
      headers: c.request.headers,
      ...(c.request.path === undefined ? {} : { path: c.request.path }),
    });
    expect({ id: c.id, ...comparable(decision, c.expect) }).toEqual({
      id: c.id,
      ...expected(c.expect),
    });
  });

  it('has no engine deviation: the engine is the reference', () => {
    expect(deviating.map(({ case: c }) => c.id)).toEqual([]);
  });
});
