import { UnknownKeyThrottle } from './unknown-key-throttle.js';

describe('UnknownKeyThrottle', () => {
  it('lets a client look up to the limit of unknown keys per window, then says how long to wait', () => {
    const t = new UnknownKeyThrottle(3, 60_000, 100);
    const now = 1_000_000;
    for (let i = 0; i < 3; i++) {
      expect(t.retryAfterSeconds('10.0.0.1', now)).toBe(0);
      t.recordUnknown('10.0.0.1', now);
    }
    expect(t.retryAfterSeconds('10.0.0.1', now + 1_000)).toBe(59);
    expect(t.retryAfterSeconds('10.0.0.2', now + 1_000)).toBe(0); // another client is not affected
    expect(t.retryAfterSeconds('10.0.0.1', now + 60_000)).toBe(0); // a new window
  });

  it('keeps at most maxClients windows (least recently used go first)', () => {
    const t = new UnknownKeyThrottle(1, 60_000, 2);
    for (const c of ['a', 'b', 'c']) t.recordUnknown(c, 0);
    expect(t.retryAfterSeconds('a', 1)).toBe(0);
    expect(t.retryAfterSeconds('c', 1)).toBe(60);
  });
});
