import { MEMO_MAX_QUERY_LENGTH, QueryMemo } from './query-memo.js';

describe('QueryMemo', () => {
  it('works a query out once and returns the same result after', () => {
    let computed = 0;
    const memo = new QueryMemo((q: string) => ({ q, n: ++computed }));
    const first = memo.of('origin=https%3A%2F%2Fa.example');
    expect(memo.of('origin=https%3A%2F%2Fa.example')).toBe(first);
    expect(memo.of('origin=https%3A%2F%2Fb.example').n).toBe(2);
    expect(computed).toBe(2);
  });

  it('never holds more than its bound: when full it starts afresh', () => {
    const memo = new QueryMemo((q: string) => q.length, 3);
    for (const q of ['a', 'bb', 'ccc']) memo.of(q);
    expect(memo.size).toBe(3);
    memo.of('dddd');
    expect(memo.size).toBe(1);
    for (let i = 0; i < 1000; i++) memo.of(`origin=${i}`);
    expect(memo.size).toBeLessThanOrEqual(3);
  });

  it('does not keep queries longer than MEMO_MAX_QUERY_LENGTH (they are worked out each time)', () => {
    let computed = 0;
    const memo = new QueryMemo(() => ++computed);
    const long = `origin=${'x'.repeat(MEMO_MAX_QUERY_LENGTH)}`;
    memo.of(long);
    memo.of(long);
    expect(computed).toBe(2);
    expect(memo.size).toBe(0);
  });
});
