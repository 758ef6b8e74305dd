import { compilePolicy } from './compile.js';
import { decide } from './decide.js';
import { shadowDirection } from './shadow.js';
import { emptyPolicy } from './validate.js';

const policy = (origins: string[], mode: 'enforce' | 'report-only' = 'enforce') =>
  compilePolicy({ ...emptyPolicy(), mode, origins: origins.map((pattern) => ({ pattern })) });
const get = (origin: string) => ({ method: 'GET', headers: { origin } });

describe('shadowDirection (SPEC §3 shadow evaluation)', () => {
  const live = policy(['https://keep.example', 'https://drop.example']);
  const candidate = policy(['https://keep.example', 'https://add.example']);
  it.each([
    ['https://keep.example', null],
    ['https://drop.example', 'would-block'],
    ['https://add.example', 'would-allow'],
    ['https://neither.example', null],
  ])('%s → %s', (origin, direction) => {
    expect(shadowDirection(decide(live, get(origin)), decide(candidate, get(origin)))).toBe(
      direction,
    );
  });

  it('compares what the browser gets: a report-only would-be refusal counts as let through', () => {
    const watching = policy(['https://keep.example'], 'report-only');
    const origin = 'https://other.example';
    // Both report-only, different lists: the browser is let through either way.
    const watchingOther = policy(['https://add.example'], 'report-only');
    expect(
      shadowDirection(decide(watching, get(origin)), decide(watchingOther, get(origin))),
    ).toBeNull();
    const enforcing = policy(['https://keep.example']);
    expect(shadowDirection(decide(watching, get(origin)), decide(enforcing, get(origin)))).toBe(
      'would-block',
    );
  });
});
