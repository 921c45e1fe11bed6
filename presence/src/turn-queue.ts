/**
 * Work gathered during one event-loop turn and done once, after the turn's I/O callbacks
 * (setImmediate), in the order it was queued. Pairs in two arrays, not an object per item: the
 * fan-out queues one item per location update.
 */
export class TurnQueue<A, B> {
  private readonly as: A[] = [];
  private readonly bs: B[] = [];
  private scheduled = false;

  constructor(
    private readonly run: (a: A, b: B) => void,
    /** An item that threw: reported, and the rest still run (nothing is left queued). */
    private readonly failed: (err: unknown) => void,
  ) {}

  get size(): number {
    return this.as.length;
  }

  push(a: A, b: B): void {
    this.as.push(a);
    this.bs.push(b);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  /** Runs everything queued, including what the items queue while running. Bound once. */
  readonly flush = (): void => {
    const as = this.as;
    const bs = this.bs;
    for (let i = 0; i < as.length; i++) {
      try {
        this.run(as[i]!, bs[i]!);
      } catch (err) {
        this.failed(err);
      }
    }
    as.length = 0;
    bs.length = 0;
    this.scheduled = false;
  };
}
