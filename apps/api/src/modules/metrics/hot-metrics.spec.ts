import { Counter, Histogram, Registry } from 'prom-client';
import { HotCounter, HotHistogram } from './hot-metrics.js';

describe('hot metrics', () => {
  it('HotHistogram exposes exactly what a prom-client Histogram fed the same values does', async () => {
    const bounds = [0.001, 0.01, 0.1, 1];
    const values = [0.0005, 0.001, 0.002, 0.05, 0.1, 0.5, 3, 0, 2];
    const hot = new Registry();
    const h = new HotHistogram('t_seconds', 'help text', bounds, hot);
    const ref = new Registry();
    const r = new Histogram({
      name: 't_seconds',
      help: 'help text',
      buckets: bounds,
      registers: [ref],
    });
    for (const v of values) {
      h.observe(v);
      r.observe(v);
    }
    expect(await hot.metrics()).toBe(await ref.metrics());
  });

  it('HotCounter hands its count to the prom-client child when folded, once', async () => {
    const registry = new Registry();
    const c = new Counter({ name: 't_total', help: 'h', labelNames: ['k'], registers: [registry] });
    const hot = new HotCounter(c.labels('a'));
    for (let i = 0; i < 5; i++) hot.inc();
    hot.fold();
    hot.fold();
    expect((await c.get()).values).toEqual([
      expect.objectContaining({ labels: { k: 'a' }, value: 5 }),
    ]);
  });
});
