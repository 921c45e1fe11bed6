import type { Metric, MetricValueWithName, Registry } from 'prom-client';

/** What Registry reads from a metric's get() (prom-client's MetricObjectWithValues, less its collect hook). */
interface Scraped {
  name: string;
  help: string;
  type: 'histogram';
  values: MetricValueWithName<string>[];
  aggregator: 'sum';
}

/**
 * A Prometheus histogram without labels whose `observe` is a bucket search and three adds.
 *
 * Why not prom-client's Histogram: its observe builds a closure, a labels object and a hash string
 * per call, and the gateway observes once per location update it fans out (a few percent of the
 * gateway's CPU under `bench:peers` load). This one keeps plain counts and turns them into the same
 * exposition (`_bucket{le}` cumulative, `_sum`, `_count`) when scraped. It registers through
 * prom-client's Registry.registerMetric, which only needs `get` (and `reset`).
 */
export class TallyHistogram {
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  private readonly bounds: Float64Array;
  /** Per bucket (not cumulative); the last is +Inf. */
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    buckets: readonly number[],
    registry: Registry,
  ) {
    this.bounds = Float64Array.from([...buckets].sort((a, b) => a - b));
    this.counts = new Float64Array(buckets.length + 1);
    registry.registerMetric(this as unknown as Metric);
  }

  observe(value: number): void {
    // Not a number Prometheus can add up (prom-client would throw here, on the fan-out path).
    if (!Number.isFinite(value)) return;
    const b = this.bounds;
    let i = 0;
    while (i < b.length && value > b[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }

  get(): Promise<Scraped> {
    const values: MetricValueWithName<string>[] = [];
    let acc = 0;
    for (let i = 0; i < this.bounds.length; i++) {
      acc += this.counts[i]!;
      values.push({ metricName: `${this.name}_bucket`, labels: { le: this.bounds[i]! }, value: acc });
    }
    values.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf' }, value: this.count });
    values.push({ metricName: `${this.name}_sum`, labels: {}, value: this.sum });
    values.push({ metricName: `${this.name}_count`, labels: {}, value: this.count });
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator });
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }
}
