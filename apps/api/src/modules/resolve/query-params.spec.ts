import querystring from 'node:querystring';
import { parseParams } from './query-params.js';

// The hand-written parser must read what Node's querystring read before it, for the names it keeps.
const WANTED = new Set(['origin', 'method', 'headers', 'privateNetwork', 'tenant', 'path']);

function viaQuerystring(q: string) {
  const parsed = querystring.parse(q, '&', '=', { maxKeys: 32 });
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parsed)) if (WANTED.has(k)) out[k] = v;
  return out;
}

describe('parseParams', () => {
  it.each([
    'origin=https%3A%2F%2Fapp.acme.com',
    'origin=https://app.acme.com&method=PUT&headers=x-a%2Cx-b',
    'origin=a+b&tenant=acme',
    'origin=%zz',
    'origin=%C0%AF',
    'origin=%FF%FE',
    'origin=%E0%A4%A',
    'origin=%',
    'origin=',
    'origin',
    '&&origin=x&',
    '=',
    'origin=a&origin=b&origin=c',
    'orig%69n=x',
    'origin=x=y',
    'privateNetwork=true&path=%2Fapi%2Fv1%3Fq%3D1',
    'other=1&origin=x',
    Array.from({ length: 40 }, (_, i) => `k${i}=v`).join('&') + '&origin=late',
    'origin=%F0%9F%98%80',
    'origin=%u0041',
  ])('%s', (q) => {
    expect(parseParams(q, WANTED)).toEqual(viaQuerystring(q));
  });
});
