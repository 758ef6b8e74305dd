import type { Registry } from 'prom-client';

/**
 * Metrics the /resolve hot path updates on every request, at the cost of a plain addition: prom-client's
 * `inc()`/`observe()` hash their labels and validate their value on every call, which showed in the hot
 * path's profile. The numbers are handed to prom-client when /metrics is scraped (MetricsService.scrape).
 */

/** A counter child: `inc()` adds to a number, `fold()` passes the sum on to the prom-client child. */
export class HotCounter {
  private pending = 0;

  constructor(private readonly target: { inc(value: number): void }) {}

  inc(): void {
    this.pending++;
  }

  fold(): void {
    if (this.pending === 0) return;
    this.target.inc(this.pending);
    this.pending = 0;
  }
}

/**
 * A histogram without labels kept as counts per bucket index (bucket i: values ≤ bounds[i], the last: above
 * every bound), registered with the registry as a metric of its own: the same exposition as prom-client's
 * Histogram (`_bucket{le}` cumulative, `_sum`, `_count`).
 */
export class HotHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    this.counts = new Float64Array(bounds.length + 1);
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  observe(value: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && value > (b[i] as number)) i++;
    this.counts[i] = (this.counts[i] as number) + 1;
    this.sum += value;
    this.count++;
  }

  get() {
    const values: Array<{
      metricName: string;
      labels: Record<string, string | number>;
      value: number;
    }> = [];
    let cumulative = 0;
    for (let i = 0; i < this.counts.length; i++) {
      cumulative += this.counts[i] as number;
      values.push({
        metricName: `${this.name}_bucket`,
        labels: { le: i < this.bounds.length ? (this.bounds[i] as number) : '+Inf' },
        value: cumulative,
      });
    }
    values.push({ metricName: `${this.name}_sum`, labels: {}, value: this.sum });
    values.push({ metricName: `${this.name}_count`, labels: {}, value: this.count });
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    };
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }
}
